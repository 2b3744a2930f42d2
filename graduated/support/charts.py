"""The progress picture across cycles: outcome ratings per reviewed cycle, as an SVG bar chart.

Drawn on the server (no JavaScript; works in PDFs too). Each bar segment carries its count as
text and the legend names every colour, so colour is never the only cue; the page puts the same
figures in a table beside the chart.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from graduated.support.models import OutcomeRating

# GOV.UK colours, in the order the ratings read from best to worst.
COLOURS = {
    OutcomeRating.ACHIEVED: "#00703c",
    OutcomeRating.PARTLY_ACHIEVED: "#1d70b8",
    OutcomeRating.NOT_ACHIEVED: "#d4351c",
    OutcomeRating.NO_LONGER_RELEVANT: "#505a5f",
}
BAR_HEIGHT = 28
GAP = 14
LABEL_WIDTH = 90
CHART_WIDTH = 560


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    count: int
    colour: str
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class RatingsChart:
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + CHART_WIDTH
    label_width: int = LABEL_WIDTH
    legend: tuple[tuple[str, str], ...] = tuple((colour, rating.label) for rating, colour in COLOURS.items())

    @property
    def bars_svg(self) -> SafeString:
        """The bars' SVG elements. Drawn here rather than by a template loop: the pupil page shows
        the chart, and a loop of template nodes per segment cost it several milliseconds."""
        parts = []
        for bar in self.bars:
            text_y = bar.y + 19
            parts.append(f'<text x="0" y="{text_y}" font-size="15" fill="#0b0c0c">{escape(bar.label)}</text>')
            for s in bar.segments:
                parts.append(
                    f'<rect x="{s.x}" y="{bar.y}" width="{s.width}" height="{BAR_HEIGHT}" fill="{s.colour}">'
                    f"<title>{s.count} {escape(s.label.lower())}</title></rect>"
                    f'<text x="{int(s.x) + 6}" y="{text_y}" font-size="14" fill="#ffffff">{s.count}</text>'
                )
        return mark_safe("\n".join(parts))  # numbers, and labels escaped above

    @property
    def summary(self) -> str:
        parts = []
        for bar in self.bars:
            counted = ", ".join(f"{s.count} {s.label.lower()}" for s in bar.segments)
            parts.append(f"{bar.label}: {counted}")
        return "; ".join(parts) + "."


def ratings_chart(counts_by_cycle: dict[int, dict[str, int]]) -> RatingsChart | None:
    """``counts_by_cycle``: cycle number -> rating value -> number of outcomes. None if nothing was rated."""
    bars: list[Bar] = []
    for number, counts in sorted(counts_by_cycle.items()):
        total = sum(counts.values())
        if not total:
            continue
        x = float(LABEL_WIDTH)
        segments = []
        for rating, colour in COLOURS.items():
            count = counts.get(rating.value, 0)
            if count:
                width = CHART_WIDTH * count / total
                segments.append(Segment(round(x, 1), round(width, 1), count, colour, rating.label))
                x += width
        bars.append(Bar(f"Cycle {number}", len(bars) * (BAR_HEIGHT + GAP), total, segments))
    if not bars:
        return None
    return RatingsChart(bars=bars, height=len(bars) * (BAR_HEIGHT + GAP))
