"""Reads for the plans pages, each with a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum

from graduated.organisations.models import LocalAuthority, Setting
from graduated.plans.models import PlanType, SupportTier
from graduated.support.models import Cycle, CycleStatus, QualityCheck, QualityFinding


@dataclass
class SettingQuality:
    setting_id: int
    name: str
    open_plans: int = 0
    failing: dict[str, int] = field(default_factory=dict)  # check -> open plans failing it

    def cells(self) -> list[int]:
        return [self.failing.get(check.value, 0) for check in QualityCheck]

    @property
    def plans_with_issues(self) -> int:
        return max(self.failing.values(), default=0)


def quality_across(la: LocalAuthority) -> dict[str, Any]:
    """For each of the LA's settings and in total: the open plans and how many fail each check.

    Three grouped queries over the stored findings (support.QualityFinding), whatever the number of
    settings, cycles or findings: settings, open cycles per setting, failing plans per setting and check."""
    rows = {
        s.pk: SettingQuality(s.pk, s.name)
        for s in Setting.objects.filter(local_authority=la).order_by("name", "pk").only("pk", "name")
    }
    open_cycles = (
        Cycle.objects.filter(setting__local_authority=la)
        .exclude(status=CycleStatus.CLOSED)
        .order_by()
        .values_list("setting_id")
        .annotate(n=Count("pk"))
    )
    for setting_id, n in open_cycles:
        if setting_id in rows:
            rows[setting_id].open_plans = n
    failing = (
        QualityFinding.objects.filter(setting__local_authority=la)
        .order_by()
        .values_list("setting_id", "check_code")
        .annotate(plans=Count("pk"), times=Sum("count"))
    )
    totals: dict[str, int] = {}
    for setting_id, code, plans, _times in failing:
        if setting_id in rows:
            rows[setting_id].failing[code] = plans
            totals[code] = totals.get(code, 0) + plans
    settings = [row for row in rows.values() if row.open_plans]
    return {
        "checks": list(QualityCheck),
        "settings": settings,
        "settings_without_open_plans": len(rows) - len(settings),
        "total_open": sum(row.open_plans for row in rows.values()),
        "totals": [(check, totals.get(check.value, 0)) for check in QualityCheck],
    }


def choices_for(la: LocalAuthority) -> dict[str, Any]:
    """The platform's and the LA's own plan types and tiers, retired ones included: 2 queries."""
    return {
        "plan_types": list(PlanType.objects.listed_for(la.pk)),
        "tiers": list(SupportTier.objects.listed_for(la.pk)),
    }
