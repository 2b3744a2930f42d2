"""The dashboard's tables, built from an ``Overview`` as provision/map_exports.py's ``Sheet`` rows,
for both the pages and the spreadsheet, so that a figure can never differ between them.

The LA page shows one row per setting with the figures to compare (``overview_sheet``) and the
totals of everything else; a setting's page shows the same totals for the setting alone; the
spreadsheet has every figure of every setting, one sheet per subject. Percentages are numbers under a
"%" heading; an empty cell has nothing to divide by.
"""

from decimal import Decimal
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from graduated.ehc.models import Stage
from graduated.oversight import outliers
from graduated.oversight.figures import (
    NO_SETTING,
    Costs,
    Counts,
    Delivery,
    Health,
    NeedLine,
    Requests,
    SettingFigures,
    share,
)
from graduated.oversight.outliers import Rule
from graduated.oversight.selectors import Overview
from graduated.provision.map_exports import Cell, Link, Pounds, Sheet

TOTAL = "All settings shown"


NOT_WORKED_OUT = "Not worked out yet"
COUNT_HEADERS = [
    "Pupils on roll", "SEN support", "% on SEN support", "EHC plans", "% with an EHC plan", "On the SEN register",
    "% on the register",
]  # fmt: skip
# Every stage of a request, in the order a case moves through them.
STAGE_COLUMNS: list[tuple[str, str]] = [(stage.value, str(stage.label)) for stage in Stage]


def _counts(counts: Counts) -> list[Cell]:
    return [
        counts.pupils, counts.sen_support, counts.sen_support_rate, counts.ehc_plans, counts.ehc_plan_rate,
        counts.on_register, counts.register_rate,
    ]  # fmt: skip


SENTINEL = "2147483647"


@lru_cache(maxsize=8)
def _setting_address(script_prefix: str) -> str:
    """A setting page's address with SENTINEL for its id: one reverse() for hundreds of rows."""
    return reverse("oversight:setting", args=[int(SENTINEL)])


def _link(row: SettingFigures) -> Link:
    return Link(row.setting.name, _setting_address(get_script_prefix()).replace(SENTINEL, str(row.setting.pk)))


def _name(row: SettingFigures, links: bool) -> Cell:
    return _link(row) if links else row.setting.name


def _totals(overview: Overview) -> bool:
    """A totals row, unless one setting is shown (its row is the total)."""
    return len(overview.settings) != 1


def _cost(costs: Costs) -> Cell:
    return Pounds(costs.total) if costs.known else NOT_WORKED_OUT


# -- The LA page ---------------------------------------------------------------------------------------


def overview_sheet(overview: Overview) -> Sheet:
    """One row per setting: the figures an officer compares across settings."""
    sheet = Sheet(
        "Settings", "The settings, side by side (select a setting for all its figures)",
        ["Setting", "Phase", "Area", "Pupils on roll", "% on SEN support", "% with an EHC plan", "Reviews overdue",
         "Short of three parent meetings", f"Cost of provision {overview.year_label}",
         f"Requests {overview.year_label}", "Outliers"],
    )  # fmt: skip
    for row in overview.settings:
        sheet.rows.append([
            _name(row, True), row.setting.get_phase_display(), row.area or "Not recorded", row.counts.pupils,
            row.counts.sen_support_rate, row.counts.ehc_plan_rate, row.health.reviews_overdue,
            row.health.short_of_meetings, _cost(row.costs), row.requests.received, len(row.flags),
        ])  # fmt: skip
    if _totals(overview):
        t = overview.totals
        sheet.rows.append([
            TOTAL, "", "", t.pupils, t.sen_support_rate, t.ehc_plan_rate, overview.health.reviews_overdue,
            overview.health.short_of_meetings, _cost(overview.costs), overview.requests.received, overview.flags,
        ])  # fmt: skip
    return sheet


def health_totals_sheet(overview: Overview) -> Sheet:
    """The Assess-Plan-Do-Review measures for the settings shown, each with the share it is of."""
    h = overview.health
    on_support = overview.totals.sen_support
    sheet = Sheet("APDR", "Assess-Plan-Do-Review: plans and reviews", ["Measure", "Number", "Of", "%"])
    for label, part, whole_label, whole in [
        ("Cycles in progress", h.open_cycles, "", None),
        ("Without outcomes or a review date", h.incomplete, "cycles in progress", h.open_cycles),
        ("Plans agreed and under way", h.doing, "cycles in progress", h.open_cycles),
        ("Reviews overdue", h.reviews_overdue, "plans under way", h.doing),
        ("Not acknowledged by a linked member of staff", h.unacknowledged, "plans under way", h.doing),
        ("On SEN support with no cycle in progress", h.without_plan, "pupils on SEN support", on_support),
        ("Short of three parent meetings this year", h.short_of_meetings, "pupils on SEN support", on_support),
        ("NSA as the primary need", h.nsa, "pupils on SEN support", on_support),
    ]:
        sheet.rows.append([label, part, f"{whole} {whole_label}" if whole is not None else "",
                           share(part, whole) if whole is not None else None])  # fmt: skip
    return sheet


