"""Reading cases: one case of an LA, the inbox, the reviews due and the pupil page's summary. Each is
a fixed number of queries, whatever the number of cases; the timelines are worked out in Python
(``timeline.py``) from the rows loaded here."""

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from graduated.ehc.models import OPEN_STAGES, ClockExceptionRecord, EHCPlan, EHCRequest, PlanReview
from graduated.ehc.reviews import ReviewDue, next_review, review_due
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


#: What the SEN2-style CSV reads of each case (``figures.case_clocks``); the timeliness figures need only
#: ``CLOCK_COLUMNS``.
CLOCK_COLUMNS = (
    "id", "received_on", "stage", "to_assess", "assessment_decided_on", "plan__id", "plan__final_issued_on",
)  # fmt: skip
CASE_COLUMNS = (
    *CLOCK_COLUMNS, "source", "requested_by", "not_to_issue_on", "withdrawn_on", "withdrawn_by",
    "requesting_setting__urn", "pupil__upn", "pupil__legal_last_name", "pupil__legal_first_name",
    "pupil__date_of_birth", "plan__draft_issued_on",
)  # fmt: skip


def case_columns(la: LocalAuthority, columns: tuple[str, ...] = CASE_COLUMNS) -> list[dict[str, Any]]:
    """Every request of the LA, oldest first, as ``columns``: an LA has thousands of cases, and building
    a model (and its timeline) for each is what made its figures slow. 1 query."""
    return list(EHCRequest.objects.filter(local_authority=la).order_by("received_on", "id").values(*columns))


def cases_with_exceptions(la: LocalAuthority) -> list[EHCRequest]:
    """The LA's requests with an exception to the time limits recorded, with what their timelines need:
    only there can a deadline be excused. 3 queries."""
    return list(
        EHCRequest.objects.filter(local_authority=la)
        .filter(Exists(ClockExceptionRecord.objects.filter(request=OuterRef("pk"))))
        .select_related("plan")
        .prefetch_related("advice_requests", "clock_exceptions")
    )


def _final_plans(la: LocalAuthority) -> QuerySet[EHCPlan]:
    """The LA's final plans that have not ceased (a ceased plan is no longer reviewed)."""
    return EHCPlan.objects.filter(local_authority=la, final_issued_on__isnull=False).exclude(
        reviews__ceased_on__isnull=False
    )


def review_order(la: LocalAuthority, today: date) -> list[tuple[date, int]]:
    """(The day the next review is due, the plan's id) for every final plan of the LA that has not ceased,
    the soonest first, worked out from columns: the page shows one page of them (``reviews_due``). 2 queries."""
    plans = (
        _final_plans(la)
        .annotate(last_held=Max("reviews__meeting_on", filter=Q(reviews__meeting_on__lte=today)))
        .values_list("pk", "final_issued_on", "last_held", "pupil__date_of_birth")
    )
    under_five = under_five_review_months(la)
    # A final plan always has its issue date (_final_plans).
    return sorted((next_review(cast(date, issued), held, born, under_five)[3], pk) for pk, issued, held, born in plans)


def reviews_due(la: LocalAuthority, today: date, plan_ids: list[int] | None = None) -> list[ReviewDue]:
    """Every final plan of the LA that has not ceased (or those of ``plan_ids``), with its next review date and
    phase transfer, the soonest first. 4 queries."""
    plans = _final_plans(la)
    if plan_ids is not None:
        plans = plans.filter(pk__in=plan_ids)
    plans = plans.select_related("pupil").prefetch_related(
        Prefetch("reviews", queryset=PlanReview.objects.order_by("-meeting_on")),
        current_enrolments_prefetch(today, "pupil__enrolments"),  # the settings, for the phase transfers
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
