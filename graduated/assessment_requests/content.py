"""The request as the local authority receives it, read from the pupil's record (domain.md §6).

``request_outline`` builds one ``Outline`` from the record and the few things typed on the request;
the request page, its PDF evidence bundle and its Word form are all drawn from it, so the three never
disagree. Nothing here changes data.

Windows the request uses (the LA asks about the recent past, not the whole history):
- professionals involved in the last 18 months: referrals with any date in the window, and advice
  given by professionals with access to the record;
- reports under 12 months old: the pupil's documents that are specialists' reports or assessments,
  dated within 12 months; the PDFs among them are appended to the bundle;
- attainment now and about 6 and 12 months ago: for each assessment named in the cycles' evidence,
  the latest result, and the results nearest to 6 and to 12 months ago within 3 months either side;
- the costed provision map of the last 12 months.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from graduated.assessment_requests.models import PreparedRequest
from graduated.documents.models import Document, DocumentKind
from graduated.lib.exports import Block, Facts, Outline, Paragraphs, Section, Table
from graduated.oap.exports import tried_section as oap_tried_section
from graduated.professionals.models import ProfessionalAdvice
from graduated.provision.cost_forms import Period
from graduated.provision.costs import money
from graduated.provision.map_exports import over_threshold_warning, page_facts, pupil_summary
from graduated.provision.provision_maps import pupil_map
from graduated.pupils import services as pupil_services
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Need, Pupil
from graduated.rulepacks.readiness import RuleResult
from graduated.specialists.models import Referral
from graduated.statutory import plan_selectors
from graduated.statutory.clock import months_after
from graduated.statutory.plan_exports import plan_outline
from graduated.support.exports import cycles_for_export, history_outline
from graduated.support.models import Cycle, EvidencePoint

PROFESSIONALS_MONTHS = 18
REPORTS_MONTHS = 12
NOTHING = "Nothing recorded."
REPORT_KINDS = (DocumentKind.REPORT, DocumentKind.ASSESSMENT)


def day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def paragraphs(text: str) -> Paragraphs:
    return Paragraphs(text.split("\n\n") if text.strip() else [NOTHING])


def reports(pupil: Pupil, on: date) -> list[Document]:
    """Specialists' reports and assessments dated within 12 months of ``on``, oldest first."""
    since = months_after(on, -REPORTS_MONTHS)
    documents = Document.objects.filter(pupil=pupil, kind__in=REPORT_KINDS, dated__gte=since, dated__lte=on)
    return list(documents.order_by("dated", "id"))


def is_pdf(document: Document) -> bool:
    return document.content_type == "application/pdf"


# -- Attainment --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttainmentRow:
    name: str
    now: EvidencePoint
    six_months: EvidencePoint | None
    twelve_months: EvidencePoint | None


def _nearest(points: list[EvidencePoint], target: date, earliest: date, latest: date) -> EvidencePoint | None:
    candidates = [p for p in points if earliest <= p.taken_on <= latest]
    return min(candidates, key=lambda p: (abs((p.taken_on - target).days), -p.pk), default=None)


def attainment(cycles: list[Cycle], on: date) -> list[AttainmentRow]:
    """Each assessment with a result: the latest, and those nearest 6 and 12 months before ``on``."""
    by_name: dict[str, list[EvidencePoint]] = defaultdict(list)
    for cycle in cycles:
        for point in cycle.evidence.all():
            if point.taken_on <= on:
                by_name[point.name.strip()].append(point)
    rows = []
    for name, points in sorted(by_name.items(), key=lambda item: item[0].lower()):
        points.sort(key=lambda p: (p.taken_on, p.pk))
        # The two windows meet but do not overlap, so a result is never shown in both columns.
        six_months = _nearest(points, months_after(on, -6), months_after(on, -9), months_after(on, -3))
        twelve_months = _nearest(
            points, months_after(on, -12), months_after(on, -15), months_after(on, -9) - timedelta(days=1)
        )
        rows.append(AttainmentRow(name, points[-1], six_months, twelve_months))
    return rows


def _result(point: EvidencePoint | None) -> str:
    if point is None:
        return "No result"
    value = f"{point.score.normalize() if point.score is not None else ''} {point.unit}".strip()
    return f"{value or point.note or point.get_kind_display()} ({day(point.taken_on)})"


