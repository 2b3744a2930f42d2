"""Reads for meetings, each in a fixed number of queries whatever the number of pupils or meetings."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from graduated.meetings.models import Attendee, Meeting, MeetingAction, academic_year
from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Pupil, SENStatusPeriod

EXPECTED_PARENT_MEETINGS = 3
CODE_OF_PRACTICE_REASON = (
    "The SEND Code of Practice (6.65) expects schools to meet parents of pupils on SEN support at least "
    "three times a year."
)


def _parent_meeting_count(on: date) -> Coalesce:
    meetings = (
        Meeting.objects.with_parents()
        .in_academic_year(on)
        .filter(pupil=OuterRef("pk"))
        .order_by()
        .values("pupil")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(meetings, output_field=IntegerField()), 0)


def _as_queryset(pupils: QuerySet[Pupil] | Iterable[Pupil | int]) -> QuerySet[Pupil]:
    if isinstance(pupils, QuerySet):
        return pupils
    return Pupil.objects.filter(pk__in=[p if isinstance(p, int) else p.pk for p in pupils])


def parent_meetings_this_year(pupils: QuerySet[Pupil] | Iterable[Pupil | int], on: date) -> dict[int, int]:
    """Per pupil id, the meetings with a parent or carer present in the academic year containing ``on``.

    One query for any number of pupils; pupils with none are there with 0.
    """
    rows = _as_queryset(pupils).order_by().annotate(parent_meetings=_parent_meeting_count(on))
    return dict(rows.values_list("pk", "parent_meetings"))


@dataclass(frozen=True)
class ParentMeetingShortfall:
    """A pupil on SEN support who has met the Code's three parent meetings fewer times this year."""

    pupil: Pupil
    count: int
    year_start: date

    @property
    def reason(self) -> str:
        return CODE_OF_PRACTICE_REASON

    @property
    def so_far(self) -> str:
        meetings = "1 meeting" if self.count == 1 else f"{self.count} meetings"
        return f"{meetings} with parents or carers since {self.year_start.day} September {self.year_start.year}."

    @property
    def message(self) -> str:
        return f"{self.reason} So far this year: {self.so_far}"


def on_sen_support(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    # EXISTS, one look-up a pupil: an IN (...) would list every pupil on SEN support in the LA first.
    current_k = SENStatusPeriod.objects.current().filter(pupil=OuterRef("pk"), status=SENProvision.SEN_SUPPORT)
    return pupils.filter(Exists(current_k))


def short_of_parent_meetings(pupils: QuerySet[Pupil] | Iterable[Pupil | int], on: date) -> list[ParentMeetingShortfall]:
    """Pupils currently on SEN support (K) with fewer than three parent meetings this academic year.

    A warning to act on, never a block on anything. One query.
    """
    start, _ = academic_year(on)
    rows = (
        on_sen_support(_as_queryset(pupils))
        .annotate(parent_meetings=_parent_meeting_count(on))
        .filter(parent_meetings__lt=EXPECTED_PARENT_MEETINGS)
        .order_by("parent_meetings", "legal_last_name", "legal_first_name", "pk")
        # The names the lists show: a setting's list runs to hundreds of pupils.
        .only("legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name")
    )
    return [ParentMeetingShortfall(pupil=p, count=p.parent_meetings, year_start=start) for p in rows]


def shortfall_for_pupil(pupil: Pupil, parent_meetings: int, on: date) -> ParentMeetingShortfall | None:
    """``short_of_parent_meetings`` for one pupil whose parent meetings this year are already counted:
    one small query (is the pupil on SEN support now?) instead of the annotated one, which costs
    the pupil page several milliseconds to build. Always that one query, so the page's count is fixed."""
    on_sen_support_now = SENStatusPeriod.objects.current().filter(pupil=pupil, status=SENProvision.SEN_SUPPORT).exists()
    if not on_sen_support_now or parent_meetings >= EXPECTED_PARENT_MEETINGS:
        return None
    return ParentMeetingShortfall(pupil=pupil, count=parent_meetings, year_start=academic_year(on)[0])


def meetings_for_pupil(pupil: Pupil) -> QuerySet[Meeting]:
    """The pupil's meetings, newest first, with attendees and actions loaded (three queries)."""
    return (
        pupil.meetings.select_related("recorded_by")
        .annotate(parent_attendees=Count("attendees", filter=Q(attendees__kind="parent")))
        .prefetch_related(
            Prefetch("attendees", queryset=Attendee.objects.order_by("id")),
            Prefetch("actions", queryset=MeetingAction.objects.order_by("due_on", "id")),
        )
    )


def open_actions_for_pupil(pupil: Pupil, limit: int = 5) -> list[MeetingAction]:
    return list(
        MeetingAction.objects.open()
        .filter(meeting__pupil=pupil)
        .select_related("meeting")
        .order_by("due_on", "id")[:limit]
    )


def overdue_actions_in_setting(setting: Setting, on: date) -> QuerySet[MeetingAction]:
    """Actions not done and due before ``on``, for pupils currently enrolled at ``setting``. One query."""
    return (
        MeetingAction.objects.overdue(on)
        .filter(meeting__pupil__in=Pupil.objects.enrolled_in(setting, on))
        .select_related("meeting", "meeting__pupil")
        # What the lists show (a meeting's notes are most of its row, and a school has hundreds overdue).
        .only(
            *("id", "meeting_id", "description", "owner_name", "due_on", "done_on", "meeting__id", "meeting__pupil_id"),
            *("meeting__pupil__id", "meeting__pupil__legal_first_name", "meeting__pupil__legal_last_name"),
            *("meeting__pupil__preferred_first_name", "meeting__pupil__preferred_last_name"),
        )
        .order_by("due_on", "meeting__pupil__legal_last_name", "id")
    )
