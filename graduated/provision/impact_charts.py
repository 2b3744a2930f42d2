"""Impact charts, drawn on the server as SVG (no JavaScript; works in PDFs too), like support/charts.py.

Every mark carries its figure as text and entry and exit differ in shape (a ring and a square), so
colour is never the only cue; each page puts the same figures in a table next to the chart.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from graduated.provision.impact import fixed, signed_fixed

ROW_HEIGHT = 30
LABEL_CHARACTERS = 26  # what fits in the label column; the full label is in the description and table
LABEL_WIDTH = 200
PLOT_WIDTH = 360
VALUE_WIDTH = 170
AXIS_HEIGHT = 30
WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


def _scale(values: Sequence[float], *, include_zero: bool) -> tuple[float, float, float]:
    """(low, high, step): round ends a whole number of steps apart, a step of 1, 2 or 5 × 10ⁿ."""
    low, high = min(values), max(values)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        low, high = low - 1, high + 1
    rough = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if rough <= m * magnitude)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _x(value: float, low: float, high: float) -> float:
    return round(LABEL_WIDTH + (value - low) / (high - low) * PLOT_WIDTH, 1)


def _ticks(low: float, high: float, step: float) -> list[Tick]:
    count = round((high - low) / step)
    places = max(0, -math.floor(math.log10(step)))
    return [Tick(_x(low + i * step, low, high), fixed(low + i * step, places)) for i in range(count + 1)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


@dataclass(frozen=True)
class EntryExitRow:
    label: str
    y: int
    entry: float
    exit: float
    entry_x: float
    exit_x: float

    @property
    def text(self) -> str:
        return f"{fixed(self.entry, 1)} to {fixed(self.exit, 1)}"

    @property
    def short_label(self) -> str:
        return _short(self.label)

    @property
    def middle(self) -> int:
        return self.y + ROW_HEIGHT // 2

    @property
    def baseline(self) -> int:
        return self.y + 20

    @property
    def square_x(self) -> float:
        return round(self.exit_x - 6, 1)


@dataclass(frozen=True)
class EntryExitChart:
    chart_id: str
    rows: list[EntryExitRow]
    ticks: list[Tick]
    left_out: int  # pupils without both scores: not drawn
    unit: str
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    value_x: int = LABEL_WIDTH + PLOT_WIDTH + 12

    @property
    def height(self) -> int:
        return len(self.rows) * ROW_HEIGHT + AXIS_HEIGHT

    @property
    def axis_y(self) -> int:
        return len(self.rows) * ROW_HEIGHT

    @property
    def tick_label_y(self) -> int:
        return self.axis_y + 18

    @property
    def summary(self) -> str:
        drawn = "; ".join(f"{row.label}: {row.text}" for row in self.rows)
        left = f" {self.left_out} without both scores not shown." if self.left_out else ""
        return f"Entry and exit scores ({self.unit}) for each pupil with both: {drawn}.{left}"


def entry_exit_chart(
    chart_id: str, pupils: Sequence[tuple[str, float | None, float | None]], unit: str
) -> EntryExitChart | None:
    """``pupils``: (name, entry, exit). None when no pupil has both scores."""
    complete = [(name, entry, exit) for name, entry, exit in pupils if entry is not None and exit is not None]
    if not complete:
        return None
    low, high, step = _scale([v for _, entry, exit in complete for v in (entry, exit)], include_zero=False)
    rows = [
        EntryExitRow(name, i * ROW_HEIGHT, entry, exit, _x(entry, low, high), _x(exit, low, high))
        for i, (name, entry, exit) in enumerate(complete)
    ]
    return EntryExitChart(chart_id, rows, _ticks(low, high, step), len(pupils) - len(complete), unit)


@dataclass(frozen=True)
class ChangeBar:
    label: str
    y: int
    value: float | None
    pupils: int
    x: float  # where the bar starts (the left end)
    width: float

    @property
    def short_label(self) -> str:
        return _short(self.label)

    @property
    def bar_y(self) -> int:
        return self.y + 5

    @property
    def baseline(self) -> int:
        return self.y + 20

    @property
    def text(self) -> str:
        counted = f"{self.pupils} pupil{'' if self.pupils == 1 else 's'}"
        if self.value is None:
            return f"no mean change ({counted})"
        return f"{signed_fixed(self.value, 1)} ({counted})"


@dataclass(frozen=True)
class ChangeChart:
    chart_id: str
    title: str
    bars: list[ChangeBar]
    ticks: list[Tick]
    zero_x: float
    width: int = WIDTH
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


def change_chart(chart_id: str, title: str, runs: Sequence[tuple[str, float | None, int]]) -> ChangeChart | None:
    """``runs``: (label, mean change or None, pupils with both scores): a bar each from zero. None
    when no run has a mean change."""
    values = [value for _, value, _ in runs if value is not None]
    if not values:
        return None
    low, high, step = _scale(values, include_zero=True)
    zero = _x(0, low, high)
    bars = []
    for i, (label, value, pupils) in enumerate(runs):
        end = _x(value, low, high) if value is not None else zero
        bars.append(ChangeBar(label, i * ROW_HEIGHT, value, pupils, min(zero, end), round(abs(end - zero), 1)))
    return ChangeChart(chart_id, title, bars, _ticks(low, high, step), zero)
