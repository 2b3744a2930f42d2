"""Reading grants, advice and the plan a professional may see. Each runs a fixed number of queries."""

from typing import Any

from graduated.accounts.models import User
from graduated.professionals.models import ProfessionalAdvice, ProfessionalGrant
from graduated.profiles.services import current_version
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle


def grants_for_pupil(pupil: Pupil) -> list[ProfessionalGrant]:
    """Every grant to the pupil, live, expired or revoked, newest first: 1 query."""
    return list(pupil.professional_grants.select_related("user", "invited_by", "revoked_by", "setting"))


def advice_for_pupil(pupil: Pupil) -> list[ProfessionalAdvice]:
    """1 query."""
    return list(pupil.professional_advice.select_related("grant", "written_by"))


def live_grants_of(user: User) -> list[ProfessionalGrant]:
    """The grants ``user`` may use today, with their pupils: 1 query."""
    grants = ProfessionalGrant.objects.live().filter(user=user, user__is_active=True)
    return list(grants.select_related("pupil", "setting").order_by("pupil__legal_last_name", "pupil_id", "-id"))


def current_plan(pupil: Pupil) -> dict[str, Any]:
    """The current one-page profile and the latest SEN support cycle's outcomes and provision: 4 queries."""
    cycle = Cycle.objects.filter(pupil=pupil).order_by("-number").first()
    return {
        "profile": current_version(pupil),
        "cycle": cycle,
        "outcomes": list(cycle.outcomes.all()) if cycle else [],
        "provisions": list(cycle.provisions.all()) if cycle else [],
    }
