"""The dashboard's charts, drawn on the server as SVG in the style of provision/impact_charts.py: a
horizontal bar for each line, its figure written at the end in words, so that colour and length are
never the only cue. Each page puts the same figures in a table straight after the chart, and the
chart's description (``summary``) reads them all out for a screen reader.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ROW_HEIGHT = 30
LABEL_CHARACTERS = 26
LABEL_WIDTH = 200
PLOT_WIDTH = 360
VALUE_WIDTH = 170
AXIS_HEIGHT = 30
WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the figure in words: "12 (4.5%)"
    y: int
    width: float

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARACTERS else self.label[: LABEL_CHARACTERS - 1] + "…"

    @property
    def bar_y(self) -> int:
        return self.y + 5

    @property
    def baseline(self) -> int:
        return self.y + 20


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + PLOT_WIDTH + 12

    @property
    def height(self) -> int:
        return len(self.bars) * ROW_HEIGHT + AXIS_HEIGHT

    @property
    def axis_y(self) -> int:
        return len(self.bars) * ROW_HEIGHT

    @property
    def tick_label_y(self) -> int:
        return self.axis_y + 18

    @property
    def summary(self) -> str:
        return f"{self.title}: " + "; ".join(f"{bar.label}: {bar.text}" for bar in self.bars) + "."


def _step(high: float) -> float:
    """A round step (1, 2 or 5 × 10ⁿ) that puts about four ticks under ``high``."""
    rough = high / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(m * magnitude for m in (1, 2, 5, 10) if rough <= m * magnitude)


def _tick_label(value: float, step: float) -> str:
    places = max(0, -math.floor(math.log10(step)))
    return f"{value:.{places}f}"


def bar_chart(chart_id: str, title: str, lines: Sequence[tuple[str, int | Decimal | float, str]]) -> BarChart | None:
    """``lines``: (label, value, the value in words), a bar each from 0. None when there is nothing to draw."""
    if not lines or not any(value for _, value, _ in lines):
        return None
    high = float(max(value for _, value, _ in lines))
    step = _step(high)
    top = math.ceil(high / step) * step
    ticks = [
        Tick(round(LABEL_WIDTH + i * step / top * PLOT_WIDTH, 1), _tick_label(i * step, step))
        for i in range(round(top / step) + 1)
    ]
    bars = [
        Bar(label, float(value), text, i * ROW_HEIGHT, round(float(value) / top * PLOT_WIDTH, 1))
        for i, (label, value, text) in enumerate(lines)
    ]
    return BarChart(chart_id, title, bars, ticks)
