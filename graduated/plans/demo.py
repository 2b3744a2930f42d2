"""Demo plan types and tiers: Northshire's own termly My Support Plan (like Kirklees, three
reviews a year), and a tier for every demo cycle, from Targeted in a first cycle to Targeted plus
from a third. The platform's defaults come from the migrations; every cycle already has its plan
type (``support.services.start_cycle``). Runs after the support demo; loading twice adds nothing."""

from django.db import transaction

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority
from graduated.plans import services
from graduated.plans.models import PlanType, SupportTier
from graduated.support import quality
from graduated.support.models import Cycle

NORTHSHIRE_PLAN = "Northshire My Support Plan"


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    added = 0
    north = LocalAuthority.objects.filter(name="Northshire").first()
    if north is not None and not PlanType.objects.filter(local_authority=north, name=NORTHSHIRE_PLAN).exists():
        services.add_choice(
            actor=Actor.system("demo"), local_authority=north, model=PlanType,
            details={"name": NORTHSHIRE_PLAN, "position": 15, "retired": False, "reviews_per_year": 3,
                     "person_centred": True,
                     "description": "Agreed at a person-centred planning meeting; reviewed each term."},
        )  # fmt: skip
        added += 1
    tiers = {tier.key: tier for tier in SupportTier.objects.filter(local_authority__isnull=True)}
    untiered = Cycle.objects.filter(tier__isnull=True)
    given = untiered.filter(number__lte=2).update(tier=tiers.get("targeted"))
    given += untiered.filter(number__gte=3).update(tier=tiers.get("targeted_plus"))
    quality.rebuild_all()
    return {"LA plan types": added, "cycles given a tier": given}
