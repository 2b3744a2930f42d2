"""Reads of an LA's ordinarily available provision, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from graduated.oap.models import (
    LEVEL_ORDER,
    ConcernStrategy,
    Expectation,
    OAPVersion,
    ProvisionStrategy,
    Strategy,
    VersionStatus,
)
from graduated.organisations.models import LocalAuthority
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil


def _with_items(versions: QuerySet[OAPVersion]) -> QuerySet[OAPVersion]:
    return versions.prefetch_related(
        Prefetch("expectations", queryset=Expectation.objects.order_by("position", "id")),
        Prefetch("strategies", queryset=Strategy.objects.order_by("position", "id")),
    )


def _published(local_authority: LocalAuthority | int) -> QuerySet[OAPVersion]:
    return OAPVersion.objects.filter(local_authority=local_authority, status=VersionStatus.PUBLISHED)


def in_force(local_authority: LocalAuthority | int, on: date) -> OAPVersion | None:
    """The version in force on ``on``: the latest published one whose date has come (three queries)."""
    versions = _published(local_authority).filter(effective_from__lte=on).order_by("-effective_from", "-number")
    return _with_items(versions.select_related("local_authority")).first()


def in_force_id(local_authority: LocalAuthority | int, on: date) -> int | None:
    """Only the id of the version in force (one query), for pages that then read only what they need."""
    versions = _published(local_authority).filter(effective_from__lte=on).order_by("-effective_from", "-number")
    return versions.values_list("pk", flat=True).first()


def latest_published(local_authority: LocalAuthority | int) -> OAPVersion | None:
    return _with_items(_published(local_authority).order_by("-effective_from", "-number")).first()


def draft(local_authority: LocalAuthority | int) -> OAPVersion | None:
    versions = OAPVersion.objects.filter(local_authority=local_authority, status=VersionStatus.DRAFT)
    return _with_items(versions.select_related("created_by")).first()


def history(local_authority: LocalAuthority | int) -> list[OAPVersion]:
    versions = OAPVersion.objects.filter(local_authority=local_authority).select_related("created_by", "published_by")
    return list(versions.order_by("-number"))


# -- Grouping for pages ------------------------------------------------------------------------------


@dataclass
class AreaStrategies:
    area: BroadArea
    by_level: list[tuple[str, list[Strategy]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.by_level)


def level_label(level: str) -> str:
    from graduated.oap.models import Level

    return Level(level).label


def strategies_by_area(
    strategies: list[Strategy], areas: list[str] | None = None, levels: list[str] | None = None
) -> list[AreaStrategies]:
    """Strategies grouped by area (in the census order) and level (QFT first), filtered; empty groups left out."""
    groups = []
    for area in BroadArea:
        if areas and area.value not in areas:
            continue
        group = AreaStrategies(area)
        for level in LEVEL_ORDER:
            if levels and level not in levels:
                continue
            items = [s for s in strategies if s.area == area.value and s.level == level]
            if items:
                group.by_level.append((level_label(level), items))
        if group.by_level:
            groups.append(group)
    return groups


def expectations_by_theme(expectations: list[Expectation]) -> list[tuple[str, list[Expectation]]]:
    """Expectations grouped by theme, themes in the order their first expectation comes."""
    themes: dict[str, list[Expectation]] = {}
    for expectation in expectations:
        themes.setdefault(expectation.theme, []).append(expectation)
    return list(themes.items())


def strategies_for_areas(version_id: int | None, areas: list[str]) -> list[Strategy]:
    """The strategies of a version for ``areas``, QFT first, then by area (one query)."""
    if version_id is None or not areas:
        return []
    found = list(Strategy.objects.filter(version_id=version_id, area__in=areas))
    return sorted(found, key=lambda s: (LEVEL_ORDER.index(s.level), list(BroadArea.values).index(s.area), s.position))


# -- What a pupil has tried --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tried:
    strategy: Strategy
    where: str  # "Concern raised 3 November 2026", "Cycle 2 plan"
    on: date


def tried_by_pupil(pupil: Pupil) -> list[Tried]:
    """The OAP strategies linked from the pupil's concerns and plans, oldest first (two queries)."""
    rows = [
        Tried(link.strategy, f"Concern raised {link.concern.raised_on:%-d %B %Y}", link.concern.raised_on)
        for link in ConcernStrategy.objects.filter(concern__pupil=pupil).select_related("strategy", "concern")
    ]
    for link in ProvisionStrategy.objects.filter(cycle__pupil=pupil).select_related("strategy", "cycle"):
        rows.append(Tried(link.strategy, f"SEN support cycle {link.cycle.number} plan", _day(link.created_at)))
    return sorted(rows, key=lambda t: (t.on, t.strategy.title))


def _day(moment: datetime) -> date:
    from django.utils import timezone

    return timezone.localtime(moment).date()
