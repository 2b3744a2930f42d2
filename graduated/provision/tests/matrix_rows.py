"""The provision app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py)."""

from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.provision.tests import matrix_rows_costs, matrix_rows_groups, matrix_rows_impacts
from graduated.provision.tests.factories import catalogue_item, form_data, item_details

LEADERS_A = personas("senco_a", "head_a")
NORTH = personas("officer_north", "la_admin_north")


def _setting_item(world: World, side: str) -> list[Any]:
    setting = world.setting_a if side == "own" else world.setting_c
    return ["setting", setting.pk, catalogue_item(setting).pk]


def _shared_item(world: World, side: str) -> list[Any]:
    setting, la = (world.setting_a, world.la_north) if side == "own" else (world.setting_c, world.la_south)
    return [setting.pk, catalogue_item(la, "Talk boost").pk]


def _new_item(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return form_data(item_details("Social stories"))


def _changed_item(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return form_data(item_details(typical_weeks=12), version=1)


def _tier_names(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"universal": "Ordinarily available", "targeted": "Targeted", "specialist": "Specialist",
            "seen": "Universal|Targeted|Specialist"}  # fmt: skip


CATALOGUE_TARGETS = {"setting_catalogue_item": _setting_item, "shared_catalogue_item": _shared_item}
CATALOGUE_ROWS = [
    Row("provision:catalogue", "GET", "people_setting", own=LEADERS_A, foreign=personas("senco_c")),
    Row("provision:catalogue", "GET", "people_la", own=NORTH, foreign=personas("officer_south")),
    Row("provision:add_item", "GET", "people_setting", own=personas("senco_a"), foreign=personas("senco_c")),
    Row("provision:add_item", "POST", "people_setting", own=personas("senco_a"), foreign=personas("senco_c"),
        data=_new_item),
    Row("provision:add_item", "POST", "people_la", own=personas("la_admin_north"), data=_new_item),
    Row("provision:edit_item", "GET", "setting_catalogue_item", own=personas("senco_a"), foreign=personas("senco_c")),
    Row("provision:edit_item", "POST", "setting_catalogue_item", own=personas("senco_a"), foreign=personas("senco_c"),
        data=_changed_item),
    Row("provision:adopt", "POST", "shared_catalogue_item", own=personas("senco_a"), foreign=personas("senco_c")),
    Row("provision:name_tiers", "GET", "la", own=personas("la_admin_north")),
    Row("provision:name_tiers", "POST", "la", own=personas("la_admin_north"), data=_tier_names),
]  # fmt: skip

# Each part of provision mapping keeps its rows in its own module.
TARGETS = {
    **CATALOGUE_TARGETS, **matrix_rows_groups.TARGETS, **matrix_rows_costs.TARGETS, **matrix_rows_impacts.TARGETS,
}  # fmt: skip
ROWS = [*CATALOGUE_ROWS, *matrix_rows_groups.ROWS, *matrix_rows_costs.ROWS, *matrix_rows_impacts.ROWS]
