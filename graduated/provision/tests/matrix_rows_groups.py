"""Authorisation-matrix rows for provision mapping's group pages (joined in matrix_rows.py).

The own group is setting A's, delivered by ta_a; the foreign one is setting C's, delivered by a
teaching assistant of C. Both run from four weeks ago to six weeks ahead, so today's register can
be taken.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from graduated.lib.testing import World, make_member
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.organisations.models import Role
from graduated.provision.models import InterventionGroup
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group, place
from graduated.support.tests.factories import draft_cycle

SENCO_A, SENCO_C = personas("senco_a"), personas("senco_c")
GROUP_READERS_A = personas("senco_a", "head_a", "ta_a")  # manager, senior leader, the group's deliverer
REGISTER_TAKERS_A = personas("senco_a", "ta_a")
SETTING_A_STAFF = personas("senco_a", "head_a", "teacher_a", "ta_a", "other_teacher_a")  # the list shows staff theirs


def _group(world: World, side: str) -> InterventionGroup:
    today = timezone.localdate()
    if side == "own":
        setting, deliverer = world.setting_a, world.ta_a
    else:
        setting = world.setting_c
        deliverer = make_member("ta.c@example.org", Role.TEACHING_ASSISTANT, setting, "Tam Cedar")
    return make_group(
        catalogue_item(setting, "Precision teaching"), name="Matrix group", deliverer=deliverer,
        starts_on=today - timedelta(days=28), ends_on=today + timedelta(days=42),
    )  # fmt: skip


def _group_target(world: World, side: str) -> list[Any]:
    return [_group(world, side).pk]


def _place_target(world: World, side: str) -> list[Any]:
    group = _group(world, side)
    pupil = world.p1 if side == "own" else world.p4
    draft_cycle(pupil)
    return [group.pk, place(group, pupil).pk]


def _date(name: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {f"{name}_0": today.day, f"{name}_1": today.month, f"{name}_2": today.year}


def _slot_and_dates() -> dict[str, Any]:
    today = timezone.localdate()
    ends = today + timedelta(days=30)
    return {
        "name": "New group", "deliverer": "", "deliverer_role": "teaching_assistant", "location": "",
        **_date("starts_on"), "ends_on_0": ends.day, "ends_on_1": ends.month, "ends_on_2": ends.year,
        "slot_1_weekday": "0", "slot_1_starts_at": "09:00", "slot_1_ends_at": "09:30",
    }  # fmt: skip


def _new_group(world: World, args: list[Any], side: str) -> dict[str, Any]:
    setting = world.setting_a if side == "own" else world.setting_c
    return {**_slot_and_dates(), "catalogue_item": catalogue_item(setting, "Colourful semantics").pk}


def _changed_group(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**_slot_and_dates(), "version": 1}


def _placed_pupil(world: World, args: list[Any], side: str) -> dict[str, Any]:
    pupil = world.p1 if side == "own" else world.p4
    draft_cycle(pupil)
    return {"pupil": pupil.pk, **_date("joined_on")}


def _ended_place(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return _date(f"end{args[1]}-left_on")


def _register(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"on": timezone.localdate().isoformat()}


TARGETS: dict[str, Callable[..., Any]] = {"intervention_group": _group_target, "group_place": _place_target}
ROWS: list[Row] = [
    Row("provision:groups", "GET", "setting", own=SETTING_A_STAFF, foreign=SENCO_C),
    Row("provision:timetable", "GET", "setting", own=SETTING_A_STAFF, foreign=SENCO_C),
    Row("provision:add_group", "GET", "setting", own=SENCO_A, foreign=SENCO_C),
    Row("provision:add_group", "POST", "setting", own=SENCO_A, foreign=SENCO_C, data=_new_group),
    Row("provision:group", "GET", "intervention_group", own=GROUP_READERS_A, foreign=SENCO_C),
    Row("provision:edit_group", "GET", "intervention_group", own=SENCO_A, foreign=SENCO_C),
    Row("provision:edit_group", "POST", "intervention_group", own=SENCO_A, foreign=SENCO_C, data=_changed_group),
    Row("provision:place_pupil", "POST", "intervention_group", own=SENCO_A, foreign=SENCO_C, data=_placed_pupil),
    Row("provision:end_place", "POST", "group_place", own=SENCO_A, foreign=SENCO_C, data=_ended_place),
    Row("provision:group_register", "GET", "intervention_group", own=REGISTER_TAKERS_A, foreign=SENCO_C),
    Row("provision:group_register", "POST", "intervention_group", own=REGISTER_TAKERS_A, foreign=SENCO_C,
        data=_register),
    Row("provision:group_scores", "GET", "intervention_group", own=REGISTER_TAKERS_A, foreign=SENCO_C),
    Row("provision:group_scores", "POST", "intervention_group", own=REGISTER_TAKERS_A, foreign=SENCO_C),
]  # fmt: skip
