"""The OAP's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The LA's officers and admins read its OAP (VIEW_LOCAL_OFFER); only its admins change it
(MANAGE_GUIDANCE). A setting's SENCO and senior leaders read the version in force (VIEW_REGISTER)
and record the setting's self-review (SELF_REVIEW); the LA's officers see the results
(VIEW_LA_FIGURES). Adding a strategy to a plan: whoever plans the pupil's support (PLAN_SUPPORT);
the head, linked teacher and TA reach the pupil but may not (403).
"""

from datetime import date
from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.oap import selectors, services
from graduated.oap.models import OAPVersion
from graduated.oap.tests.factories import ACTOR, published, strategy
from graduated.support.models import Cycle
from graduated.support.tests.factories import draft_cycle

LA_READERS = personas("officer_north", "la_admin_north")
LA_ADMIN = personas("la_admin_north")
FOREIGN_OFFICER = personas("officer_south")
LEADERS_A = personas("senco_a", "head_a")
FOREIGN_SENCO = personas("senco_c")


def _la(world: World, side: str) -> Any:
    return world.la_north if side == "own" else world.la_south


def _draft_with_strategy(world: World, side: str) -> OAPVersion:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=_la(world, side))
    services.add_item(
        actor=ACTOR, version=draft, kind="strategies", details=strategy("Visual timetable"),
        expected_version=draft.version,
    )  # fmt: skip
    return draft


def _draft(world: World, side: str) -> list[Any]:
    return [_draft_with_strategy(world, side).local_authority_id]


def _new_item(world: World, side: str) -> list[Any]:
    return [*_draft(world, side), "strategies"]


def _item(world: World, side: str) -> list[Any]:
    draft = _draft_with_strategy(world, side)
    return [draft.local_authority_id, "strategies", draft.strategies.get().pk]


def _review_setting(world: World, side: str) -> list[Any]:
    published(_la(world, side))
    return [(world.setting_a if side == "own" else world.setting_c).pk]


def _cycle(world: World, side: str) -> list[Any]:
    pupil = world.p1 if side == "own" else world.p4
    published(_la(world, side))
    cycle = draft_cycle(pupil)
    return [pupil.pk, cycle.pk]


def _draft_version(args: list[Any]) -> int:
    return OAPVersion.objects.get(local_authority_id=args[0], status="draft").version


def _strategy_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**strategy("Word mat"), "version": _draft_version(args)}


def _version_only(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": _draft_version(args)}


def _publish(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"effective_from_0": "1", "effective_from_1": "9", "effective_from_2": "2026", "change_note": "First",
            "version": _draft_version(args)}  # fmt: skip


def _add_to_plan(world: World, args: list[Any], side: str) -> dict[str, Any]:
    cycle = Cycle.objects.select_related("setting").get(pk=args[1])
    version_id = selectors.in_force_id(cycle.setting.local_authority_id, date.today())
    chosen = selectors.strategies_for_areas(version_id, ["CL"])[0]
    return {"strategy": chosen.pk, "version": cycle.version}


TARGETS = {
    "oap_draft": _draft, "oap_new_item": _new_item, "oap_item": _item, "oap_review_setting": _review_setting,
    "oap_cycle": _cycle,
}  # fmt: skip

ROWS = [
    Row("oap:overview", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("oap:start_draft", "POST", "la", own=LA_ADMIN),
    Row("oap:draft", "GET", "oap_draft", own=LA_ADMIN),
    Row("oap:publish", "POST", "oap_draft", own=LA_ADMIN, data=_publish),
    Row("oap:add_item", "GET", "oap_new_item", own=LA_ADMIN),
    Row("oap:add_item", "POST", "oap_new_item", own=LA_ADMIN, data=_strategy_form),
    Row("oap:change_item", "GET", "oap_item", own=LA_ADMIN),
    Row("oap:change_item", "POST", "oap_item", own=LA_ADMIN, data=_strategy_form),
    Row("oap:remove_item", "POST", "oap_item", own=LA_ADMIN, data=_version_only),
    Row("oap:la_self_reviews", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("oap:la_self_reviews_csv", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("oap:setting", "GET", "setting", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("oap:self_review", "GET", "setting", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("oap:self_review", "POST", "oap_review_setting", own=LEADERS_A, foreign=FOREIGN_SENCO,
        data={"version": "0", "action": "save"}),
    Row("oap:add_to_plan", "POST", "oap_cycle", own=personas("senco_a"), foreign=FOREIGN_SENCO,
        forbidden=personas("head_a", "teacher_a", "ta_a")),
]  # fmt: skip
