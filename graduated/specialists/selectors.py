"""Reading the directory and referrals. Each function is a fixed number of queries, whatever the
number of services, referrals or recommendations.

Waiting time: the days from referral to being seen, or to today while the pupil still waits
(``Referral.waiting_days``). Per service, ``waiting_figures`` counts:

* **waiting now**: referred and not yet seen; their **median** and **longest** wait so far;
* **seen**: referred and seen; the **median** wait from referral to being seen.

The median of an even number of waits is the mean of the two middle ones (so it may end in .5).
"""

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from graduated.access import PupilAccess
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Pupil
from graduated.specialists.models import RecommendationStatus, Referral, Service, ServiceKind


def services_of(la: LocalAuthority) -> list[Service]:
    """Every service of the LA's directory, listed ones first: 1 query."""
    return list(Service.objects.filter(local_authority=la).order_by("-is_active", "kind", "name", "id"))


def service_of(la: LocalAuthority, service_id: int) -> Service:
    """The service, only if it is in this LA's directory: another LA's id is a 404."""
    service = Service.objects.filter(pk=service_id, local_authority=la).select_related("local_authority").first()
    if service is None:
        raise Http404("No such service.")
    return service


def directory_for(setting: Setting, kind: str = "", phase: str = "") -> list[Service]:
    """The listed services of the setting's LA, of one type and serving one phase if asked: 1 query."""
    services = Service.objects.filter(local_authority_id=setting.local_authority_id, is_active=True)
    if kind:
        services = services.filter(kind=kind)
    if phase:
        services = services.filter(**{f"serves_{phase}": True})
    return list(services.order_by("kind", "name", "id"))


def pupil_referrals(pupil: Pupil) -> list[Referral]:
    """Every referral of the pupil, newest first, with its recommendations counted: 1 query."""
    return list(
        Referral.objects.filter(pupil=pupil)
        .select_related("service", "setting")
        .annotate(
            recommendation_count=Count("recommendations"),
            in_place_count=Count(
                "recommendations", filter=Q(recommendations__status=RecommendationStatus.PUT_IN_PLACE)
            ),
        )
    )


def referral_for(pupil_access: PupilAccess, referral_id: int) -> Referral:
    """The referral, only if it is this pupil's: another pupil's id is a 404."""
    referral = (
        Referral.objects.filter(pk=referral_id, pupil=pupil_access.pupil)
        .select_related("service", "setting", "created_by")
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    referral.pupil = pupil_access.pupil
    return referral


def recommendations_of(referral: Referral) -> list[Any]:
    """The referral's recommendations with the provision each links to: 1 query."""
    return list(referral.recommendations.select_related("provision__cycle").order_by("id"))


def setting_referrals(setting: Setting) -> list[Referral]:
    """The setting's referrals, those still waiting first, then by date: 1 query."""
    referrals = list(Referral.objects.filter(setting=setting).select_related("pupil", "service"))
    return sorted(
        referrals,
        key=lambda r: (not r.is_waiting, r.referred_on is None, r.referred_on or date.min, r.pk),
    )


# -- Waiting figures -------------------------------------------------------------------------------


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def days_label(days: float | None) -> str:
    if days is None:
        return "–"
    whole = int(days)
    text = str(whole) if days == whole else f"{days:.1f}"
    return f"{text} day" if days == 1 else f"{text} days"


@dataclass
class WaitingFigures:
    service_id: int
    service_name: str
    kind_label: str
    waits_now: list[int] = field(default_factory=list)
    waits_to_seen: list[int] = field(default_factory=list)
    settings: set[int] = field(default_factory=set)

    @property
    def waiting(self) -> int:
        return len(self.waits_now)

    @property
    def median_wait(self) -> str:
        return days_label(_median(self.waits_now))

    @property
    def longest_wait(self) -> str:
        return days_label(max(self.waits_now) if self.waits_now else None)

    @property
    def seen(self) -> int:
        return len(self.waits_to_seen)

    @property
    def median_to_seen(self) -> str:
        return days_label(_median(self.waits_to_seen))

    @property
    def setting_count(self) -> int:
        return len(self.settings)


def waiting_figures(referrals: QuerySet[Referral], today: date) -> list[WaitingFigures]:
    """Per service with a referral made, in service name order: 1 query, no pupil read."""
    rows = (
        referrals.filter(referred_on__isnull=False)
        .values_list("service_id", "service__name", "service__kind", "setting_id", "referred_on", "seen_on")
        .order_by("service__name", "service_id")
    )
    figures: dict[int, WaitingFigures] = {}
    kinds = dict(ServiceKind.choices)
    for service_id, name, kind, setting_id, referred_on, seen_on in rows:
        entry = figures.setdefault(service_id, WaitingFigures(service_id, name, kinds.get(kind, kind)))
        entry.settings.add(setting_id)
        assert referred_on is not None  # filtered above
        if seen_on is None:
            entry.waits_now.append((today - referred_on).days)
        else:
            entry.waits_to_seen.append((seen_on - referred_on).days)
    return list(figures.values())


def setting_waiting_figures(setting: Setting, today: date) -> list[WaitingFigures]:
    return waiting_figures(Referral.objects.filter(setting=setting), today)


def la_waiting_figures(la: LocalAuthority, today: date) -> list[WaitingFigures]:
    return waiting_figures(Referral.objects.filter(service__local_authority=la), today)
