"""Stages 4 and 5: meetings with parents (a review meeting for each reviewed cycle, some others),
and the LA's EHC case work: every request decided by the pupils stage, with the decision, advice
asked for, the draft and final plan, and each final plan's annual reviews."""

import random
from collections.abc import Callable
from datetime import date, timedelta

from benchmarks.datagen.calendar import add_years, at, school_day_between
from benchmarks.datagen.store import Store, Table
from benchmarks.datagen.world import CycleInfo, World
from graduated.ehc import models as ehc_models
from graduated.ehc.demo import SECTIONS
from graduated.ehc.models import (
    PLAN_SECTIONS,
    SECTION_FIELDS,
    AdviceRequest,
    AdviserKind,
    ClockExceptionRecord,
    EHCPlan,
    EHCRequest,
    PlanReview,
    RequestSource,
    Stage,
)
from graduated.meetings.demo import ACTIONS, DISCUSSED, PROFESSIONALS
from graduated.meetings.models import Attendee, AttendeeKind, Meeting, MeetingAction, MeetingKind
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.statutory.clock import ExceptionKind

CHRONOLOGY_FIELDS = ["pupil_id", "kind", "occurred_on", "recorded_at", "recorded_by_id", "summary"]


def build_meetings(world: World, store: Store) -> None:
    rng = random.Random(world.seed * 100 + 4)  # noqa: S311 - invented data, the same every run
    meetings = store.table(Meeting, [
        "pupil_id", "kind", "held_on", "discussed", "shared_with_parents_on", "recorded_by_id", "recorded_at",
        "version",
    ])  # fmt: skip
    attendees = store.table(Attendee, ["meeting_id", "kind", "name", "role_or_relationship", "user_id"])
    actions = store.table(
        MeetingAction, ["meeting_id", "description", "owner_name", "owner_user_id", "due_on", "done_on"]
    )
    chronology = store.table(ChronologyEntry, CHRONOLOGY_FIELDS)
    today = world.today

    def meeting(cycle: CycleInfo, kind: str, held: date) -> None:
        pupil, setting = cycle.pupil, cycle.pupil.setting
        shared = min(today, held + timedelta(days=rng.randint(0, 5))) if rng.random() < 0.9 else None
        discussed = rng.choice(DISCUSSED[MeetingKind(kind)]).format(name=pupil.first)
        pk = meetings.add(pupil.id, kind, held, discussed, shared, setting.senco_id, at(held, rng), 1)
        world.meetings.append((pk, pupil.id, held))
        attendees.add(pk, AttendeeKind.STAFF, f"SENCO of {setting.name}"[:200], "SENCO", setting.senco_id)
        attendees.add(pk, AttendeeKind.PARENT, pupil.parent, "Parent", None)
        if rng.random() < 0.4:
            attendees.add(pk, AttendeeKind.PUPIL, f"{pupil.first} {pupil.last}", "", None)
        if rng.random() < 0.15:
            name, role = rng.choice(PROFESSIONALS)
            attendees.add(pk, AttendeeKind.PROFESSIONAL, name, role, None)
        due = held + timedelta(days=rng.randint(14, 28))
        done = due - timedelta(days=rng.randint(0, 10)) if due < today and rng.random() < 0.85 else None
        owner, owner_user = (
            (pupil.parent, None) if rng.random() < 0.3 else (f"SENCO of {setting.name}"[:200], setting.senco_id)
        )
        actions.add(pk, rng.choice(ACTIONS), owner, owner_user, due, done if done and done >= held else None)
        chronology.add(pupil.id, ChronologyKind.MEETING_HELD, held, at(held, rng), setting.senco_id,
                       f"{MeetingKind(kind).label} held"[:300])  # fmt: skip

    for cycle in world.cycles:
        if cycle.closed and cycle.review_on:
            meeting(cycle, MeetingKind.REVIEW, cycle.review_on)
            if rng.random() < 0.3:
                middle = cycle.started_on + (cycle.review_on - cycle.started_on) / 2
                meeting(cycle, MeetingKind.PARENT, school_day_between(rng, middle, middle + timedelta(days=5)))
        elif cycle.agreed_on and rng.random() < 0.5:
            meeting(cycle, MeetingKind.PARENT, cycle.agreed_on)


