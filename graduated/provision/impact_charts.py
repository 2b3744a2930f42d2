"""Impact charts, drawn on the server as SVG (no JavaScript; works in PDFs too), like support/charts.py.

Every mark carries its figure as text and entry and exit differ in shape (a ring and a square), so
colour is never the only cue; each page puts the same figures in a table next to the chart.
"""

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.utils.safestring import SafeString, mark_safe

from graduated.provision.impact import fixed, signed_fixed

ROW_HEIGHT = 30
LABEL_CHARACTERS = 26  # what fits in the label column; the full label is in the description and table
LABEL_WIDTH = 200
PLOT_WIDTH = 360
VALUE_WIDTH = 170
AXIS_HEIGHT = 30
WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
VALUE_X = LABEL_WIDTH + PLOT_WIDTH + 12  # where each bar's figure is written


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
        return _change_text(self.value, self.pupils)


def _change_text(value: float | None, pupils: int) -> str:
    counted = f"{pupils} pupil{'' if pupils == 1 else 's'}"
    if value is None:
        return f"no mean change ({counted})"
    return f"{signed_fixed(value, 1)} ({counted})"


@dataclass(frozen=True)
class ChartBlock:
    """Consecutive bars of a change chart drawn ahead, whatever the chart's scale: each bar's label
    and figure (SVG text, from the block's top) and its bar in units of the measure (the chart
    scales them), with the chart's description of them. The LA's page keeps a block for each
    intervention's term (impact_la.py): a chart of thousands of bars is then a few joins."""

    count: int
    labels: str
    bars: str
    description: str
    low: float | None  # the least and greatest mean change drawn (None: no bar has one)
    high: float | None


def chart_block(runs: Sequence[tuple[str, float | None, int]]) -> ChartBlock:
    """``runs``: (label, mean change or None, pupils with both scores), a bar each from zero."""
    labels, bars, described = [], [], []
    for i, (label, value, pupils) in enumerate(runs):
        text = _change_text(value, pupils)
        described.append(f"{label}: {text}")
        # html.escape is what Django's escape calls, without its wrappers.
        short, label, text = html.escape(_short(label)), html.escape(label), html.escape(text)
        y = i * ROW_HEIGHT
        labels.append(f'<text x="0" y="{y + 20}" font-size="14" fill="#0b0c0c">{short}</text>')
        labels.append(f'<text x="{VALUE_X}" y="{y + 20}" font-size="14" fill="#0b0c0c">{text}</text>')
        if value is not None:
            bars.append(
                f'<rect x="{min(value, 0.0)}" y="{y + 5}" width="{abs(value)}" height="20" fill="#1d70b8">'
                f"<title>{label}: {text}</title></rect>"
            )
    values = [value for _, value, _ in runs if value is not None]
    return ChartBlock(
        len(runs), "".join(labels), "".join(bars), "; ".join(described), min(values, default=None),
        max(values, default=None),
    )  # fmt: skip


@dataclass(frozen=True)
class ChangeChart:
    chart_id: str
    title: str
    blocks: list[ChartBlock]
    ticks: list[Tick]
    zero_x: float
    low: float  # the ends of the scale
    high: float
    bars: list[ChangeBar] = field(default_factory=list)  # each bar where it falls, when drawn from runs
    width: int = WIDTH
    value_x: int = VALUE_X

    @property
    def count(self) -> int:
        return sum(block.count for block in self.blocks)

    @property
    def height(self) -> int:
        return self.count * ROW_HEIGHT + AXIS_HEIGHT

    @property
    def axis_y(self) -> int:
        return self.count * ROW_HEIGHT

    @property
    def tick_label_y(self) -> int:
        return self.axis_y + 18

    @property
    def summary(self) -> str:
        return f"{self.title}: " + "; ".join(block.description for block in self.blocks if block.count) + "."

    @property
    def bars_svg(self) -> SafeString:
        """The blocks one under another: their labels and figures as drawn, their bars scaled from
        units of the measure to the plot (x = the plot's left + (value − low) × pixels a unit)."""
        scale = PLOT_WIDTH / (self.high - self.low)
        labels, bars, offset = [], [], 0
        for block in self.blocks:
            labels.append(f'<g transform="translate(0 {offset * ROW_HEIGHT})">{block.labels}</g>')
            bars.append(f'<g transform="translate(0 {offset * ROW_HEIGHT})">{block.bars}</g>')
            offset += block.count
        scaled = f'<g transform="translate({LABEL_WIDTH - self.low * scale} 0) scale({scale} 1)">'
        # Every text in the blocks is escaped where they are drawn (chart_block).
        return mark_safe("".join(labels) + scaled + "".join(bars) + "</g>")


def change_chart(chart_id: str, title: str, runs: Sequence[tuple[str, float | None, int]]) -> ChangeChart | None:
    """``runs``: (label, mean change or None, pupils with both scores): a bar each from zero. None
    when no run has a mean change."""
    chart = block_chart(chart_id, title, [chart_block(runs)])
    if chart is None:
        return None
    zero = chart.zero_x
    bars = []
    for i, (label, value, pupils) in enumerate(runs):
        end = _x(value, chart.low, chart.high) if value is not None else zero
        bars.append(ChangeBar(label, i * ROW_HEIGHT, value, pupils, min(zero, end), round(abs(end - zero), 1)))
    return replace(chart, bars=bars)


def block_chart(chart_id: str, title: str, blocks: Sequence[ChartBlock]) -> ChangeChart | None:
    """A change chart of blocks drawn ahead, on a scale that takes in all their bars; None when no
    bar has a mean change."""
    values = [value for block in blocks for value in (block.low, block.high) if value is not None]
    if not values:
        return None
    low, high, step = _scale(values, include_zero=True)
    return ChangeChart(chart_id, title, list(blocks), _ticks(low, high, step), _x(0, low, high), low, high)
