"""Reads for organisation pages. The LA overview gives counts only: no pupil is named.

``la_overview`` runs six queries whatever the size of the LA, each grouped in the database: pupils
on roll per setting, the register per setting and status, the settings, the totals (on roll; on the
register by status) and the primary needs by type.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.models import Enrolment, Need, SENStatusPeriod


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


def _current_enrolments(la: LocalAuthority) -> QuerySet[Enrolment]:
    return Enrolment.objects.current().filter(setting__local_authority=la).order_by()


def la_overview(la: LocalAuthority) -> LAOverview:
    """Counts of pupils, SEN support and EHC plans per setting and in all; primary needs by type.

    A pupil enrolled in two of the LA's settings is counted in each setting's row, once in the
    totals and once among the needs.
    """
    enrolments = _current_enrolments(la)
    rolls = dict(
        enrolments.values("setting_id").annotate(n=Count("pupil_id", distinct=True)).values_list("setting_id", "n")
    )
    # Led by the register's current statuses (a sixth of the pupils), each pupil's enrolments looked
    # up by pupil: SQLite would otherwise read every enrolment of the LA and look each status up.
    on_register = SENStatusPeriod.objects.current().filter(status__in=[SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN])
    today = timezone.localdate()
    per_setting = (
        on_register.filter(
            Q(pupil__enrolments__end_date__isnull=True) | Q(pupil__enrolments__end_date__gte=today),
            pupil__enrolments__setting__local_authority=la,
        )
        .order_by()
        .values("pupil__enrolments__setting_id", "status")
        .annotate(n=Count("pupil_id", distinct=True))
        .values_list("pupil__enrolments__setting_id", "status", "n")
    )
    register = {(setting_id, status): n for setting_id, status, n in per_setting}
    rows = [
        SettingFigures(
            setting=setting,
            pupils=rolls.get(setting.pk, 0),
            sen_support=register.get((setting.pk, SENProvision.SEN_SUPPORT), 0),
            ehc_plans=register.get((setting.pk, SENProvision.EHC_PLAN), 0),
        )
        for setting in Setting.objects.filter(local_authority=la).order_by("name", "pk")
    ]
    enrolled = Exists(enrolments.filter(pupil_id=OuterRef("pupil_id")))
    statuses = dict(
        on_register.filter(enrolled)
        .order_by()
        .values("status")
        .annotate(n=Count("pupil_id"))
        .values_list("status", "n")
    )
    totals = {
        "pupils": enrolments.aggregate(n=Count("pupil_id", distinct=True))["n"],
        "sen_support": statuses.get(SENProvision.SEN_SUPPORT, 0),
        "ehc_plans": statuses.get(SENProvision.EHC_PLAN, 0),
    }
    counts = dict(
        Need.objects.current()
        .filter(rank=1)
        .filter(Exists(enrolments.filter(pupil_id=OuterRef("pupil_id"))))
        .order_by()
        .values_list("sen_type")
        .annotate(n=Count("pupil_id"))
        .values_list("sen_type", "n")
    )
    needs = [NeedCount(code, label, counts.get(code, 0)) for code, label in SENType.choices]
    return LAOverview(
        local_authority=la,
        settings=rows,
        totals=Figures(**totals),
        primary_needs=needs,
    )
