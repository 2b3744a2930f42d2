"""The LA's person-level SEN2 return for one collection year, built from its cases.

SEN2 counts, for each child or young person, what happened in the calendar year before the
reference date (the third Thursday of January) and what stood on that day. Its modules nest:

    1 person
      2 request                      every request in the year, or still open at its start
        3 assessment                 when the LA decided to assess
          4a named plan              when the assessment ended in a plan
            4b plan detail           the placements the plan named when it was issued
        5a active plan               a plan maintained on the reference date
          5b placement detail        its placements during the year
          5c SEN need                the person's needs on the reference date, ranked

Every value is as at the reference date: a decision dated after it is "pending". Rows are plain
dicts of strings keyed by item name, each with the ``id`` of its record and the ``parent`` of the
module above, so the XML (nested) and the CSV (one file per module) come from the same rows
(``sen2_files.py``), and the validation rules (``sen2_checks.py``) read them too.

Reads a fixed number of queries, whatever the number of cases (``cases_for_return``).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q

from graduated.ehc.models import (
    AdviceRequest,
    AdviserKind,
    ClockExceptionRecord,
    EHCPlan,
    EHCRequest,
    Placement,
    PlanReview,
    Stage,
)
from graduated.ehc.sen2_codes import AssessmentOutcome, RequestOutcome
from graduated.ehc.timeline import facts_of, final_plan_excused, plan_of
from graduated.organisations.models import LocalAuthority
from graduated.pupils.models import Need, Pupil

Row = dict[str, str]

#: The modules in order, each with its items (after ``id`` and ``parent``), as the return names them.
MODULES: dict[str, list[str]] = {
    "person": [
        "Surname", "Forename", "PersonBirthDate", "GenderCurrent", "Ethnicity", "Postcode", "UPN",
        "UniqueLearnerNumber", "UPNunknown",
    ],
    "request": [
        "ReceivedDate", "RequestSource", "RYA", "RequestOutcomeDate", "RequestOutcome", "RequestMediation",
        "RequestTribunal", "Exported",
    ],
    "assessment": [
        "AssessmentOutcome", "AssessmentOutcomeDate", "AssessmentMediation", "AssessmentTribunal", "OtherMediation",
        "OtherTribunal", "Week20",
    ],
    "named_plan": ["StartDate", "PlanRes", "PlanWBP", "PB", "OA", "DP", "CeaseDate", "CeaseReason"],
    "plan_detail": [
        "URN", "UKPRN", "SENsetting", "SENsettingOther", "PlacementRank", "SENunitIndicator",
        "ResourcedProvisionIndicator",
    ],
    "active_plan": ["TransferLA", "Res", "WBP", "LastReview"],
    "placement_detail": [
        "URN", "UKPRN", "SENsetting", "SENsettingOther", "PlacementRank", "EntryDate", "LeavingDate",
        "SENunitIndicator", "ResourcedProvisionIndicator",
    ],
    "sen_need": ["SENtypeRank", "SENtype"],
}  # fmt: skip
#: Each module's parent module (None for the person).
PARENT = {
    "person": None, "request": "person", "assessment": "request", "named_plan": "assessment",
    "plan_detail": "named_plan", "active_plan": "request", "placement_detail": "active_plan",
    "sen_need": "active_plan",
}  # fmt: skip


def reference_date(year: int) -> date:
    """The third Thursday of January of ``year``: the SEN2 census day."""
    first = date(year, 1, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=2)


def return_year(today: date) -> int:
    """The return an LA is working towards on ``today``: this January's until its reference date has
    passed by a month (the collection window), then next January's."""
    if today <= reference_date(today.year) + timedelta(days=31):
        return today.year
    return today.year + 1


@dataclass(frozen=True)
class Collection:
    year: int

    @property
    def reference_date(self) -> date:
        return reference_date(self.year)

    @property
    def period_start(self) -> date:
        return date(self.year - 1, 1, 1)

    @property
    def period_end(self) -> date:
        return date(self.year - 1, 12, 31)


@dataclass
class Sen2Return:
    la: LocalAuthority
    collection: Collection
    modules: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in MODULES})
    # For the checks' messages: which case each request row came from, and each person's name.
    case_of_request: dict[str, EHCRequest] = field(default_factory=dict)
    _index: dict[tuple[str, str], list[Row]] | None = field(default=None, repr=False)

    def rows(self, module: str) -> list[Row]:
        return self.modules[module]

    def children(self, module: str, parent_id: str) -> list[Row]:
        """The rows of ``module`` under ``parent_id`` (indexed once: an LA's return has thousands)."""
        if self._index is None:
            self._index = {}
            for name, rows in self.modules.items():
                for row in rows:
                    self._index.setdefault((name, row["parent"]), []).append(row)
        return self._index.get((module, parent_id), [])


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _on_or_before(day: date | None, limit: date) -> date | None:
    return day if day is not None and day <= limit else None