def costs_totals_sheet(overview: Overview) -> Sheet:
    costs, delivery = overview.costs, overview.delivery
    missing = (
        f" ({costs.settings_missing} settings not worked out yet)" if costs.known and costs.settings_missing else ""
    )
    sheet = Sheet("Costs", f"Costed provision and sessions in {overview.year_label}", ["Measure", "Figure"])
    sheet.rows += [
        ["Cost of provision" + missing, _cost(costs)],
        ["Pupils with costed provision", costs.pupils if costs.known else None],
        ["Cost per pupil with provision", Pounds(costs.per_pupil) if costs.per_pupil is not None else None],
        ["Provision that cannot be costed (lines)", costs.not_costed if costs.known else None],
        ["Pupils whose provision costs over £6,000", costs.over_element_2 if costs.known else None],
        ["Sessions delivered", delivery.delivered],
        ["Sessions missed", delivery.missed],
        ["% of sessions recorded that were delivered", delivery.rate],
    ]  # fmt: skip
    return sheet


def requests_totals_sheet(overview: Overview) -> Sheet:
    requests = overview.requests
    sheet = Sheet(
        "Requests", f"Requests for an EHC needs assessment received in {overview.year_label}, by where each stands now",
        ["Where it stands", "Requests", "% of requests"],
    )  # fmt: skip
    for stage, label in STAGE_COLUMNS:
        sheet.rows.append([label, requests.count(stage), share(requests.count(stage), requests.received)])
    sheet.rows.append(["All requests", requests.received, None])
    if overview.whole_la and overview.unattributed.received:
        sheet.rows.append([f"Of which: {NO_SETTING.lower()}", overview.unattributed.received, None])
    return sheet


# -- Shared by the pages and the spreadsheet -----------------------------------------------------------


def needs_sheet(needs: list[NeedLine]) -> Sheet:
    total_k = sum(line.sen_support for line in needs)
    total_e = sum(line.ehc_plans for line in needs)
    sheet = Sheet(
        "Primary needs", "Pupils on the SEN register by primary need",
        ["Primary need", "SEN support", "EHC plans", "On the register", "% of the register"],
    )  # fmt: skip
    for line in needs:
        label = f"{line.label} ({line.sen_type})" if line.sen_type else line.label
        sheet.rows.append([label, line.sen_support, line.ehc_plans, line.pupils, share(line.pupils, total_k + total_e)])
    sheet.rows.append(["All pupils on the register", total_k, total_e, total_k + total_e, None])
    return sheet


def years_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Year groups", f"Pupils on the SEN register by year group in {overview.year_label}",
        ["Year group", "SEN support", "EHC plans", "On the register"],
    )  # fmt: skip
    for line in overview.years:
        sheet.rows.append([line.label, line.sen_support, line.ehc_plans, line.pupils])
    return sheet


def phases_sheet(overview: Overview) -> Sheet:
    sheet = Sheet("Phases", "Pupils on roll and on the SEN register by phase", ["Phase", "Settings", *COUNT_HEADERS])
    for line in overview.phases:
        sheet.rows.append([line.label, line.settings, *_counts(line.counts)])
    return sheet


def items_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Interventions", f"The local authority's shared interventions in {overview.year_label}",
        ["Intervention", "Tier", "Settings that adopted it", "Settings using it", "Pupils", "Provisions", "Cost",
         "Sessions delivered", "Sessions missed", "% delivered"],
    )  # fmt: skip
    for item in overview.items:
        sheet.rows.append([
            item.name, item.tier, item.adopted_by, item.settings_using, item.pupils, item.provisions,
            Pounds(item.cost), item.delivery.delivered, item.delivery.missed, item.delivery.rate,
        ])  # fmt: skip
    return sheet


def terms_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Terms", "The figures at the end of each of the last three terms, and now",
        ["Term", "Day", *COUNT_HEADERS, "Reviews overdue", "Sessions delivered", "Sessions missed", "% delivered",
         "Requests received"],
    )  # fmt: skip
    for column in overview.terms:
        counts: list[Cell] = _counts(column.counts) if column.counts else ["Not recorded", *[None] * 6]
        sheet.rows.append([
            column.label, column.taken_on, *counts, column.reviews_overdue, column.delivery.delivered,
            column.delivery.missed, column.delivery.rate, column.requests_received,
        ])  # fmt: skip
    return sheet


def outlier_groups(overview: Overview) -> list[tuple[Rule, list[Link]]]:
    """The LA page's outliers: each rule met, with links to the settings that meet it (each
    setting's page, and the spreadsheet, give the sentence saying why)."""
    groups = []
    for rule in outliers.RULES:
        flagged = [row for row in overview.flagged if any(flag.code == rule.code for flag in row.flags)]
        if flagged:
            groups.append((rule, [_link(row) for row in flagged]))
    return groups


