"""Reads for organisation pages. The LA overview gives counts only: no pupil is named.

``la_overview`` runs three queries whatever the size of the LA: one row per setting, the LA's
totals, and its primary needs by type.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.models import Enrolment, Need


@dataclass(frozen=True)
class Figures:
    pupils: int
    sen_support: int
    ehc_plans: int

    @property
    def on_register(self) -> int:
        return self.sen_support + self.ehc_plans

    @property
    def register_share(self) -> Decimal | None:
        """The percentage of pupils on the SEN register, to one decimal place (None: no pupils)."""
        if not self.pupils:
            return None
        share = Decimal(self.on_register * 100) / Decimal(self.pupils)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SettingFigures(Figures):
    setting: Setting


@dataclass(frozen=True)
class NeedCount:
    sen_type: str
    label: str
    pupils: int


@dataclass(frozen=True)
class LAOverview:
    local_authority: LocalAuthority
    settings: list[SettingFigures]
    totals: Figures
    primary_needs: list[NeedCount]

    @property
    def pupils_with_primary_need(self) -> int:
        return sum(need.pupils for need in self.primary_needs)


def _current_status(status: SENProvision, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}pupil__sen_statuses__end_date__isnull": True,
            f"{prefix}pupil__sen_statuses__status": status,
        }
    )


def _pupils_in_setting(extra: Q | None = None) -> Coalesce:
    """A subquery counting distinct currently enrolled pupils of the outer setting."""
    counted = (
        Enrolment.objects.current()
        .filter(extra or Q(), setting=OuterRef("pk"))
        .order_by()
        .values("setting")
        .annotate(n=Count("pupil", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _current_enrolments(la: LocalAuthority) -> QuerySet[Enrolment]:
    return Enrolment.objects.current().filter(setting__local_authority=la)


def la_overview(la: LocalAuthority) -> LAOverview:
    """Counts of pupils, SEN support and EHC plans per setting and in all; primary needs by type.

    A pupil enrolled in two of the LA's settings is counted in each setting's row, once in the
    totals and once among the needs.
    """
    settings = (
        Setting.objects.filter(local_authority=la)
        .order_by("name", "pk")
        .annotate(
            pupil_count=_pupils_in_setting(),
            sen_support_count=_pupils_in_setting(_current_status(SENProvision.SEN_SUPPORT)),
            ehc_plan_count=_pupils_in_setting(_current_status(SENProvision.EHC_PLAN)),
        )
    )
    rows = [
        SettingFigures(
            setting=setting,
            pupils=setting.pupil_count,
            sen_support=setting.sen_support_count,
            ehc_plans=setting.ehc_plan_count,
        )
        for setting in settings
    ]
    totals = _current_enrolments(la).aggregate(
        pupils=Count("pupil", distinct=True),
        sen_support=Count("pupil", distinct=True, filter=_current_status(SENProvision.SEN_SUPPORT)),
        ehc_plans=Count("pupil", distinct=True, filter=_current_status(SENProvision.EHC_PLAN)),
    )
    counts = dict(
        Need.objects.current()
        .filter(rank=1, pupil__in=_current_enrolments(la).values("pupil"))
        .order_by()
        .values_list("sen_type")
        .annotate(n=Count("pupil", distinct=True))
        .values_list("sen_type", "n")
    )
    needs = [NeedCount(code, label, counts.get(code, 0)) for code, label in SENType.choices]
    return LAOverview(
        local_authority=la,
        settings=rows,
        totals=Figures(**totals),
        primary_needs=needs,
    )
