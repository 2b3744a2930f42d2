"""The families app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The setting's side is the SENCO's (who plans the pupil's support), as professionals' access is;
the teacher and TA linked to P1, and the head, get 403. The family's side: a parent reaches only
their own child (parent_p1 for P1; parent_p4 for P4, "foreign"): the parent of another child in
the same setting (parent_p2) and everyone else get 404, staff included. A family's home is
everyone's (it lists the children their links reach, none for staff).
"""

from typing import Any

from graduated.families.models import FamilyLink
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import EVERYONE, P1_READERS_NOT_EDITORS, Row, personas

SENCO = personas("senco_a")
FOREIGN_SENCO = personas("senco_c")


def _link(world: World, side: str) -> list[Any]:
    link = FamilyLink.objects.get(user=world.parent_p1 if side == "own" else world.parent_p4)
    return [link.pupil_id, link.pk]


TARGETS = {"family_link": _link}
ROWS = [
    Row("families:home", "GET", "none", own=EVERYONE),
    Row("families:child", "GET", "pupil", own=personas("parent_p1"), foreign=personas("parent_p4")),
    Row("families:manage", "GET", "pupil", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row("families:end", "POST", "family_link", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
]