def attainment_block(rows: list[AttainmentRow]) -> Block:
    if not rows:
        return Paragraphs(["No assessments or observations are recorded in the SEN support cycles."])
    return Table(
        "Attainment now and about 6 and 12 months ago",
        ["Assessment", "Now", "About 6 months ago", "About 12 months ago", "Expected for age"],
        [
            [row.name, _result(row.now), _result(row.six_months), _result(row.twelve_months),
             row.now.expected_for_age]
            for row in rows
        ],
    )  # fmt: skip


# -- The parts of the request ----------------------------------------------------------------------


def _child(prepared: PreparedRequest, needs: list[Need], looked_after: str) -> Section:
    pupil = prepared.pupil
    status = pupil_services.current_status(pupil)
    rows = [
        ("Name", pupil.display_name),
        ("Legal name", f"{pupil.legal_first_name} {pupil.legal_last_name}"),
        ("Date of birth", day(pupil.date_of_birth)),
        ("Sex", pupil.get_sex_display()),
        ("Unique pupil number", pupil.upn or "Not recorded"),
        ("Year group", pupil.year_group_label),
        ("School or setting", prepared.setting.name),
        ("Home local authority", pupil.home_local_authority.name if pupil.home_local_authority else "Not recorded"),
        ("SEN status", f"{status.get_status_display()} since {day(status.start_date)}" if status else "Not recorded"),
        ("Needs (census types, primary first)", "; ".join(n.get_sen_type_display() for n in needs) or "None recorded"),
        ("Looked-after status", looked_after),
    ]
    return Section("The child or young person", [Facts(rows)])


def _needs_by_area(needs: list[Need], cycles: list[Cycle]) -> Section:
    latest_analysis = next((c for c in reversed(cycles) if c.analysis_items()), None)
    analysis = dict(latest_analysis.analysis_items()) if latest_analysis else {}
    rows = []
    for area in BroadArea:
        types = [n.get_sen_type_display() for n in needs if n.broad_area == area.label]
        rows.append([area.label, ", ".join(types) or "None recorded", analysis.get(area.label, "")])
    caption = "Strengths and needs in each broad area of need"
    if latest_analysis:
        caption += f" (the analysis from SEN support cycle {latest_analysis.number})"
    return Section(
        "Strengths and needs by broad area",
        [Table(caption, ["Broad area", "Needs recorded", "What the assessment found"], rows)],
    )


def _professionals(pupil: Pupil, on: date) -> Section:
    since = months_after(on, -PROFESSIONALS_MONTHS)
    in_window = Q(referred_on__gte=since) | Q(seen_on__gte=since) | Q(report_received_on__gte=since)
    referrals = Referral.objects.filter(in_window, pupil=pupil).select_related("service")
    rows = [
        [r.service.name, r.service.get_kind_display(), day(r.referred_on), day(r.seen_on), day(r.report_received_on),
         r.advice]
        for r in referrals.order_by("referred_on", "id")
    ]  # fmt: skip
    blocks: list[Block] = [
        Table("Referrals", ["Service", "Type", "Referred", "Seen", "Report received", "Advice"], rows)
        if rows
        else Paragraphs([f"No referrals in the last {PROFESSIONALS_MONTHS} months."])
    ]
    advice = ProfessionalAdvice.objects.filter(pupil=pupil, given_on__gte=since, given_on__lte=on)
    advice_rows = [
        [f"{a.grant.user.get_full_name()}, {a.grant.job_title}, {a.grant.organisation}", day(a.given_on), a.advice,
         a.recommendations]
        for a in advice.select_related("grant__user").order_by("given_on", "id")
    ]  # fmt: skip
    if advice_rows:
        blocks.append(Table("Advice written in the record", ["From", "Given on", "Advice", "Recommendations"],
                            advice_rows))  # fmt: skip
    return Section(f"Professionals involved in the last {PROFESSIONALS_MONTHS} months", blocks)


def _reports(documents: list[Document]) -> Section:
    if not documents:
        return Section(
            f"Reports from the last {REPORTS_MONTHS} months",
            [Paragraphs([f"No specialists' reports or assessments dated in the last {REPORTS_MONTHS} months."])],
        )
    rows = [
        [d.title, d.get_kind_display(), day(d.dated), "Appended to this bundle" if is_pdf(d) else
         "Not a PDF: sent separately"]
        for d in documents
    ]  # fmt: skip
    return Section(
        f"Reports from the last {REPORTS_MONTHS} months",
        [Table("Reports", ["Report", "Kind", "Dated", "In the bundle"], rows)],
    )


