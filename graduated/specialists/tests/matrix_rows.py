"""The specialists app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The directory: the LA's officers and admins read it, its admin keeps it (MANAGE_SERVICES_DIRECTORY at the
LA); a setting's SENCO and head read their LA's (VIEW_REGISTER). Referrals are part of the whole
record: the SENCO and the head read them, the SENCO makes and changes them (PLAN_SUPPORT); the
linked teacher and TA reach the pupil but may not (403); everyone else gets 404.
"""

from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.organisations.models import LocalAuthority
from graduated.specialists.models import Recommendation, Referral, Service
from graduated.specialists.tests.factories import recommendation, seen_referral, service

LEADERS_A = personas("senco_a", "head_a")
SENCO_A = personas("senco_a")
LINKED = personas("teacher_a", "ta_a")
NOT_PLANNERS = personas("head_a", "teacher_a", "ta_a")
FOREIGN = personas("senco_c")
NORTH = personas("officer_north", "la_admin_north")


def _la(world: World, side: str) -> LocalAuthority:
    return world.la_north if side == "own" else world.la_south


def _service(world: World, side: str) -> list[Any]:
    la = _la(world, side)
    return [la.pk, service(la).pk]


def _referral(world: World, side: str) -> list[Any]:
    made = seen_referral(world.p1 if side == "own" else world.p4)
    return [made.pupil_id, made.pk]


def _recommendation(world: World, side: str) -> list[Any]:
    made = recommendation(world.p1 if side == "own" else world.p4)
    return [made.referral.pupil_id, made.referral_id, made.pk]


def _date(prefix: str, day: int | str, month: int | str, year: int | str) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _service_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    version = Service.objects.get(pk=args[1]).version if len(args) > 1 else ""
    return {
        "kind": "speech_and_language", "name": "Talking Matters", "offer": "Therapy.", "who_may_refer": "SENCOs.",
        "criteria": "", "phases": ["primary"], "email": "", "phone": "", "website": "", "address": "",
        "is_active": "on", "version": version,
    }  # fmt: skip


def _new_referral(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "service": service(_la(world, side)).pk, "reason": "Slow progress.", "consent_by": "parent",
        **_date("consent_on", 1, 10, 2024), **_date("referred_on", 7, 10, 2024),
    }  # fmt: skip


def _edit_referral(world: World, args: list[Any], side: str) -> dict[str, Any]:
    referral = Referral.objects.get(pk=args[1])
    return {
        "reason": "Slow progress.", "consent_by": "parent", **_date("consent_on", 16, 12, 2024),
        **_date("referred_on", 6, 1, 2025), **_date("accepted_on", 20, 1, 2025), **_date("seen_on", 3, 3, 2025),
        **_date("report_received_on", 31, 3, 2025), "advice": "Short, frequent practice.", "version": referral.version,
    }  # fmt: skip


def _decision(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "outcome": "not_put_in_place", "reason": "Already in place as class practice.",
        **_date("decided_on", 10, 3, 2025), "version": Recommendation.objects.get(pk=args[2]).version,
    }  # fmt: skip


TARGETS = {
    "specialists_service": _service, "specialists_referral": _referral,
    "specialists_recommendation": _recommendation,
}  # fmt: skip


def _readers(url_name: str, target: str) -> Row:
    return Row(url_name, "GET", target, own=LEADERS_A, foreign=FOREIGN, forbidden=LINKED)


def _writers(url_name: str, method: str, target: str, **kwargs: Any) -> Row:
    return Row(url_name, method, target, own=SENCO_A, foreign=FOREIGN, forbidden=NOT_PLANNERS, **kwargs)


ROWS = [
    Row("specialists:la_directory", "GET", "la", own=NORTH, foreign=personas("officer_south")),
    Row("specialists:la_service", "GET", "specialists_service", own=NORTH, foreign=personas("officer_south")),
    Row("specialists:add_service", "GET", "la", own=personas("la_admin_north")),
    Row("specialists:add_service", "POST", "la", own=personas("la_admin_north"), data=_service_form),
    Row("specialists:edit_service", "GET", "specialists_service", own=personas("la_admin_north")),
    Row("specialists:edit_service", "POST", "specialists_service", own=personas("la_admin_north"), data=_service_form),
    Row("specialists:setting_directory", "GET", "setting", own=LEADERS_A, foreign=FOREIGN),
    Row("specialists:setting_referrals", "GET", "setting", own=LEADERS_A, foreign=FOREIGN),
    _readers("specialists:pupil_referrals", "pupil"),
    _writers("specialists:new_referral", "GET", "pupil"),
    _writers("specialists:new_referral", "POST", "pupil", data=_new_referral),
    _readers("specialists:referral", "specialists_referral"),
    _writers("specialists:edit_referral", "GET", "specialists_referral"),
    _writers("specialists:edit_referral", "POST", "specialists_referral", data=_edit_referral),
    _writers("specialists:new_recommendation", "GET", "specialists_referral"),
    _writers("specialists:new_recommendation", "POST", "specialists_referral", data={"text": "A visual timetable."}),
    _writers("specialists:decide_recommendation", "GET", "specialists_recommendation"),
    _writers("specialists:decide_recommendation", "POST", "specialists_recommendation", data=_decision),
]
