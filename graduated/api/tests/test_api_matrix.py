"""Every API endpoint x every persona x own and foreign object, by token.

Each endpoint answers exactly as the page showing the same data does: the expected personas are
the page's row of the authorisation matrix (graduated/lib/tests/authorisation_matrix.py), so the
API cannot drift from the pages. Allowed -> 2xx; a role too weak on an own pupil -> 403 (as the
page); anyone else -> 404; no token -> 401. Every allowed read of a pupil's data writes exactly
one VIEW event for that pupil.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from graduated.api.tests.helpers import call, token_for
from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc.tests import factories
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import ROWS
from graduated.lib.tests.test_authorisation_matrix import ALL_PERSONAS, expected

PAGE_ROWS = {(row.url_name, row.method): row for row in ROWS}


def _pupil(world: World, side: str) -> int:
    return (world.p1 if side == "own" else world.p4).pk


def _setting(world: World, side: str) -> int:
    return (world.setting_a if side == "own" else world.setting_c).pk


def _la(world: World, side: str) -> int:
    return (world.la_north if side == "own" else world.la_south).pk


def _case(world: World, side: str) -> tuple[int, int]:
    case = factories.received(world.p1 if side == "own" else world.p4)
    return case.local_authority_id, case.pk


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: Callable[[World, str], str]
    page: tuple[str, str]  # the page whose matrix row the endpoint follows
    body: Callable[[World, str], Any] | None = None
    pupil_view: bool = False  # an allowed call writes one VIEW event for the pupil


def _version(world: World, side: str) -> dict[str, Any]:
    pupil = world.p1 if side == "own" else world.p4
    return {"version": pupil.version, "preferred_first_name": "Pri"}


ENDPOINTS = {
    "setting pupils": Endpoint(
        "GET", lambda w, s: f"/api/v1/settings/{_setting(w, s)}/pupils", ("pupils:register", "GET")
    ),
    "pupil": Endpoint("GET", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}", ("pupils:detail", "GET"), pupil_view=True),
    "sen status": Endpoint(
        "GET", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/sen-status", ("pupils:chronology", "GET"), pupil_view=True
    ),
    "needs": Endpoint(
        "GET", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/needs", ("pupils:detail", "GET"), pupil_view=True
    ),
    "cycles": Endpoint(
        "GET", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/cycles", ("pupils:detail", "GET"), pupil_view=True
    ),
    "meetings": Endpoint(
        "GET", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/meetings", ("meetings:list", "GET"), pupil_view=True
    ),
    "pupil provision map": Endpoint(
        "GET",
        lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/provision-map",
        ("provision:pupil_map", "GET"),
        pupil_view=True,
    ),
    "setting provision map": Endpoint(
        "GET",
        lambda w, s: f"/api/v1/settings/{_setting(w, s)}/provision-map?year=2025",
        ("provision:setting_map", "GET"),
    ),
    "ehc cases": Endpoint("GET", lambda w, s: f"/api/v1/las/{_la(w, s)}/ehc-cases", ("ehc:inbox", "GET")),
    "ehc case": Endpoint(
        "GET", lambda w, s: "/api/v1/las/{}/ehc-cases/{}".format(*_case(w, s)), ("ehc:case", "GET"), pupil_view=True
    ),
    "change pupil": Endpoint(
        "PATCH", lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}", ("pupils:edit_details", "POST"), body=_version
    ),
    "add pupil": Endpoint(
        "POST",
        lambda w, s: f"/api/v1/settings/{_setting(w, s)}/pupils",
        ("pupils:add", "POST"),
        body=lambda w, s: {
            "legal_first_name": "Mo",
            "legal_last_name": f"New{s}",
            "date_of_birth": "2017-05-04",
            "sex": "M",
            "start_date": "2025-09-01",
        },
    ),
    "add need": Endpoint(
        "POST",
        lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/needs",
        ("pupils:add_need", "POST"),
        body=lambda w, s: {"sen_type": "SLCN", "rank": 1, "start_date": "2025-03-01"},
    ),
    "change status": Endpoint(
        "POST",
        lambda w, s: f"/api/v1/pupils/{_pupil(w, s)}/sen-status",
        ("pupils:change_status", "POST"),
        body=lambda w, s: {"status": "E", "start_date": "2025-03-01"},
    ),
}
CELLS = [(name, side) for name in ENDPOINTS for side in ("own", "foreign")]


class _Rollback(Exception):
    pass


@pytest.mark.parametrize(("name", "side"), CELLS, ids=[f"{n} {s}" for n, s in CELLS])
def test_endpoint_for_every_persona(world: World, name: str, side: str) -> None:
    endpoint = ENDPOINTS[name]
    row = PAGE_ROWS[endpoint.page]
    allowed = expected(row, "own", next(iter(row.own)))  # the page matrix's value for "allowed"
    failures = []
    for persona in [None, *ALL_PERSONAS]:
        try:
            with transaction.atomic():
                token = token_for(world.persona(persona)) if persona else None
                path = endpoint.path(world, side)
                since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                body = endpoint.body(world, side) if endpoint.body else None
                response = call(endpoint.method, path, token, body)
                want = 401 if persona is None else expected(row, side, persona)
                got: Any = response.status_code
                if want == allowed:
                    want = "2xx"
                    got = "2xx" if 200 <= response.status_code < 300 else response.status_code
                if got != want:
                    said = response.content[:200]
                    failures.append(f"{persona or 'no token'}: expected {want}, got {response.status_code} {said!r}")
                elif not response["Content-Type"].startswith("application/json"):
                    failures.append(f"{persona}: not JSON")
                elif want == "2xx" and endpoint.pupil_view:
                    pupil_id = _pupil(world, side)
                    views = AuditEvent.objects.filter(pk__gt=since, pupil_id=pupil_id, action=AuditAction.VIEW).count()
                    if views != 1:
                        failures.append(f"{persona}: wrote {views} VIEW events for the pupil, not 1")
                raise _Rollback
        except _Rollback:
            pass
    assert not failures, f"{endpoint.method} {name} ({side}):\n" + "\n".join(failures)


def test_every_endpoint_of_the_api_is_in_the_matrix(world: World) -> None:
    """A new endpoint cannot be published without its row here."""
    from graduated.api.api import api

    published = {
        (method.upper(), re.sub(r"\{[^}]+\}", r"\\d+", path))
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    called = [(endpoint.method, endpoint.path(world, "own").split("?")[0]) for endpoint in ENDPOINTS.values()]
    covered = {
        (method, pattern)
        for method, pattern in published
        if any(method == used and re.fullmatch(pattern, path) for used, path in called)
    }
    assert published - covered == set()