def _readiness(results: list[RuleResult]) -> Section:
    intro = Paragraphs(
        [
            "The local authority's local rules are guidance, not conditions: a parent, a young person or a school "
            "may request an assessment whatever they say."
        ]
    )
    if not results:
        return Section("The local authority's local rules", [intro, Paragraphs(["No local rules apply."])])
    rows = [[r.summary, r.outcome.label, r.reason] for r in results]
    return Section("The local authority's local rules", [intro, Table("Local rules", ["Rule", "", "The record"], rows)])


def _attendance(prepared: PreparedRequest) -> Section:
    def percent(value: object) -> str:
        return f"{value:.1f}%" if value is not None else "Not given"

    return Section(
        "Attendance",
        [Facts([("This school year", percent(prepared.attendance_this_year)),
                ("Last school year", percent(prepared.attendance_last_year))])],
    )  # fmt: skip


def _consent(prepared: PreparedRequest) -> Section:
    if not prepared.consent_on:
        return Section("Consent", [Paragraphs(["Consent has not been recorded yet."])])
    return Section(
        "Consent",
        [
            Facts(
                [
                    ("Consent to the request given by",
                     f"{prepared.consent_name} ({prepared.get_consent_by_display()})"),
                    ("Date", day(prepared.consent_on)),
                    ("Information may be shared with professionals asked for advice",
                     "Yes" if prepared.consent_to_share else "No"),
                ]
            )
        ],
    )  # fmt: skip


def _costed_provision(pupil: Pupil, period: Period) -> Section:
    """The costed provision map's summary and one line per provision with its cost. The working of
    each cost (hourly rates, weeks, group shares) is in the school's own map (PDF and spreadsheet)."""
    costed = pupil_map(pupil, period)
    blocks: list[Block] = [Facts(page_facts(pupil_summary(costed))[1:])]  # the pupil is named above
    if costed.over_element_2:
        blocks.append(Paragraphs([over_threshold_warning(costed.total)]))
    rows = [
        [line.provision.description, line.dates_text, line.dosage_text, line.cost.role_label,
         money(line.cost.total) if line.costed else "Not costed"]
        for line in costed.lines
    ]  # fmt: skip
    blocks.append(
        Table("Provision and its cost", ["Provision", "Dates", "How much", "Staff", "Cost"], rows)
        if rows
        else Paragraphs(["No provision recorded in the period."])
    )
    return Section(f"Costed provision map: {period.label}", blocks)


def _demoted(sections: list[Section]) -> list[Section]:
    """Another document's sections as parts of one section of this one."""
    return [Section(s.heading, s.blocks, level=3) for s in sections]


def request_outline(prepared: PreparedRequest, on: date, results: list[RuleResult]) -> Outline:
    pupil = prepared.pupil
    cycles = cycles_for_export(pupil)
    needs = list(pupil.needs.current().order_by("rank"))
    version = plan_selectors.current_version(pupil)
    looked_after = version.get_looked_after_display() if version else "Not recorded"
    outline = Outline(
        title=f"Request for an EHC needs assessment: {pupil.display_name}",
        subtitle=(
            f"From {prepared.setting.name}, submitted {day(prepared.submitted_on)}"
            if prepared.submitted_on
            else f"From {prepared.setting.name}, prepared {day(on)} (not yet submitted)"
        ),
        produced_on=on,
    )
    sections = [
        _child(prepared, needs, looked_after),
        Section("People with parental responsibility", [paragraphs(prepared.parental_responsibility)]),
        Section(
            "Views",
            [Facts([("The child's or young person's views", prepared.child_views or NOTHING),
                    ("The parents' views", prepared.parent_views or NOTHING)])],
        ),
        _needs_by_area(needs, cycles),
        Section("Attainment over the last year", [attainment_block(attainment(cycles, on))]),
        _attendance(prepared),
        _professionals(pupil, on),
        Section(
            "Support needed beyond ordinarily available provision",
            [paragraphs(prepared.beyond_ordinarily_available)],
        ),
        oap_tried_section(pupil),  # OAP (graduated/oap): strategies linked from concerns and plans
    ]  # fmt: skip
    if version is not None:
        sections.append(Section(f"My Support Plan (version {version.number}, agreed {day(version.agreed_on)})"))
        sections += _demoted(plan_outline(pupil, version).sections)
    else:
        sections.append(Section("My Support Plan", [Paragraphs(["No My Support Plan has been agreed."])]))
    # Each cycle stays a section of its own (a line in the contents); the first section of the
    # history is "About <child>", given above.
    sections += history_outline(pupil, cycles).sections[1:]
    sections.append(_costed_provision(pupil, Period(months_after(on, -12), on)))
    sections += [_reports(reports(pupil, on)), _readiness(results), _consent(prepared)]
    outline.sections = sections
    return outline