# The lists ``cases_for_return`` loads: on a case, its plan and its pupil.
EXCEPTIONS, SCHOOL_ADVICE, PLACEMENTS, REVIEWS, NEEDS = (
    "sen2_exceptions", "sen2_school_advice", "sen2_placements", "sen2_reviews", "sen2_needs",
)  # fmt: skip


def cases_for_return(la: LocalAuthority, collection: Collection) -> list[EHCRequest]:
    """The LA's requests the return may need: received by the end of the year and not finished before
    it began (or with a plan that had not ceased by then). 6 queries."""
    start = collection.period_start
    finished_before = (
        Q(stage=Stage.NOT_ASSESSING, assessment_decided_on__lt=start)
        | Q(stage=Stage.NOT_ISSUING, not_to_issue_on__lt=start)
        | Q(stage=Stage.WITHDRAWN, withdrawn_on__lt=start)
        | Q(plan__reviews__ceased_on__lt=start)
    )
    reference = collection.reference_date
    needs = Need.objects.filter(start_date__lte=reference).filter(Q(end_date__isnull=True) | Q(end_date__gte=reference))
    # Into lists (to_attr), not the related managers' caches: filling a manager's cache costs a queryset
    # clone for each of an LA's thousands of cases, which was most of the return's time. Only the 20 weeks'
    # exception is read from the clock (Week20), so only the advice asked of schools is loaded, and only on
    # the cases with an exception recorded.
    school_advice = AdviceRequest.objects.filter(adviser_kind=AdviserKind.SCHOOL).filter(
        Exists(ClockExceptionRecord.objects.filter(request=OuterRef("request")))
    )
    return list(
        EHCRequest.objects.filter(local_authority=la, received_on__lte=collection.period_end)
        .exclude(finished_before)
        .select_related("pupil", "plan")
        .prefetch_related(
            Prefetch("clock_exceptions", to_attr=EXCEPTIONS),
            Prefetch("advice_requests", queryset=school_advice, to_attr=SCHOOL_ADVICE),
            Prefetch("plan__placements", queryset=Placement.objects.select_related("setting"), to_attr=PLACEMENTS),
            Prefetch("plan__reviews", queryset=PlanReview.objects.order_by("-meeting_on", "-id"), to_attr=REVIEWS),
            Prefetch("pupil__needs", queryset=needs.order_by("rank"), to_attr=NEEDS),
        )
        .order_by("pupil_id", "received_on", "id")
    )  # fmt: skip


def _person(pupil: Pupil) -> Row:
    return {
        "id": str(pupil.pk), "parent": "", "Surname": pupil.legal_last_name, "Forename": pupil.legal_first_name,
        "PersonBirthDate": _iso(pupil.date_of_birth), "GenderCurrent": pupil.sex, "Ethnicity": "", "Postcode": "",
        "UPN": pupil.upn or "", "UniqueLearnerNumber": "", "UPNunknown": "",
    }  # fmt: skip


def _request_outcome(case: EHCRequest, reference: date) -> tuple[str, date | None]:
    decided = _on_or_before(case.assessment_decided_on, reference)
    if decided is not None:
        return (RequestOutcome.ASSESS if case.to_assess else RequestOutcome.NOT_ASSESS), decided
    withdrawn = _on_or_before(case.withdrawn_on, reference)
    if withdrawn is not None:
        return RequestOutcome.WITHDRAWN, withdrawn
    return RequestOutcome.PENDING, None


def _assessment_outcome(case: EHCRequest, plan: EHCPlan | None, reference: date) -> tuple[str, date | None]:
    issued = _on_or_before(plan.final_issued_on if plan else None, reference)
    if issued is not None:
        return AssessmentOutcome.ISSUE, issued
    not_issued = _on_or_before(case.not_to_issue_on, reference)
    if not_issued is not None:
        return AssessmentOutcome.NOT_ISSUE, not_issued
    withdrawn = _on_or_before(case.withdrawn_on, reference)
    if withdrawn is not None:
        return AssessmentOutcome.WITHDRAWN, withdrawn
    return AssessmentOutcome.PENDING, None


def _placement(placement: Placement, parent: str, *, with_dates: bool) -> Row:
    setting = placement.setting
    row = {
        "id": str(placement.pk), "parent": parent,
        "URN": placement.urn or (setting.urn if setting and setting.urn else ""), "UKPRN": placement.ukprn,
        "SENsetting": placement.sen_setting, "SENsettingOther": placement.sen_setting_other,
        "PlacementRank": str(placement.rank), "SENunitIndicator": _flag(placement.sen_unit),
        "ResourcedProvisionIndicator": _flag(placement.resourced_provision),
    }  # fmt: skip
    if with_dates:
        row |= {"EntryDate": _iso(placement.entry_date), "LeavingDate": _iso(placement.leaving_date)}
    return row


