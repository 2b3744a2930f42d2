"""Plan types and tiers of an LA, made through the services as its admin would."""

from typing import Any

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority
from graduated.plans import services
from graduated.plans.models import SEN_SUPPORT_PLAN, PlanType, SupportTier

ACTOR = Actor.system("test")


def la_plan_type(la: LocalAuthority, name: str = "Kirklees My Support Plan", **extra: Any) -> PlanType:
    details = {"name": name, "description": "Reviewed each term", "position": 50, "retired": False,
               "reviews_per_year": 3, "person_centred": True, **extra}  # fmt: skip
    made = services.add_choice(actor=ACTOR, local_authority=la, model=PlanType, details=details)
    assert isinstance(made, PlanType)
    return made


def la_tier(la: LocalAuthority, name: str = "Enhanced targeted", **extra: Any) -> SupportTier:
    details = {"name": name, "description": "", "position": 25, "retired": False, **extra}
    made = services.add_choice(actor=ACTOR, local_authority=la, model=SupportTier, details=details)
    assert isinstance(made, SupportTier)
    return made


def sen_support_plan() -> PlanType:
    return PlanType.objects.get(key=SEN_SUPPORT_PLAN)