def build_ehc(world: World, store: Store) -> None:
    rng = random.Random(world.seed * 100 + 5)  # noqa: S311 - invented data, the same every run
    requests = store.table(EHCRequest, [
        "pupil_id", "local_authority_id", "received_on", "source", "requested_by", "requesting_setting_id", "stage",
        "to_assess", "assessment_decided_on", "assessment_decision_reasons", "not_to_issue_on", "not_to_issue_reasons",
        "logged_by_id", "created_at", "version",
    ])  # fmt: skip
    advice = store.table(AdviceRequest, ["request_id", "adviser_kind", "adviser", "asked_on", "received_on"])
    exceptions = store.table(
        ClockExceptionRecord, ["request_id", "kind", "first_day", "last_day", "reason", "recorded_by_id"]
    )
    plans = store.table(EHCPlan, [
        "request_id", "pupil_id", "local_authority_id", *SECTION_FIELDS, "draft_issued_on", "final_issued_on",
        "version",
    ])  # fmt: skip
    reviews = store.table(PlanReview, [
        "plan_id", "meeting_on", "papers_sent_on", "report_received_on", "decision", "decided_on", "ceased_on",
        "version",
    ])  # fmt: skip
    chronology = store.table(ChronologyEntry, CHRONOLOGY_FIELDS)
    # Where each plan places the pupil (SEN2 4b and 5b): their school, from the plan or their joining.
    placement_model = getattr(ehc_models, "Placement", None)
    placements = None
    if placement_model is not None:
        placements = store.table(placement_model, ["plan_id", "setting_id", "urn", "rank", "entry_date", "version"])
    today, officer = world.today, world.officer_id

    def note(pupil_id: int, kind: str, on: date, summary: str) -> None:
        if on <= today:
            chronology.add(pupil_id, kind, on, at(on, rng), officer, summary)

    for pupil in world.pupils:
        request = pupil.request
        if request is None:
            continue
        from_school = pupil.sen_start is not None and request.received_on > pupil.sen_start and rng.random() < 0.7
        source = RequestSource.EDUCATION_SETTING if from_school else RequestSource.PARENT_OR_YOUNG_PERSON
        by = f"SENCO of {pupil.setting.name}" if from_school else pupil.parent
        decided = request.decided_on
        to_assess = None if decided is None else request.outcome != Stage.NOT_ASSESSING
        reasons = "" if decided is None else "The evidence shows the pupil may need special educational provision."
        refused_on = request.draft_on if request.outcome == Stage.NOT_ISSUING else None
        request.id = requests.add(
            pupil.id, world.la_id, request.received_on, source, by[:200], pupil.setting.id if from_school else None,
            request.outcome, to_assess, decided, reasons, refused_on,
            "Needs can be met from the setting's resources." if refused_on else "", officer,
            at(request.received_on, rng), 3,
        )  # fmt: skip
        note(
            pupil.id,
            ChronologyKind.EHC_REQUEST_RECEIVED,
            request.received_on,
            "Request for an EHC needs assessment received",
        )
        if decided:
            note(pupil.id, ChronologyKind.EHC_ASSESSMENT_DECIDED, decided,
                 "Decided to carry out an EHC needs assessment" if to_assess else "Decided not to assess")  # fmt: skip
        if to_assess and decided:
            kinds = [
                AdviserKind.EDUCATIONAL_PSYCHOLOGIST,
                AdviserKind.HEALTH,
                AdviserKind.SOCIAL_CARE,
                AdviserKind.SCHOOL,
            ]
            for kind in kinds[: rng.randint(3, 4)]:
                asked = decided + timedelta(days=rng.randint(0, 5))
                received = asked + timedelta(days=rng.randint(20, 50))
                advice.add(
                    request.id,
                    kind,
                    f"{AdviserKind(kind).label} adviser",
                    asked,
                    received if received <= today else None,
                )
        if rng.random() < 0.02:
            first = request.received_on + timedelta(days=rng.randint(10, 60))
            last = first + timedelta(days=rng.randint(7, 35))
            because = "The family was unable to attend the appointments offered."
            exceptions.add(request.id, ExceptionKind.PERSONAL_CIRCUMSTANCES, first, last, because, officer)
        if refused_on:
            note(pupil.id, ChronologyKind.EHC_NOT_TO_ISSUE, refused_on, "Decided not to issue an EHC plan")
        if request.outcome in (Stage.DRAFT, Stage.FINAL) and request.draft_on:
            sections = {name: SECTIONS.get(name, f"{heading} for {pupil.first}.") for name, heading in PLAN_SECTIONS}
            final = request.final_on if request.outcome == Stage.FINAL else None
            plan_id = plans.add(request.id, pupil.id, world.la_id, *(sections[name] for name in SECTION_FIELDS),
                                request.draft_on, final, 4 if final else 2)  # fmt: skip
            note(pupil.id, ChronologyKind.EHC_DRAFT_PLAN, request.draft_on, "Draft EHC plan issued")
            if final:
                note(pupil.id, ChronologyKind.EHC_FINAL_PLAN, final, "Final EHC plan issued")
                if placements is not None:
                    placements.add(plan_id, pupil.setting.id, pupil.setting.urn, 1, max(final, pupil.start), 1)
                _reviews(rng, reviews, note, pupil.id, plan_id, final, today)


def _reviews(
    rng: random.Random, reviews: Table, note: Callable[[int, str, date, str], None], pupil_id: int, plan_id: int,
    final: date, today: date,
) -> None:  # fmt: skip
    """Annual reviews (reg 20): a meeting within twelve months of the plan, then of each review."""
    meeting = add_years(final, 1) - timedelta(days=rng.randint(7, 40))
    while meeting <= today:
        report = meeting + timedelta(days=rng.randint(7, 14))
        decided = report + timedelta(days=rng.randint(7, 21))
        done = decided <= today
        decision = rng.choice(["maintain", "maintain", "amend"]) if done else ""
        reviews.add(plan_id, meeting, meeting - timedelta(days=14), report if report <= today else None, decision,
                    decided if done else None, None, 2)  # fmt: skip
        note(pupil_id, ChronologyKind.EHC_REVIEW_MEETING, meeting, "EHC plan review meeting held")
        meeting = add_years(meeting, 1) - timedelta(days=rng.randint(0, 20))
