"""Reading funding records: a pupil's, one application, and a setting's totals per academic year.
Each is a fixed number of queries, whatever the number of records."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404

from graduated.access import PupilAccess
from graduated.funding.models import (
    ApplicationStatus,
    AwardKind,
    FundingAward,
    TopUpApplication,
    academic_year_bounds,
    academic_year_label,
)
from graduated.organisations.models import Setting
from graduated.provision.costs import PupilCosts, pupil_costed_provisions
from graduated.pupils.models import Pupil
from graduated.pupils.year_groups import academic_year_start

ZERO = Decimal("0.00")

# The academic year (by the calendar year it starts in) of a record's period_from, worked out by
# the database so that totals are summed there: September to December belong to that year.
ACADEMIC_YEAR = Case(
    When(period_from__month__gte=9, then=ExtractYear("period_from")),
    default=ExtractYear("period_from") - 1,
    output_field=IntegerField(),
)


def _sum(expression: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(expression, filter=condition), Value(ZERO), output_field=DecimalField())


def current_academic_year(today: date) -> tuple[date, date]:
    start = academic_year_start(today)
    return date(start, 9, 1), date(start + 1, 8, 31)


def live_map(pupil: Pupil, today: date) -> PupilCosts:
    """The pupil's costed provision map for this academic year: what a new application would attach."""
    return pupil_costed_provisions(pupil, current_academic_year(today))


def pupil_records(pupil: Pupil) -> dict[str, Any]:
    """Every top-up application and award of the pupil, newest first: 2 queries."""
    return {
        "applications": list(TopUpApplication.objects.filter(pupil=pupil).select_related("setting")),
        "awards": list(FundingAward.objects.filter(pupil=pupil).select_related("setting")),
    }


def application_for(pupil_access: PupilAccess, application_id: int) -> TopUpApplication:
    """The application, only if it is this pupil's: another pupil's id is a 404."""
    application = (
        TopUpApplication.objects.filter(pk=application_id, pupil=pupil_access.pupil)
        .select_related("setting", "created_by")
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    application.pupil = pupil_access.pupil
    return application


@dataclass
class YearTotals:
    """Money in one academic year at one setting. Drafts are not counted: nothing was asked yet."""

    year_starting: int
    requested: Decimal = ZERO  # everything submitted, whatever the LA decided
    approved: Decimal = ZERO  # what the LA approved
    declined: Decimal = ZERO  # what was asked in the applications the LA declined
    pending: Decimal = ZERO  # what was asked in the applications awaiting a decision
    drafts: int = 0
    inclusion_fund: Decimal = ZERO
    disability_access_fund: Decimal = ZERO

    @property
    def label(self) -> str:
        return academic_year_label(self.year_starting)


def year_totals(setting: Setting) -> list[YearTotals]:
    """Every academic year with a record, oldest first. 2 queries: the applications and the awards,
    summed per academic year by the database."""
    S = ApplicationStatus
    application_rows = (
        TopUpApplication.objects.filter(setting=setting)
        .annotate(year=ACADEMIC_YEAR)
        .values("year")
        .annotate(
            requested=_sum("amount_requested", ~Q(status=S.DRAFT)),
            approved=_sum("amount_approved", Q(status=S.APPROVED)),
            declined=_sum("amount_requested", Q(status=S.DECLINED)),
            pending=_sum("amount_requested", Q(status=S.SUBMITTED)),
            drafts=Count("pk", filter=Q(status=S.DRAFT)),
        )
        .order_by("year")
    )
    totals: dict[int, YearTotals] = {}
    for row in application_rows:
        totals[row["year"]] = YearTotals(
            row["year"], requested=row["requested"], approved=row["approved"], declined=row["declined"],
            pending=row["pending"], drafts=row["drafts"],
        )  # fmt: skip
    award_rows = (
        FundingAward.objects.filter(setting=setting)
        .annotate(year=ACADEMIC_YEAR)
        .values("year")
        .annotate(
            inclusion_fund=_sum("amount", Q(kind=AwardKind.SEN_INCLUSION_FUND)),
            disability_access_fund=_sum("amount", Q(kind=AwardKind.DISABILITY_ACCESS_FUND)),
        )
        .order_by("year")
    )
    for award_row in award_rows:
        entry = totals.setdefault(award_row["year"], YearTotals(award_row["year"]))
        entry.inclusion_fund = award_row["inclusion_fund"]
        entry.disability_access_fund = award_row["disability_access_fund"]
    return [totals[year] for year in sorted(totals)]


def setting_records(setting: Setting, year_starting: int | None) -> tuple[list[TopUpApplication], list[FundingAward]]:
    """The setting's applications and awards of one academic year (or of every year): 2 queries."""
    applications: QuerySet[TopUpApplication] = TopUpApplication.objects.filter(setting=setting)
    awards: QuerySet[FundingAward] = FundingAward.objects.filter(setting=setting)
    if year_starting is not None:
        applications = applications.filter(period_from__range=academic_year_bounds(year_starting))
        awards = awards.filter(period_from__range=academic_year_bounds(year_starting))
    order = ("period_from", "pupil__legal_last_name", "pupil__legal_first_name", "id")
    return (
        list(applications.select_related("pupil").order_by(*order)),
        list(awards.select_related("pupil").order_by(*order)),
    )
