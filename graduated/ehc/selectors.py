"""Reading cases: one case of an LA, the inbox, the reviews due and the pupil page's summary. Each is
a fixed number of queries, whatever the number of cases; the timelines are worked out in Python
(``timeline.py``) from the rows loaded here."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from graduated.ehc.models import OPEN_STAGES, ClockExceptionRecord, EHCPlan, EHCRequest, PlanReview
from graduated.ehc.reviews import ReviewDue, review_due
from graduated.ehc.timeline import Deadline, Timeline, timeline_for
from graduated.ehc.transfers import current_enrolments_prefetch
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Pupil
from graduated.rulepacks.selectors import under_five_review_months

# A closure names the setting that was shut; the case page shows it.
CLOSED_SETTING = Prefetch("clock_exceptions", queryset=ClockExceptionRecord.objects.select_related("setting"))


def _cases(la: LocalAuthority) -> QuerySet[EHCRequest]:
    return (
        EHCRequest.objects.filter(local_authority=la)
        .select_related("pupil", "requesting_setting", "plan", "prepared_request", "officer")
        .prefetch_related("advice_requests", CLOSED_SETTING)
    )


def case_for(la: LocalAuthority, case_id: int) -> EHCRequest:
    """The case, only if it is this LA's: another LA's id is a 404. 3 queries."""
    case = _cases(la).filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    case.local_authority = la
    return case


def plan_reviews(plan: EHCPlan | None) -> list[PlanReview]:
    return list(plan.reviews.all()) if plan is not None else []


@dataclass(frozen=True)
class InboxRow:
    case: EHCRequest
    timeline: Timeline
    deadline: Deadline

    def days_left(self, today: date) -> int:
        return (self.deadline.statutory - today).days


@dataclass(frozen=True)
class InboxFilter:
    """What the officer narrowed the inbox to; None is "any". ``officer`` 0 means "not assigned"."""

    stage: str | None = None
    setting: Setting | None = None
    officer: int | None = None
    rag: str | None = None  # red, amber, green, or "exception" (an exception applies)


def _status(deadline: Deadline, today: date) -> str:
    return "exception" if deadline.excused else deadline.rag(today).value


def inbox(la: LocalAuthority, today: date, wanted: InboxFilter | None = None) -> list[InboxRow]:
    """The LA's open cases, the nearest deadline first, narrowed by ``wanted``. 3 queries."""
    wanted = wanted or InboxFilter()
    cases = _cases(la).filter(stage__in=[wanted.stage] if wanted.stage else list(OPEN_STAGES))
    if wanted.setting is not None:
        cases = cases.filter(requesting_setting=wanted.setting)
    if wanted.officer is not None:
        cases = cases.filter(officer=wanted.officer or None)
    rows = []
    for case in cases:
        timeline = timeline_for(case, today)
        assert timeline.next_deadline is not None  # every open case has one
        if wanted.rag is None or _status(timeline.next_deadline, today) == wanted.rag:
            rows.append(InboxRow(case, timeline, timeline.next_deadline))
    rows.sort(key=lambda row: (row.deadline.statutory, row.case.received_on, row.case.pk))
    return rows


def all_cases(la: LocalAuthority) -> list[EHCRequest]:
    """Every request of the LA, oldest first, with what its timeline needs. 3 queries."""
    return list(_cases(la).order_by("received_on", "id"))


def reviews_due(la: LocalAuthority, today: date) -> list[ReviewDue]:
    """Every final plan of the LA that has not ceased, with its next review date and phase transfer, the soonest
    first. 4 queries."""
    plans = (
        EHCPlan.objects.filter(local_authority=la, final_issued_on__isnull=False)
        .exclude(reviews__ceased_on__isnull=False)
        .select_related("pupil")
        .prefetch_related(
            Prefetch("reviews", queryset=PlanReview.objects.order_by("-meeting_on")),
            current_enrolments_prefetch(today, "pupil__enrolments"),  # the settings, for the phase transfers
        )
    )
    under_five = under_five_review_months(la)
    dues = [review_due(plan, list(plan.reviews.all()), today, under_five) for plan in plans]
    return sorted(dues, key=lambda due: (due.due, due.plan.pk))


@dataclass(frozen=True)
class PupilCase:
    """What the requesting school sees of its request: the stage and the key dates."""

    case: EHCRequest
    timeline: Timeline


def requests_for_school(pupil: Pupil, setting: Setting, today: date) -> list[PupilCase]:
    """The pupil's requests made by ``setting``, newest first. 3 queries."""
    cases = (
        EHCRequest.objects.filter(pupil=pupil, requesting_setting=setting)
        .select_related("plan", "local_authority", "requesting_setting")
        .prefetch_related("advice_requests", "clock_exceptions")
    )
    return [PupilCase(case, timeline_for(case, today)) for case in cases]
