"""Reads for PCP meetings and My Support Plans, each in a fixed number of queries whatever the history."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from graduated.meetings.models import Attendee, Meeting, MeetingAction, MeetingKind
from graduated.organisations.models import Setting
from graduated.pupils.models import Enrolment, Need, Pupil
from graduated.statutory.models import REVIEW_DUE_SOON_DAYS, TEXT_FIELDS, AgreedOutcome, PlanVersion
from graduated.support.models import Cycle, CycleStatus, Provision


def _versions(pupil: Pupil) -> QuerySet[PlanVersion]:
    return (
        PlanVersion.objects.of_pupil(pupil)
        .select_related("recorded_by", "meeting", "setting", "plan")
        .prefetch_related(Prefetch("outcomes", queryset=AgreedOutcome.objects.order_by("position")))
    )


def current_version(pupil: Pupil) -> PlanVersion | None:
    """The pupil's latest version, with its outcomes, meeting and author: two queries."""
    return _versions(pupil).order_by("-number").first()


def version_numbered(pupil: Pupil, number: int) -> PlanVersion | None:
    return _versions(pupil).filter(number=number).first()


def history(pupil: Pupil) -> QuerySet[PlanVersion]:
    """Every version, newest first: who and when, leaving the long sections in the database."""
    return (
        PlanVersion.objects.of_pupil(pupil)
        .select_related("recorded_by", "meeting")
        .defer(*TEXT_FIELDS)
        .order_by("-number")
    )


def pcp_meetings(pupil: Pupil) -> QuerySet[Meeting]:
    """The pupil's person-centred planning meetings, newest first."""
    return Meeting.objects.filter(pupil=pupil, kind=MeetingKind.PERSON_CENTRED).order_by("-held_on", "-id")


def pcp_meeting(pupil: Pupil, meeting_id: int) -> Meeting | None:
    """One PCP meeting of this pupil with its record, attendees and actions, in four queries."""
    return (
        pcp_meetings(pupil)
        .filter(pk=meeting_id)
        .select_related("person_centred_record", "recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.order_by("id")),
            Prefetch("actions", queryset=MeetingAction.objects.order_by("due_on", "id")),
        )
        .first()
    )


def prefill_from_record(pupil: Pupil) -> dict[str, str]:
    """What the record already says for "my SEN": the current needs, and the open cycle's provision.

    Only for a first version: later versions start from the current one, which people have edited.
    """
    needs = [
        f"{need.get_sen_type_display()}{' (primary need)' if need.rank == 1 else ''}"
        for need in Need.objects.current().filter(pupil=pupil).order_by("rank")
    ]
    cycle = Cycle.objects.filter(pupil=pupil).exclude(status=CycleStatus.CLOSED).order_by("-number").first()
    provisions = list(Provision.objects.filter(cycle=cycle).order_by("id")) if cycle is not None else []
    lines = []
    for provision in provisions:
        details = ", ".join(part for part in (provision.how_often, provision.delivered_by_role) if part)
        lines.append(f"{provision.description}{f' ({details})' if details else ''}")
    return {"needs": "\n".join(needs), "provision": "\n".join(lines)}


@dataclass(frozen=True)
class ReviewDue:
    pupil: Pupil
    version: PlanVersion
    overdue: bool


def reviews_due(setting: Setting, today: date) -> list[ReviewDue]:
    """The setting's pupils whose plan's review is due within two weeks, or overdue: one query."""
    enrolled = Enrolment.objects.current(today).filter(setting=setting).values("pupil_id")
    versions = (
        PlanVersion.objects.review_due_by(today + timedelta(days=REVIEW_DUE_SOON_DAYS))
        .filter(plan__pupil__in=enrolled)
        .select_related("plan__pupil")
        .defer(*TEXT_FIELDS)
        .order_by("next_review_on", "plan__pupil__legal_last_name", "pk")
    )
    return [ReviewDue(pupil=v.plan.pupil, version=v, overdue=v.next_review_on < today) for v in versions]
