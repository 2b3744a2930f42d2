"""Authorisation-matrix rows for provision mapping's impact pages (joined in matrix_rows.py)."""

from collections.abc import Callable
from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group, place

LEADERS_A = personas("senco_a", "head_a")
NORTH = personas("officer_north", "la_admin_north")


def _impact_group(world: World, side: str) -> list[Any]:
    """A group with a pupil in it: setting A's (own) or setting C's (foreign)."""
    setting, pupil = (world.setting_a, world.p1) if side == "own" else (world.setting_c, world.p4)
    group = make_group(catalogue_item(setting, "Impact matrix intervention"), name="Impact matrix group")
    place(group, pupil)
    return [group.pk]


TARGETS: dict[str, Callable[..., Any]] = {"impact_group": _impact_group}
ROWS: list[Row] = [
    # The group page follows the group's setting; it names pupils, so LA staff never see it.
    Row("provision:group_impact", "GET", "impact_group", own=LEADERS_A, foreign=personas("senco_c")),
    Row("provision:setting_impact", "GET", "setting", own=LEADERS_A, foreign=personas("senco_c")),
    Row("provision:la_impact", "GET", "la", own=NORTH, foreign=personas("officer_south")),
]