def _named_placements(plan: EHCPlan, placements: list[Placement]) -> list[Placement]:
    """The placements the plan named when it was issued: those current on its issue date, or, when it
    named a setting to start later, the first of each rank."""
    assert plan.final_issued_on is not None
    named = [placement for placement in placements if placement.current_on(plan.final_issued_on)]
    if named:
        return named
    firsts: dict[int, Placement] = {}
    for placement in sorted(placements, key=lambda placement: placement.entry_date):
        firsts.setdefault(placement.rank, placement)
    return list(firsts.values())


def _ceased(reviews: Iterable[PlanReview], reference: date) -> PlanReview | None:
    return next((review for review in reviews if _on_or_before(review.ceased_on, reference)), None)


def _add_plan(built: Sen2Return, case: EHCRequest, plan: EHCPlan, assessment_id: str, request_id: str) -> None:
    collection = built.collection
    reference = collection.reference_date
    reviews: list[PlanReview] = getattr(plan, REVIEWS)
    placements: list[Placement] = getattr(plan, PLACEMENTS)
    ceased = _ceased(reviews, reference)
    named_id = str(plan.pk)
    built.modules["named_plan"].append({
        "id": named_id, "parent": assessment_id, "StartDate": _iso(plan.final_issued_on),
        "PlanRes": _flag(plan.residential), "PlanWBP": _flag(plan.work_based_learning),
        "PB": _flag(plan.personal_budget), "OA": _flag(plan.budget_organised_arrangements),
        "DP": _flag(plan.budget_direct_payments), "CeaseDate": _iso(ceased.ceased_on if ceased else None),
        "CeaseReason": str(ceased.cease_reason) if ceased and ceased.cease_reason else "",
    })  # fmt: skip
    for placement in _named_placements(plan, placements):
        built.modules["plan_detail"].append(_placement(placement, named_id, with_dates=False))
    if ceased is not None:
        return
    # Maintained on the reference date: an active plan, with its placements in the year and the needs.
    active_id = str(plan.pk)
    decided = [day for day in (_on_or_before(review.decided_on, reference) for review in reviews) if day is not None]
    built.modules["active_plan"].append({
        "id": active_id, "parent": request_id, "TransferLA": plan.transferred_in_from,
        "Res": _flag(plan.residential), "WBP": _flag(plan.work_based_learning),
        "LastReview": _iso(max(decided)) if decided else "",
    })  # fmt: skip
    for placement in placements:
        left_before = placement.leaving_date is not None and placement.leaving_date < collection.period_start
        if placement.entry_date <= reference and not left_before:
            built.modules["placement_detail"].append(_placement(placement, active_id, with_dates=True))
    for need in getattr(case.pupil, NEEDS):
        built.modules["sen_need"].append(
            {"id": str(need.pk), "parent": active_id, "SENtypeRank": str(need.rank), "SENtype": need.sen_type}
        )


def build_return(la: LocalAuthority, collection: Collection, cases: Iterable[EHCRequest]) -> Sen2Return:
    """Every module's rows, from ``cases`` as ``cases_for_return`` loads them. Pure: no queries."""
    built = Sen2Return(la, collection)
    reference = collection.reference_date
    people: set[int] = set()
    for case in cases:
        if case.pupil_id not in people:
            people.add(case.pupil_id)
            built.modules["person"].append(_person(case.pupil))
        request_id = str(case.pk)
        built.case_of_request[request_id] = case
        outcome, outcome_on = _request_outcome(case, reference)
        built.modules["request"].append({
            "id": request_id, "parent": str(case.pupil_id), "ReceivedDate": _iso(case.received_on),
            "RequestSource": str(case.source), "RYA": "0", "RequestOutcomeDate": _iso(outcome_on),
            "RequestOutcome": outcome, "RequestMediation": _flag(case.request_mediation),
            "RequestTribunal": _flag(case.request_tribunal), "Exported": "0",
        })  # fmt: skip
        if outcome != RequestOutcome.ASSESS:
            continue
        plan = plan_of(case)
        assessed, assessed_on = _assessment_outcome(case, plan, reference)
        exceptions = getattr(case, EXCEPTIONS)
        excused = bool(exceptions) and final_plan_excused(case, facts_of(exceptions, getattr(case, SCHOOL_ADVICE)))
        built.modules["assessment"].append({
            "id": request_id, "parent": request_id, "AssessmentOutcome": assessed,
            "AssessmentOutcomeDate": _iso(assessed_on), "AssessmentMediation": _flag(case.assessment_mediation),
            "AssessmentTribunal": _flag(case.assessment_tribunal), "OtherMediation": _flag(case.other_mediation),
            "OtherTribunal": _flag(case.other_tribunal),
            "Week20": _flag(excused) if assessed == AssessmentOutcome.ISSUE else "",
        })  # fmt: skip
        if assessed == AssessmentOutcome.ISSUE and plan is not None:
            _add_plan(built, case, plan, request_id, request_id)
    return built
