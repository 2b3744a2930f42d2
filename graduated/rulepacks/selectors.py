"""Reads of an LA's rule pack versions, each in a fixed number of queries."""

from collections.abc import Callable
from datetime import date

from django.db.models import Prefetch, QuerySet

from graduated.organisations.models import LocalAuthority
from graduated.rulepacks.models import (
    DEFAULT_REVIEW_MONTHS,
    DEFAULT_UNDER_FIVE_REVIEW_MONTHS,
    LocalRule,
    PackStatus,
    RulePack,
)


def _with_rules(packs: QuerySet[RulePack]) -> QuerySet[RulePack]:
    return packs.prefetch_related(Prefetch("rules", queryset=LocalRule.objects.order_by("position", "id")))


def _published(local_authority: LocalAuthority | int) -> QuerySet[RulePack]:
    return RulePack.objects.filter(local_authority=local_authority, status=PackStatus.PUBLISHED)


def in_force(local_authority: LocalAuthority | int, on: date) -> RulePack | None:
    """The version in force on ``on``: the latest published version whose date has come (two queries).

    Ordered by date, then number: publishing refuses a date before the previous version's, so
    both orders agree; the number breaks a tie between versions in force from the same day.
    """
    packs = _published(local_authority).filter(effective_from__lte=on).order_by("-effective_from", "-number")
    return _with_rules(packs.select_related("local_authority")).first()


def latest_published(local_authority: LocalAuthority | int) -> RulePack | None:
    """The latest published version, in force yet or not: a new draft is copied from it."""
    return _with_rules(_published(local_authority).order_by("-effective_from", "-number")).first()


def draft(local_authority: LocalAuthority | int) -> RulePack | None:
    packs = RulePack.objects.filter(local_authority=local_authority, status=PackStatus.DRAFT)
    return _with_rules(packs.select_related("created_by")).first()


def history(local_authority: LocalAuthority | int) -> list[RulePack]:
    """Every version, newest first, with who started it (one query)."""
    packs = RulePack.objects.filter(local_authority=local_authority).select_related("created_by")
    return list(packs.order_by("-number"))


def version(local_authority: LocalAuthority | int, number: int) -> RulePack | None:
    return _with_rules(RulePack.objects.filter(local_authority=local_authority, number=number)).first()


def under_five_review_months(local_authority: LocalAuthority | int) -> Callable[[date], int]:
    """Months between annual reviews of an under-5's EHC plan in the pack in force on a day: the LA's
    published versions are read once (one query), so a list of plans costs no more queries."""
    packs = list(
        _published(local_authority)
        .order_by("-effective_from", "-number")
        .values_list("effective_from", "under_five_review_months")
    )

    def months_on(day: date) -> int:
        return next((months for since, months in packs if since and since <= day), DEFAULT_UNDER_FIVE_REVIEW_MONTHS)

    return months_on


def plan_review_months(local_authority: LocalAuthority | int, on: date) -> int:
    """Months between reviews of the person-centred plan in the LA's pack in force (statutory's
    plan_services uses it for a new version's next review date)."""
    packs = _published(local_authority).filter(effective_from__lte=on).order_by("-effective_from", "-number")
    months = packs.values_list("plan_review_months", flat=True).first()
    return months if months is not None else DEFAULT_REVIEW_MONTHS
