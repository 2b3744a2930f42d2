"""A top-up application as a document for the LA: the request, the case for it, and the costed
provision map that was attached when it was submitted (a draft shows the map as it is today)."""

from decimal import Decimal

from django.utils import timezone

from graduated.funding.models import ApplicationStatus, TopUpApplication
from graduated.lib.exports import Block, Facts, Outline, Paragraphs, Section, Table
from graduated.provision.costs import ELEMENT_2_THRESHOLD, money, pupil_costed_provisions


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}" if value else "Not yet"


def map_lines(application: TopUpApplication) -> tuple[list[dict[str, str]], Decimal]:
    """The map the application carries: its snapshot once submitted, the live map while a draft."""
    if not application.is_draft and application.map_total is not None:
        return application.snapshot_lines(), application.map_total
    costs = pupil_costed_provisions(application.pupil, application.period)
    lines = [{"description": c.description, "arithmetic": c.arithmetic, "total": str(c.total)} for _, c in costs.lines]
    return lines, costs.total


def application_outline(application: TopUpApplication) -> Outline:
    pupil = application.pupil
    lines, total = map_lines(application)
    request_facts = [
        ("Setting", application.setting.name),
        ("Period", f"{_day(application.period_from)} to {_day(application.period_to)}"),
        ("Amount requested", money(application.amount_requested)),
        ("Status", application.get_status_display()),
        ("Submitted on", _day(application.submitted_on)),
    ]
    if application.status in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED):
        request_facts.append(("Decided on", _day(application.decided_on)))
    if application.amount_approved is not None:
        request_facts.append(("Amount approved", money(application.amount_approved)))
    about = Facts([("Date of birth", _day(pupil.date_of_birth)), ("Year group", pupil.year_group_label)])
    map_blocks: list[Block] = []
    if application.is_draft:
        map_blocks.append(Paragraphs(["A draft: the map as it stands today. Submitting attaches it as it is then."]))
    if lines:
        rows = [[line["description"], line["arithmetic"], money(Decimal(line["total"]))] for line in lines]
        rows.append(["Total", "", money(total)])
        map_blocks.append(Table("Costed provision map", ["Provision", "How it is costed", "Cost"], rows))
    else:
        map_blocks.append(Paragraphs(["No provision in this period."]))
    above = max(total - ELEMENT_2_THRESHOLD, Decimal(0))
    map_blocks.append(
        Paragraphs(
            [
                f"The setting meets the first {money(ELEMENT_2_THRESHOLD)} of additional support from its notional "
                f"SEN budget (element 2). This map comes to {money(total)}"
                + (f", {money(above)} above that." if above else ", within that.")
            ]
        )
    )
    sections = [
        Section(f"About {pupil.first_name}", [about]),
        Section("The request", [Facts(request_facts)]),
        Section("Why the pupil needs more", [Paragraphs([application.case_for_funding or "Not given."])]),
        Section("Costed provision map", map_blocks),
    ]
    if application.decision_note:
        sections.append(Section("The local authority's decision", [Paragraphs([application.decision_note])]))
    return Outline(
        title=f"Top-up funding application: {pupil.display_name}",
        subtitle=f"{application.setting.name}, {_day(application.period_from)} to {_day(application.period_to)}",
        produced_on=timezone.localdate(),
        sections=sections,
    )
