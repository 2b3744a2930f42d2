"""Provision maps as tables, for the page and for the files people take away: a spreadsheet (XLSX:
values, not formulas, with the header row frozen, one sheet per view) and a tagged PDF through
graduated/lib/exports.py's Outline.

The page's totals tables, the spreadsheet's sheets and the PDF's tables are all built here from
the same ``Sheet`` rows, so that a total can never differ between them.
"""

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from graduated.lib.exports import Facts, Outline, Paragraphs, Section, Table
from graduated.provision.costs import ELEMENT_2_THRESHOLD, money
from graduated.provision.provision_maps import PupilMap, SettingMap, Tally

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COSTED_FROM_THE_PLAN = (
    "Costs are worked out from the provision planned: a cancelled or missed session does not reduce them, "
    "because the staff time was set aside for it."
)
WEEKS_COUNTED = (
    "Teaching weeks are counted from the local authority's school term dates: the school days in term, Monday "
    "to Friday, divided by 5, so the holidays inside a provision's dates are not charged. For a year with no term "
    "dates recorded, a year has 39 teaching weeks, spread evenly over the calendar. Each line names the weeks it "
    "counted."
)


class Pounds(Decimal):
    """An amount of money: written £1,234.50, kept in a spreadsheet as a number of pounds."""


class Hours(Decimal):
    """Staff hours to one decimal place."""


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Cell = str | int | Decimal | Link | None


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Pounds):
        return money(value)
    if isinstance(value, Link):
        return value.text
    return str(value)


@dataclass
class Sheet:
    name: str  # the spreadsheet's tab: 31 characters at most
    caption: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    def page_rows(self) -> list[list[tuple[str, str, bool]]]:
        """(text, link or "", is a number) for each cell, as the page draws them."""
        return [
            [(cell_text(c), c.url if isinstance(c, Link) else "", isinstance(c, int | Decimal)) for c in row]
            for row in self.rows
        ]

    def page_headers(self) -> list[tuple[str, bool]]:
        """(header, is over a column of numbers), so that a figure's heading lines up with it."""
        numeric = {i for row in self.rows for i, c in enumerate(row) if isinstance(c, int | Decimal) and i}
        return [(header, index in numeric) for index, header in enumerate(self.headers)]

    def page_body(self) -> SafeString:
        """The table's rows as the page draws them (``page_rows``), written here rather than in the
        template: a setting's grid has thousands of cells, too slow through the template engine.
        Every text and link is escaped."""
        lines = []
        for row in self.page_rows():
            (text, link, _number), *rest = row
            name = f'<a class="govuk-link" href="{escape(link)}">{escape(text)}</a>' if link else escape(text)
            cells = "".join(
                f'<td class="govuk-table__cell{NUMERIC if number else ""}">{escape(text)}</td>'
                for text, _link, number in rest
            )
            lines.append(
                f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{name}</th>{cells}</tr>'
            )
        return mark_safe("\n".join(lines))

    def text_rows(self) -> list[list[str]]:
        return [[cell_text(cell) for cell in row] for row in self.rows]


NUMERIC = " govuk-table__cell--numeric"
TALLY_HEADERS = ["Pupils", "Provisions", "Staff hours", "Cost"]


def _tally_sheet(name: str, caption: str, first_header: str, tallies: list[Tally]) -> Sheet:
    rows: list[list[Cell]] = [[t.label, t.pupils, t.provisions, Hours(t.staff_hours), Pounds(t.cost)] for t in tallies]
    if tallies:
        rows.append(["Total", "", sum(t.provisions for t in tallies), _hours(tallies), _pounds(tallies)])
    return Sheet(name, caption, [first_header, *TALLY_HEADERS], rows)


