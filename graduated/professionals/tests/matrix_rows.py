"""The professionals app's rows of the authorisation matrix (graduated/lib/tests/authorisation_matrix.py).

The setting's pages: the SENCO of the pupil's setting (PLAN_SUPPORT); the head, teacher and TA
reach P1 but may not (403); everyone else, the professionals included, gets 404. The professional's
pages: only professional_p1, through a live grant to P1; on P4 ("foreign") no one. My pupils is
every signed-in person's own list (empty for staff).
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from graduated.documents.tests.files import PDF_BYTES, upload
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import EVERYONE, Row, personas
from graduated.professionals.models import ProfessionalGrant

SENCO_A = personas("senco_a")
SEES_P1_NOT_GRANTS = personas("head_a", "teacher_a", "ta_a")
FOREIGN = personas("senco_c")
PROFESSIONAL = personas("professional_p1")


def _grant(world: World, side: str) -> list[Any]:
    """A live grant to P1 from setting A (own), or to P4 from setting C (foreign)."""
    own = side == "own"
    pupil, setting = (world.p1, world.setting_a) if own else (world.p4, world.setting_c)
    grant = ProfessionalGrant.objects.create(
        pupil=pupil, setting=setting, user=world.professional_expired, organisation="Matrix Service",
        job_title="Specialist teacher", can_read_plan=True, expires_on=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    return [pupil.pk, grant.pk]


def _invite(world: World, args: list[Any], side: str) -> dict[str, Any]:
    ends = timezone.localdate() + timedelta(days=60)
    return {
        "email": f"matrix.professional.{side}@example.org", "full_name": "Mo Matrix", "organisation": "Matrix Service",
        "job_title": "Specialist teacher", "scopes": ["can_read_plan", "can_advise"],
        "expires_on_0": ends.day, "expires_on_1": ends.month, "expires_on_2": ends.year,
    }  # fmt: skip


def _advice(world: World, args: list[Any], side: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "given_on_0": today.day, "given_on_1": today.month, "given_on_2": today.year,
        "advice": "Short instructions, one step at a time.", "recommendations": "",
    }  # fmt: skip


def _report(world: World, args: list[Any], side: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "file": upload("report.pdf", PDF_BYTES), "title": "Assessment report",
        "dated_0": today.day, "dated_1": today.month, "dated_2": today.year,
    }  # fmt: skip


TARGETS = {"professional_grant": _grant}


def _setting_row(url_name: str, method: str, target: str, **kwargs: Any) -> Row:
    return Row(url_name, method, target, own=SENCO_A, foreign=FOREIGN, forbidden=SEES_P1_NOT_GRANTS, **kwargs)


ROWS = [
    _setting_row("professionals:grants", "GET", "pupil"),
    _setting_row("professionals:grants", "POST", "pupil", data=_invite),
    _setting_row("professionals:revoke", "POST", "professional_grant"),
    Row("professionals:my_pupils", "GET", "none", own=EVERYONE),
    Row("professionals:pupil", "GET", "pupil", own=PROFESSIONAL),
    Row("professionals:advice", "GET", "pupil", own=PROFESSIONAL),
    Row("professionals:advice", "POST", "pupil", own=PROFESSIONAL, data=_advice),
    Row("professionals:report", "GET", "pupil", own=PROFESSIONAL),
    Row("professionals:report", "POST", "pupil", own=PROFESSIONAL, data=_report),
]