def outliers_sheet(overview: Overview, *, links: bool) -> Sheet:
    sheet = Sheet("Outliers", "Settings whose figures stand out, and why", ["Setting", "Outlier", "Why"])
    for row in overview.flagged:
        for flag in row.flags:
            sheet.rows.append([_name(row, links), flag.title, flag.reason])
    return sheet


# -- Every figure of every setting: the spreadsheet ----------------------------------------------------


def settings_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Settings", "Pupils on roll and on the SEN register in each setting",
        ["Setting", "URN", "Phase", "Area", *COUNT_HEADERS, "Outliers"],
    )  # fmt: skip
    for row in overview.settings:
        sheet.rows.append([
            row.setting.name, row.setting.urn or "", row.setting.get_phase_display(), row.area or "Not recorded",
            *_counts(row.counts), len(row.flags),
        ])  # fmt: skip
    if _totals(overview):
        sheet.rows.append([TOTAL, "", "", "", *_counts(overview.totals), overview.flags])
    return sheet


def _health(name: Cell, h: Health, on_support: int) -> list[Cell]:
    return [
        name, h.open_cycles, h.incomplete, h.doing, h.reviews_overdue, h.unacknowledged, on_support, h.without_plan,
        h.short_of_meetings, h.nsa,
    ]  # fmt: skip


def health_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "APDR health", "Assess-Plan-Do-Review: plans and reviews in each setting",
        ["Setting", "Cycles in progress", "Without outcomes or a review date", "Plans under way", "Reviews overdue",
         "Not acknowledged by linked staff", "On SEN support", "No cycle in progress",
         "Short of three parent meetings this year", "NSA as the primary need"],
    )  # fmt: skip
    for row in overview.settings:
        sheet.rows.append(_health(row.setting.name, row.health, row.counts.sen_support))
    if _totals(overview):
        sheet.rows.append(_health(TOTAL, overview.health, overview.totals.sen_support))
    return sheet


def _costs(name: Cell, costs: Costs, delivery: Delivery) -> list[Cell]:
    known = costs.known
    per_pupil: Decimal | None = costs.per_pupil
    return [
        name, _cost(costs), costs.pupils if known else None, Pounds(per_pupil) if per_pupil is not None else None,
        costs.not_costed if known else None, costs.over_element_2 if known else None, delivery.delivered,
        delivery.missed, delivery.rate,
    ]  # fmt: skip


def costs_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Costs and sessions", f"Costed provision and sessions recorded in {overview.year_label}",
        ["Setting", "Cost of provision", "Pupils with provision", "Cost per pupil", "Lines not costed",
         "Pupils over £6,000", "Sessions delivered", "Sessions missed", "% delivered"],
    )  # fmt: skip
    for row in overview.settings:
        sheet.rows.append(_costs(row.setting.name, row.costs, row.delivery))
    if _totals(overview):
        sheet.rows.append(_costs(TOTAL, overview.costs, overview.delivery))
    return sheet


def _requests(name: Cell, requests: Requests) -> list[Cell]:
    return [name, requests.received, *(requests.count(stage) for stage, _ in STAGE_COLUMNS)]


def requests_sheet(overview: Overview) -> Sheet:
    sheet = Sheet(
        "Requests", f"Requests for an EHC needs assessment received in {overview.year_label}, by where each stands now",
        ["Setting", "Requests received", *(label for _, label in STAGE_COLUMNS)],
    )  # fmt: skip
    for row in overview.settings:
        sheet.rows.append(_requests(row.setting.name, row.requests))
    if overview.whole_la:
        sheet.rows.append(_requests(NO_SETTING, overview.unattributed))
    if _totals(overview):
        sheet.rows.append(_requests("All requests shown", overview.requests))
    return sheet


def page_sheets(overview: Overview) -> dict[str, Sheet]:
    """The pages' tables, by the names the templates use."""
    return {
        "overview": overview_sheet(overview), "needs": needs_sheet(overview.needs), "phases": phases_sheet(overview),
        "years": years_sheet(overview), "health": health_totals_sheet(overview), "costs": costs_totals_sheet(overview),
        "items": items_sheet(overview), "requests": requests_totals_sheet(overview), "terms": terms_sheet(overview),
    }  # fmt: skip


def export_sheets(overview: Overview) -> list[Sheet]:
    """The spreadsheet: every figure of every setting shown."""
    return [
        settings_sheet(overview), needs_sheet(overview.needs), phases_sheet(overview), years_sheet(overview),
        health_sheet(overview), costs_sheet(overview), items_sheet(overview), requests_sheet(overview),
        terms_sheet(overview), outliers_sheet(overview, links=False),
    ]  # fmt: skip
