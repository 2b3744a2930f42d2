"""What a family sees of their child: what the Code says is theirs (the plan, its outcomes, the
support and what was actually delivered, reviews, meetings shared with them, the one-page
profile), never staff-only notes. A fixed number of queries whatever the history."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from graduated.documents.models import Document
from graduated.families.models import MeetingAcknowledgement, PlanResponse
from graduated.family_notices.selectors import timeline
from graduated.meetings.models import Meeting, MeetingAction
from graduated.pathway.selectors import pupil_pathway
from graduated.profiles.models import ProfileVersion
from graduated.pupils.models import Pupil
from graduated.pupils.services import current_status
from graduated.support.models import (
    Cycle,
    CycleStatus,
    DeliveryRecord,
    DeliveryStatus,
    MissedReason,
    Outcome,
    Provision,
)

# The plan's stage in a family's words.
STAGE_WORDS = {
    CycleStatus.ASSESS: _("Finding out what help is needed"),
    CycleStatus.PLAN: _("Agreeing the plan"),
    CycleStatus.DO: _("The plan is under way"),
    CycleStatus.REVIEW: _("Time to look at how it went"),
    CycleStatus.CLOSED: _("The last plan has been reviewed"),
}
STATUS_WORDS = {
    "K": _("SEN support"),
    "E": _("an Education, Health and Care plan"),
    "N": _("no SEN support at the moment"),
}
WEEKS_SHOWN = 12


@dataclass
class Week:
    starts_on: date
    delivered: int = 0
    missed: int = 0


# Why a session was missed, in a family's words (support.MissedReason).
MISSED_WORDS: dict[str, str] = {
    MissedReason.PUPIL_ABSENT: "when {name} away",
    MissedReason.STAFF_ABSENT: "when the adult who gives it was away",
    MissedReason.CANCELLED: "called off by the school",
    MissedReason.OTHER: "for another reason",
}


@dataclass
class SupportLine:
    provision: Provision
    delivered: int = 0
    missed: int = 0
    weeks: list[Week] = field(default_factory=list)
    # Missed sessions by reason: (count, words), most first.
    missed_because: list[tuple[int, str]] = field(default_factory=list)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _support(cycle: Cycle | None, today: date, name: str) -> list[SupportLine]:
    if cycle is None:
        return []
    provisions = list(Provision.objects.filter(cycle=cycle).order_by("id"))
    first_week = _monday(today) - timedelta(weeks=WEEKS_SHOWN - 1)
    records = DeliveryRecord.objects.filter(provision__in=provisions).values_list(
        "provision_id", "on", "status", "missed_reason"
    )
    by_provision: dict[int, dict[date, Week]] = defaultdict(dict)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    reasons: dict[int, Counter[str]] = defaultdict(Counter)
    for provision_id, on, status, missed_reason in records:
        delivered = status == DeliveryStatus.DELIVERED
        totals[provision_id][0 if delivered else 1] += 1
        if not delivered:
            reasons[provision_id][missed_reason] += 1
        week = _monday(on)
        if week >= first_week:
            entry = by_provision[provision_id].setdefault(week, Week(week))
            if delivered:
                entry.delivered += 1
            else:
                entry.missed += 1
    lines = []
    for provision in provisions:
        weeks = by_provision[provision.pk]
        shown = [weeks.get(first_week + timedelta(weeks=n), Week(first_week + timedelta(weeks=n)))
                 for n in range(WEEKS_SHOWN)]  # fmt: skip
        given, missed = totals[provision.pk]
        because = [(count, MISSED_WORDS.get(reason, MISSED_WORDS[MissedReason.OTHER]).format(name=name))
                   for reason, count in reasons[provision.pk].most_common()]  # fmt: skip
        lines.append(SupportLine(provision, delivered=given, missed=missed, weeks=shown, missed_because=because))
    return lines


def child_page(pupil: Pupil, local_authority_id: int, today: date, link: Any = None) -> dict[str, Any]:
    cycles = list(
        Cycle.objects.filter(pupil=pupil, shared_with_family=True)
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "id")))
        .select_related("review", "views_request")
        .order_by("-number")
    )
    current = next((cycle for cycle in cycles if cycle.is_open), cycles[0] if cycles else None)
    status = current_status(pupil)
    meetings = list(
        Meeting.objects.filter(pupil=pupil, shared_with_parents_on__isnull=False)
        .prefetch_related(Prefetch("actions", queryset=MeetingAction.objects.order_by("due_on", "id")))
        .order_by("-held_on")[:10]
    )
    read = set(
        MeetingAcknowledgement.objects.filter(meeting__in=meetings, link=link).values_list("meeting_id", flat=True)
    ) if link is not None else set()  # fmt: skip
    for meeting in meetings:
        meeting.read_by_me = meeting.pk in read  # type: ignore[attr-defined]
    profile = ProfileVersion.objects.filter(profile__pupil=pupil, shared_with_family=True).order_by("-number").first()
    pathway = pupil_pathway(pupil, local_authority_id)
    # This family member's answer to "Do you agree with these aims?", for the plan still open.
    my_response = (
        PlanResponse.objects.filter(cycle=current, link=link).first() if current and current.is_open and link else None
    )
    return {
        "status_words": STATUS_WORDS.get(status.status if status else "N", ""),
        "stage_name": pathway["stage_name"],
        "cycle": current,
        "views_asked": current is not None and current.status == CycleStatus.DO and hasattr(current, "views_request"),
        "stage_words": STAGE_WORDS.get(current.stage(today), "") if current else "",
        "outcomes": list(current.outcomes.all()) if current else [],
        "support": _support(current, today, "you were" if link and link.is_young_person else f"{pupil.first_name} was"),
        "earlier_cycles": [cycle for cycle in cycles if cycle is not current],
        "meetings": meetings,
        "may_respond": bool(current and current.is_open and link is not None),
        "my_response": my_response,
        "profile": profile,
        # What the school chose to share, and the family's own photos (graduated.families.evidence).
        "documents": list(
            Document.objects.filter(pupil=pupil, shared_with_family=True).only("pk", "title", "dated", "kind")[:20]
        ),
        # What changed, in the family's words (graduated.family_notices): one query.
        "timeline": timeline(pupil, link),
    }
