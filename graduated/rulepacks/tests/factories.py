"""Rule packs and pupil records for the readiness tests, with dates set by hand."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.meetings.models import Attendee, AttendeeKind, Meeting, MeetingKind
from graduated.organisations.models import LocalAuthority
from graduated.pupils.models import Pupil
from graduated.rulepacks import services
from graduated.rulepacks.models import RuleKind, RulePack, Step
from graduated.support.models import (
    Cycle,
    CycleStatus,
    DeliveryRecord,
    DeliveryStatus,
    EvidencePoint,
    Provision,
    Review,
    ReviewDecision,
)

ACTOR = Actor.system("test")


def rule(kind: str, parameter: int | None = None, step: str = Step.REQUEST, **changes: Any) -> dict[str, Any]:
    return {
        "kind": kind, "parameter": parameter, "step": step,
        "explanation": f"Why {RuleKind(kind).label.lower()} matters.", "source_name": "Northshire Graduated Approach",
        "source_reference": "section 4.2", **changes,
    }  # fmt: skip


def published(
    la: LocalAuthority, rules: list[dict[str, Any]], effective_from: date = date(2025, 9, 1), **words: Any
) -> RulePack:
    """A new version of ``la``'s pack with exactly ``rules``, published from ``effective_from``."""
    draft, _ = services.start_draft(actor=ACTOR, local_authority=la)
    for old in list(draft.rules.all()):
        services.remove_rule(actor=ACTOR, rule=old, expected_version=draft.version)
        draft.refresh_from_db()
    if words:
        details = {name: getattr(draft, name) for name in services.WORD_FIELDS} | {"change_note": ""} | words
        draft = services.save_words(actor=ACTOR, pack=draft, details=details, expected_version=draft.version)
    for details in rules:
        services.add_rule(actor=ACTOR, pack=draft, details=details, expected_version=draft.version)
        draft.refresh_from_db()
    return services.publish(
        actor=ACTOR, pack=draft, effective_from=effective_from, change_note="", expected_version=draft.version
    )


def _setting_of(pupil: Pupil) -> Any:
    return pupil.enrolments.first().setting  # type: ignore[union-attr]


def completed_cycle(pupil: Pupil, reviewed_on: date) -> Cycle:
    number = Cycle.objects.filter(pupil=pupil).count() + 1
    cycle = Cycle.objects.create(
        pupil=pupil, setting=_setting_of(pupil), number=number, status=CycleStatus.CLOSED,
        started_on=reviewed_on.replace(day=1),
    )  # fmt: skip
    Review.objects.create(cycle=cycle, held_on=reviewed_on, decision=ReviewDecision.ANOTHER_CYCLE)
    return cycle


def open_cycle(pupil: Pupil, started_on: date) -> Cycle:
    number = Cycle.objects.filter(pupil=pupil).count() + 1
    return Cycle.objects.create(
        pupil=pupil, setting=_setting_of(pupil), number=number, status=CycleStatus.DO, started_on=started_on
    )


def evidence(cycle: Cycle, taken_on: date) -> EvidencePoint:
    return EvidencePoint.objects.create(cycle=cycle, taken_on=taken_on, kind="observation", name="Reading check")


def delivered(cycle: Cycle, *days: date, status: str = DeliveryStatus.DELIVERED) -> None:
    provision = Provision.objects.create(cycle=cycle, kind="intervention", description="Precision teaching")
    for day in days:
        reason = "" if status == DeliveryStatus.DELIVERED else "pupil_absent"
        DeliveryRecord.objects.create(provision=provision, on=day, status=status, missed_reason=reason)


def meeting(pupil: Pupil, held_on: date, *, with_parent: bool = True) -> Meeting:
    held = Meeting.objects.create(pupil=pupil, kind=MeetingKind.REVIEW, held_on=held_on, discussed="Progress.")
    Attendee.objects.create(meeting=held, kind=AttendeeKind.STAFF, name="Ms Senco")
    if with_parent:
        Attendee.objects.create(meeting=held, kind=AttendeeKind.PARENT, name="Rosa One")
    return held
