"""SEN support plans as documents: one cycle's plan (PDF and Word) and a pupil's whole APDR history.

Teachers and teaching assistants may download the plan they work from, but what they may not see
on screen (the assessment, the family's views) is left out of their copy too.
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from graduated.lib.exports import Block, Facts, Outline, Paragraphs, Section, Table
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, EvidencePoint, Outcome, Provision


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else "Not set"


def cycles_for_export(pupil: Pupil) -> list[Cycle]:
    """Every cycle of the pupil with what the documents show, in a fixed number of queries."""
    return list(
        Cycle.objects.filter(pupil=pupil)
        .select_related("setting", "review")
        .prefetch_related(
            Prefetch("evidence", queryset=EvidencePoint.objects.order_by("taken_on", "id")),
            Prefetch("outcomes", queryset=Outcome.objects.select_related("outcome_review").order_by("position")),
            Prefetch(
                "provisions",
                queryset=Provision.objects.select_related("delivered_by", "provision_review").order_by("id"),
            ),
        )
        .order_by("number")
    )


def _assessment(cycle: Cycle) -> list[Block]:
    blocks: list[Block] = []
    if cycle.analysis_items():
        blocks.append(Facts(cycle.analysis_items()))
    views = [
        ("Parents' views", cycle.parents_views),
        ("The pupil's views", cycle.pupil_views),
        ("Advice from outside services", cycle.advice_received),
    ]
    blocks += [Facts([(label, text)]) for label, text in views if text]
    evidence = list(cycle.evidence.all())
    if evidence:
        rows = [
            [_day(p.taken_on), p.get_kind_display(), p.name, f"{p.score or ''} {p.unit}".strip(), p.expected_for_age]
            for p in evidence
        ]
        blocks.append(
            Table("Evidence", ["Date", "Kind", "Assessment or observation", "Result", "Expected for age"], rows)
        )
    return blocks or [Paragraphs(["No assessment recorded."])]


def _outcomes(cycle: Cycle) -> Block:
    rows = [
        [str(o.position), o.description, o.measure, o.baseline, o.target, _day(o.by_when), o.get_area_display()]
        for o in cycle.outcomes.all()
    ]
    headers = ["", "What will be achieved", "How it will be measured", "Starting point", "Target", "By", "Area"]
    return Table("Outcomes", headers, rows) if rows else Paragraphs(["No outcomes yet."])


def _provision(cycle: Cycle) -> Block:
    rows = []
    for p in cycle.provisions.all():
        who = p.delivered_by.full_name if p.delivered_by else p.delivered_by_role
        when = " to ".join(_day(d) for d in (p.starts_on, p.ends_on) if d)
        rows.append([p.description, who or "", p.location, p.how_often, when, p.expected_impact])
    headers = ["What", "Who", "Where", "How often", "When", "Expected impact"]
    return Table("Provision", headers, rows) if rows else Paragraphs(["No provision yet."])


def _review(cycle: Cycle, whole_record: bool) -> list[Block]:
    review = getattr(cycle, "review", None)
    if review is None:
        return [Paragraphs([f"To be reviewed on {_day(cycle.review_date)}."])]
    blocks: list[Block] = [Facts([("Held on", _day(review.held_on)), ("Decision", review.get_decision_display())])]
    outcome_rows = [
        [o.description, o.outcome_review.get_rating_display(), o.outcome_review.measure_now, o.outcome_review.evidence]
        for o in cycle.outcomes.all()
        if hasattr(o, "outcome_review")
    ]
    blocks.append(Table("How each outcome went", ["Outcome", "Rating", "Now", "Evidence"], outcome_rows))
    provision_rows = [
        [p.description, p.provision_review.get_judgement_display(), p.provision_review.note]
        for p in cycle.provisions.all()
        if hasattr(p, "provision_review")
    ]
    blocks.append(Table("What happens to each provision", ["Provision", "Judgement", "Note"], provision_rows))
    if whole_record:
        views = [("Parents' views on progress", review.parents_views_on_progress)]
        views.append(("The pupil's views on progress", review.pupil_views_on_progress))
        blocks += [Facts([(label, text)]) for label, text in views if text]
    return blocks


def _cycle_sections(cycle: Cycle, whole_record: bool, level: int) -> list[Section]:
    agreement = Facts(
        [
            ("Plan agreed on", _day(cycle.plan_agreed_on)),
            ("Parents told", f"{_day(cycle.parents_notified_on)} {cycle.get_parents_notified_how_display()}".strip()),
            ("Review date", _day(cycle.review_date)),
        ]
    )
    sections = []
    if whole_record:
        sections.append(Section("Assess: what we know", _assessment(cycle), level))
    sections += [
        Section("Plan: outcomes", [_outcomes(cycle)], level),
        Section("Do: provision", [_provision(cycle)], level),
        Section("Agreement", [agreement], level),
        Section("Review", _review(cycle, whole_record), level),
    ]
    return sections


def _about(pupil: Pupil, today: date) -> Section:
    return Section(
        f"About {pupil.first_name}",
        [Facts([("Date of birth", _day(pupil.date_of_birth)), ("Year group", pupil.year_group_label)])],
    )


def plan_outline(pupil: Pupil, cycle: Cycle, *, whole_record: bool) -> Outline:
    today = timezone.localdate()
    outline = Outline(
        title=f"SEN support plan: {pupil.display_name}",
        subtitle=f"{cycle.setting.name}, cycle {cycle.number}, started {_day(cycle.started_on)}",
        produced_on=today,
    )
    outline.sections = [_about(pupil, today), *_cycle_sections(cycle, whole_record, level=2)]
    return outline


def history_outline(pupil: Pupil, cycles: list[Cycle]) -> Outline:
    today = timezone.localdate()
    outline = Outline(
        title=f"Assess, plan, do, review: {pupil.display_name}",
        subtitle=f"Every SEN support cycle, {len(cycles)} in all",
        produced_on=today,
    )
    outline.sections = [_about(pupil, today)]
    for cycle in cycles:
        heading = f"Cycle {cycle.number}: {cycle.setting.name}, from {_day(cycle.started_on)}"
        outline.sections.append(Section(heading, []))
        outline.sections += _cycle_sections(cycle, whole_record=True, level=3)
    if not cycles:
        outline.sections.append(Section("Cycles", [Paragraphs(["No SEN support cycles yet."])]))
    return outline