def _hours(tallies: list[Tally]) -> Hours:
    return Hours(sum((t.hours for t in tallies), Decimal(0)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _pounds(tallies: list[Tally]) -> Pounds:
    return Pounds(sum((t.cost for t in tallies), Decimal(0)))


# -- One pupil ----------------------------------------------------------------------------------------


def pupil_summary(pupil_map: PupilMap) -> list[tuple[str, Cell]]:
    return [
        ("Pupil", pupil_map.pupil.display_name),
        ("Period", capfirst(pupil_map.period.label)),
        ("Staff time", Pounds(pupil_map.staff_total)),
        ("Resources", Pounds(pupil_map.resources_total)),
        ("Total additional support", Pounds(pupil_map.total)),
        ("Above the £6,000 met from the notional SEN budget", Pounds(pupil_map.above_threshold)),
        ("Provisions not costed", pupil_map.not_costed),
    ]


def pupil_sheets(pupil_map: PupilMap) -> list[Sheet]:
    lines = Sheet(
        "Provision", f"Provision for {pupil_map.pupil.display_name}, {pupil_map.period.label}",
        ["Provision", "Dates", "How much", "Staff role", "Cost an hour", "Teaching weeks", "How it was worked out",
         "Staff time", "Resources", "Total"],
    )  # fmt: skip
    for line in pupil_map.lines:
        cost = line.cost
        hourly = Pounds(cost.hourly_cost) if cost.hourly_cost is not None else "Not set"
        lines.rows.append([
            line.provision.description, line.dates_text, line.dosage_text, cost.role_label, hourly, cost.weeks,
            cost.arithmetic, Pounds(cost.staff_cost), Pounds(cost.resources_share), Pounds(cost.total),
        ])  # fmt: skip
    lines.rows.append(
        ["Total additional support", "", "", "", "", "", "", Pounds(pupil_map.staff_total),
         Pounds(pupil_map.resources_total), Pounds(pupil_map.total)]
    )  # fmt: skip
    summary = Sheet(
        "Summary", "Summary", ["Figure", "Value"], [[label, value] for label, value in pupil_summary(pupil_map)]
    )
    return [lines, summary]


def pupil_outline(pupil_map: PupilMap) -> Outline:
    provision, _summary = pupil_sheets(pupil_map)
    notes = [COSTED_FROM_THE_PLAN, WEEKS_COUNTED]
    if pupil_map.over_element_2:
        notes.insert(0, over_threshold_warning(pupil_map.total))
    return Outline(
        title=f"Costed provision map: {pupil_map.pupil.display_name}",
        subtitle=capfirst(pupil_map.period.label),
        produced_on=timezone.localdate(),
        sections=[
            Section("Summary", [Facts(page_facts(pupil_summary(pupil_map))), Paragraphs(notes)]),
            Section("Provision", [_table(provision)]),
        ],
    )  # fmt: skip


def over_threshold_warning(total: Decimal) -> str:
    above = money(total - ELEMENT_2_THRESHOLD)
    return (
        f"Additional support costs {money(total)}, more than the £6,000 the school meets from its notional SEN "
        f"budget (element 2). The {above} above it may be requested from the local authority as element 3 top-up."
    )


# -- A setting ----------------------------------------------------------------------------------------


def setting_summary(setting_map: SettingMap) -> list[tuple[str, Cell]]:
    budget = setting_map.budget
    return [
        ("Setting", setting_map.setting.name),
        ("Period", capfirst(setting_map.period.label)),
        ("Pupils with provision", len(setting_map.rows)),
        ("Provisions", len(setting_map.lines)),
        ("Staff hours", Hours(setting_map.staff_hours)),
        ("Total cost", Pounds(setting_map.total)),
        ("Notional SEN budget", Pounds(budget) if budget is not None else "Not set for this period"),
        ("Share of the budget", f"{setting_map.share_of_budget}%" if setting_map.share_of_budget is not None else ""),
        ("Pupils over £6,000", len(setting_map.over_element_2)),
        ("Provisions not costed", setting_map.not_costed),
    ]


def setting_sheets(setting_map: SettingMap) -> list[Sheet]:
    """Summary, the grid (pupils × interventions), the interventions, the totals by area, year group,
    tier and staff role, and the pupils over £6,000: one sheet each."""
    query = setting_map.period.query()
    grid = Sheet(
        "Grid", "Cost of each intervention for each pupil",
        ["Pupil", "Year group", *[column.label for column in setting_map.interventions], "Total", "Over £6,000"],
    )  # fmt: skip
    for row in setting_map.rows:
        url = reverse("provision:pupil_map", args=[row.pupil.pk]) + f"?{query}" if row.linked else ""
        name: Cell = Link(row.pupil.display_name, url) if url else row.pupil.display_name
        cells: list[Cell] = [Pounds(value) if value is not None else None for value in row.grid]
        grid.rows.append([name, row.year_group_label, *cells, Pounds(row.total), "Yes" if row.over_element_2 else ""])
    if setting_map.rows:
        grid.rows.append(
            ["Total", "", *[Pounds(column.cost) for column in setting_map.interventions], Pounds(setting_map.total), ""]
        )
    interventions = Sheet(
        "Interventions", "Interventions", ["Intervention", "Tier", "Broad areas of need", "Staff role", *TALLY_HEADERS]
    )
    for column in setting_map.interventions:
        interventions.rows.append([
            column.label, column.tier, column.areas, ", ".join(sorted(column.roles)), column.pupils, column.provisions,
            Hours(column.staff_hours), Pounds(column.cost),
        ])  # fmt: skip
    over = Sheet("Over £6,000", "Pupils whose additional support costs more than £6,000",
                 ["Pupil", "Year group", "Total", "Above £6,000"])  # fmt: skip
    for row in setting_map.over_element_2:
        over.rows.append([row.pupil.display_name, row.year_group_label, Pounds(row.total),
                          Pounds(row.total - ELEMENT_2_THRESHOLD)])  # fmt: skip
    return [
        Sheet(
            "Summary", "Summary", ["Figure", "Value"], [[label, value] for label, value in setting_summary(setting_map)]
        ),
        grid,
        interventions,
        _tally_sheet("By area", "Totals by broad area of need", "Broad area of need", setting_map.by_area),
        _tally_sheet("By year group", "Totals by year group", "Year group", setting_map.by_year_group),
        _tally_sheet("By tier", "Totals by tier", "Tier", setting_map.by_tier),
        _tally_sheet("By staff role", "Totals by staff role", "Staff role", setting_map.by_role),
        over,
    ]


def setting_outline(setting_map: SettingMap) -> Outline:
    _summary, _grid, *tables = setting_sheets(setting_map)
    # The grid is too wide for a page: the PDF lists each pupil's provision instead, to the same totals.
    by_pupil = Sheet("", "Provision by pupil", ["Pupil", "Year group", "Intervention", "Cost"])
    for row in setting_map.rows:
        columns = [column for column in setting_map.interventions if column.key in row.cells]
        for column in columns:
            by_pupil.rows.append([row.pupil.display_name, row.year_group_label, column.label,
                                  Pounds(row.cells[column.key])])  # fmt: skip
        by_pupil.rows.append([row.pupil.display_name, row.year_group_label, "Total", Pounds(row.total)])
    notes = [COSTED_FROM_THE_PLAN, WEEKS_COUNTED]
    if setting_map.not_costed:
        notes.append(f"{setting_map.not_costed} provisions could not be costed and count £0: see the page for why.")
    return Outline(
        title=f"Provision map: {setting_map.setting.name}",
        subtitle=capfirst(setting_map.period.label),
        produced_on=timezone.localdate(),
        sections=[
            Section("Summary", [Facts(page_facts(setting_summary(setting_map))), Paragraphs(notes)]),
            Section("Totals", [_table(sheet) for sheet in tables]),
            Section("Provision by pupil", [_table(by_pupil)]),
        ],
    )


def page_facts(summary: list[tuple[str, Cell]]) -> list[tuple[str, str]]:
    """The summary's facts as the page and the PDF write them."""
    return [(label, cell_text(value)) for label, value in summary]


def _table(sheet: Sheet) -> Table | Paragraphs:
    if not sheet.rows:
        return Paragraphs([f"{sheet.caption}: none."])
    return Table(sheet.caption, sheet.headers, sheet.text_rows())


# -- Spreadsheets -------------------------------------------------------------------------------------


def render_xlsx(sheets: list[Sheet], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:31])
        for column, header in enumerate(sheet.headers, start=1):
            heading = worksheet.cell(row=1, column=column)
            _write(heading, header)
            heading.font = bold
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                _write(worksheet.cell(row=row_number, column=column), value)
        worksheet.freeze_panes = "A2"  # the header row stays in view
        for letter, width in _widths(sheet).items():
            worksheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(cell: object, value: Cell) -> None:
    from openpyxl.cell.cell import Cell as XlCell

    assert isinstance(cell, XlCell)
    if isinstance(value, Pounds):
        cell.value = Decimal(value)
        cell.number_format = '"£"#,##0.00'
    elif isinstance(value, int | Decimal):
        cell.value = value
    else:
        cell.value = cell_text(value)
        # Text that starts with "=" would be stored as a formula: these files hold values only.
        cell.data_type = "s"


def _widths(sheet: Sheet) -> dict[str, float]:
    from openpyxl.utils import get_column_letter

    widths: dict[str, float] = {}
    for index, header in enumerate(sheet.headers):
        longest = max([len(header), *(len(cell_text(row[index])) for row in sheet.rows if index < len(row))])
        widths[get_column_letter(index + 1)] = min(max(longest + 2, 8), 60)
    return widths
