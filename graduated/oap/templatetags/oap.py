"""What the OAP offers on other apps' pages, drawn by this app's partials so that those pages need
only an ``{% include %}``: the strategies for a cycle's areas of need on its provision page, and the
strategies a concern recorded as tried on the concern's page. Each is a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils import timezone

from graduated.oap import selectors
from graduated.oap.models import LEVEL_ORDER, ConcernStrategy, Level, ProvisionStrategy, Strategy
from graduated.pupils.codes import BroadArea

register = template.Library()


@dataclass
class PlanOffer:
    areas: list[str]
    groups: list[tuple[str, list[tuple[Strategy, bool]]]] = field(default_factory=list)  # level -> (strategy, on plan)
    has_version: bool = False


def cycle_areas(cycle: Any) -> list[str]:
    """The pupil's areas of need for this cycle: its outcomes' areas, its analysis by area, and the
    broad areas of the pupil's current recorded needs, in the census order (two queries)."""
    from graduated.pupils.codes import BROAD_AREA_OF_TYPE

    found = set(cycle.outcomes.values_list("area", flat=True))
    found |= {key for key, text in (cycle.analysis_by_area or {}).items() if str(text).strip()}
    for sen_type in cycle.pupil.needs.current().values_list("sen_type", flat=True):
        area = BROAD_AREA_OF_TYPE.get(sen_type)
        if area is not None:
            found.add(area.value)
    return [area for area in BroadArea.values if area in found]


@register.simple_tag
def plan_offer(cycle: Any) -> PlanOffer:
    areas = cycle_areas(cycle)
    offer = PlanOffer([BroadArea(a).label for a in areas])
    version_id = selectors.in_force_id(cycle.setting.local_authority_id, timezone.localdate())
    if version_id is None:
        return offer
    offer.has_version = True
    strategies = selectors.strategies_for_areas(version_id, areas)
    on_plan = set(ProvisionStrategy.objects.filter(cycle=cycle).values_list("strategy_id", flat=True))
    for level in LEVEL_ORDER:
        items = [(s, s.pk in on_plan) for s in strategies if s.level == level]
        if items:
            offer.groups.append((Level(level).label, items))
    return offer


@register.simple_tag
def concern_strategies(concern: Any) -> list[ConcernStrategy]:
    links = ConcernStrategy.objects.filter(concern=concern).select_related("strategy")
    return list(links.order_by("id"))


@register.filter
def area_label(code: str) -> str:
    return BroadArea(code).label if code in BroadArea.values else code


@register.filter
def is_ticked(form: Any, strategy: Strategy) -> bool:
    return bool(form.is_ticked(strategy))
