"""The runs tables of the setting's and the LA's impact pages: their rows, and each intervention's
section (its table and the chart of its mean change)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from graduated.provision.impact import Impact, Measure
from graduated.provision.impact_charts import ChangeChart, ChartBlock, block_chart, chart_block

# Rows rendered ahead mark their ratio gain cell so, for a table that does not show the column.
RATIO_CELL = re.compile(r"<!--ratio-->.*?<!--/ratio-->", re.DOTALL)


@dataclass(frozen=True)
class Line:
    """A row of a runs table: one run, or runs pooled."""

    term: str
    name: str
    impact: Impact
    url: str = ""  # the group's own page; pooled rows have none


@dataclass(frozen=True)
class Rendered:
    """Rows rendered ahead (``_impact_row.html``, each ratio gain cell between ``<!--ratio-->`` and
    ``<!--/ratio-->``), with their measures and their bars."""

    rows: str
    measures: frozenset[Measure | None]
    chart: ChartBlock


@dataclass(frozen=True)
class Section:
    """One intervention: its runs' rows and the chart of their mean change."""

    title: str
    measure: Measure | None
    lines: list[Line]  # rendered by the template, after ``rows_html``
    chart: ChangeChart | None
    rows_html: SafeString = field(default_factory=SafeString)  # rows rendered ahead

    @property
    def show_ratio_gain(self) -> bool:
        return self.measure is not None and self.measure.is_age_equivalent


def section(key: str, title: str, lines: Sequence[Line], ahead: Sequence[Rendered] = ()) -> Section:
    """The section of an intervention's rows: those rendered ahead (``ahead``) first, then ``lines``.
    Its table shows the ratio gain when every row is on the same age-equivalent measure."""
    measures = set().union(*(part.measures for part in ahead)) | {line.impact.measure for line in lines}
    measure = measures.pop() if len(measures) == 1 else None
    show_ratio = measure is not None and measure.is_age_equivalent
    rows = "".join(part.rows for part in ahead)
    # Rendered ahead with every text escaped (impact_la.py), so safe to join.
    rows_html = mark_safe(rows if show_ratio else RATIO_CELL.sub("", rows))
    blocks = [part.chart for part in ahead]
    if lines:
        blocks.append(chart_block([(f"{ln.term}: {ln.name}", ln.impact.mean_change, ln.impact.scored) for ln in lines]))
    chart = block_chart(f"change-{key}", f"Mean change in {title}", blocks)
    return Section(title, measure, list(lines), chart, rows_html)
