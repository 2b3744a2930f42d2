"""Authorisation-matrix rows for provision mapping's cost pages (joined in matrix_rows.py)."""

from collections.abc import Callable
from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.provision.tests.term_factories import term_dates_form

LEADERS_A = personas("senco_a", "head_a")
SENCO_A = personas("senco_a")
SENCO_C = personas("senco_c")
LINKED_TO_P1 = personas("teacher_a", "ta_a")  # they see P1's summary, not the costed record


def _file(kind: str, file_format: str) -> Callable[[World, str], list[Any]]:
    def target(world: World, side: str) -> list[Any]:
        own = side == "own"
        if kind == "pupil":
            return [(world.p1 if own else world.p4).pk, file_format]
        return [(world.setting_a if own else world.setting_c).pk, file_format]

    return target


TARGETS: dict[str, Callable[..., Any]] = {
    f"{kind}_map_{file_format}": _file(kind, file_format)
    for kind in ("pupil", "setting")
    for file_format in ("xlsx", "pdf")
}
ROWS: list[Row] = [
    Row("provision:staff_costs", "GET", "setting", own=LEADERS_A, foreign=SENCO_C),
    # Senior leaders read the costs; only the SENCO sets them. A blank form changes nothing.
    Row("provision:staff_costs", "POST", "setting", own=SENCO_A, foreign=SENCO_C, forbidden=personas("head_a")),
    Row("provision:setting_map", "GET", "setting", own=LEADERS_A, foreign=SENCO_C),
    Row("provision:setting_map_export", "GET", "setting_map_xlsx", own=LEADERS_A, foreign=SENCO_C),
    Row("provision:setting_map_export", "GET", "setting_map_pdf", own=LEADERS_A, foreign=SENCO_C),
    Row("provision:pupil_map", "GET", "pupil", own=LEADERS_A, foreign=SENCO_C, forbidden=LINKED_TO_P1),
    Row("provision:pupil_map_export", "GET", "pupil_map_xlsx", own=LEADERS_A, foreign=SENCO_C, forbidden=LINKED_TO_P1),
    Row("provision:pupil_map_export", "GET", "pupil_map_pdf", own=LEADERS_A, foreign=SENCO_C, forbidden=LINKED_TO_P1),
    # The LA admin records the LA's school term dates, as they name its tiers; its officers do not.
    Row("provision:term_dates", "GET", "la", own=personas("la_admin_north")),
    Row("provision:term_dates", "POST", "la", own=personas("la_admin_north"), data=term_dates_form()),
]
