from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from graduated.lib.testing import World
from graduated.professionals.models import ProfessionalGrant


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def date_fields(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def invitation(email: str = "slt.new@example.org", **changes: Any) -> dict[str, Any]:
    """The invitation form, as a SENCO fills it in."""
    data: dict[str, Any] = {
        "email": email,
        "full_name": "Sian Therapist",
        "organisation": "Northshire Speech and Language Therapy",
        "job_title": "Speech and language therapist",
        "scopes": ["can_read_plan", "can_advise"],
        **date_fields("expires_on", in_days(60)),
    }
    data.update(changes)
    return data


def p1_grant(world: World) -> ProfessionalGrant:
    return ProfessionalGrant.objects.get(user=world.professional_p1, pupil=world.p1)
