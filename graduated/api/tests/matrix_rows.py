"""The API token pages' rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The API's own endpoints are exempt there: graduated/api/tests/test_api_matrix.py covers each of
them for every persona, by token, on own and foreign objects.
"""

from typing import Any

from graduated.api import services
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas

EVERYONE = personas(
    "senco_a", "teacher_a", "ta_a", "other_teacher_a", "head_a", "senco_b", "senco_c",
    "officer_north", "officer_south", "la_admin_north", "platform_admin", "professional_p1", "professional_expired",
    "parent_p1", "parent_p2", "parent_p4", "young_p1", "young_p2",
)  # fmt: skip
TOKEN_MAKERS = personas("senco_a", "senco_b", "senco_c", "la_admin_north")


def _token(world: World, side: str) -> list[Any]:
    owner = world.senco_a if side == "own" else world.senco_c
    token, _ = services.create_token(owner=owner, name=f"MIS sync {side}", scope="read", days=30)
    return [token.pk]


TARGETS = {"api_token": _token}
ROWS = [
    Row("api:tokens", "GET", "none", own=EVERYONE),
    Row("api:tokens", "POST", "none", own=TOKEN_MAKERS, forbidden=EVERYONE - TOKEN_MAKERS,
        data={"name": "MIS sync", "acts_for": "me", "scope": "write", "days": "30"}),
    Row("api:revoke", "POST", "api_token", own=personas("senco_a"), foreign=personas("senco_c")),
]  # fmt: skip
