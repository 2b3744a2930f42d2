"""The plans app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

Only the LA's admins manage its plan types and tiers (MANAGE_LOCAL_RULES); its officers and admins
read the plan-quality figures (VIEW_LA_FIGURES). A cycle's plan type is the SENCO's (PLAN_SUPPORT);
the head, linked teacher and TA reach the pupil but may not plan (403).
"""

from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.plans.models import PlanType
from graduated.plans.tests.factories import la_plan_type, sen_support_plan
from graduated.support.models import Cycle

LA_ADMIN = personas("la_admin_north")
LA_READERS = personas("officer_north", "la_admin_north")
FOREIGN_OFFICER = personas("officer_south")
SENCO = personas("senco_a")
NOT_PLANNERS = personas("head_a", "teacher_a", "ta_a")


def _la(world: World, side: str) -> Any:
    return world.la_north if side == "own" else world.la_south


def _kind(world: World, side: str) -> list[Any]:
    return [_la(world, side).pk, "types"]


def _plan_type(world: World, side: str) -> list[Any]:
    return [_la(world, side).pk, "types", la_plan_type(_la(world, side)).pk]


def _details(world: World, args: list[Any], side: str) -> dict[str, Any]:
    version = PlanType.objects.get(pk=args[2]).version if len(args) > 2 else 0
    return {"name": "Individual Support Plan", "description": "Reviewed yearly", "reviews_per_year": "1",
            "position": "30", "version": version}  # fmt: skip


def _version(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": PlanType.objects.get(pk=args[2]).version}


def _cycle_plan(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"plan_type": sen_support_plan().pk, "version": Cycle.objects.get(pk=args[1]).version}


TARGETS = {"plans_kind": _kind, "plans_type": _plan_type}

ROWS = [
    Row("plans:choices", "GET", "la", own=LA_ADMIN),
    Row("plans:add", "GET", "plans_kind", own=LA_ADMIN),
    Row("plans:add", "POST", "plans_kind", own=LA_ADMIN, data=_details),
    Row("plans:change", "GET", "plans_type", own=LA_ADMIN),
    Row("plans:change", "POST", "plans_type", own=LA_ADMIN, data=_details),
    Row("plans:remove", "POST", "plans_type", own=LA_ADMIN, data=_version),
    Row("plans:quality", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("plans:cycle_plan", "GET", "cycle_draft", own=SENCO, foreign=personas("senco_c"), forbidden=NOT_PLANNERS),
    Row("plans:cycle_plan", "POST", "cycle_draft", own=SENCO, foreign=personas("senco_c"), forbidden=NOT_PLANNERS,
        data=_cycle_plan),
]  # fmt: skip
