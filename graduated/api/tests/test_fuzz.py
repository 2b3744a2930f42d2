"""Schemathesis over the whole API from its own OpenAPI document: 0 server errors.

Requests go through Django's test client (the whole middleware stack, in-process, no network),
signed with a SENCO's write token, so the fuzzing reaches the endpoints' own validation and the
services, not only the 401. A bounded number of examples per operation keeps the suite quick.
"""

import json
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings

from graduated.api.api import api
from graduated.api.tests.helpers import token_for
from graduated.lib.testing import World

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))


@pytest.fixture
def senco_token(world: World, settings: Any) -> str:
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    return token_for(world.senco_a)


def _send(case: Any, token: str) -> Any:
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() not in ("content-type", "content-length")}
    headers["Authorization"] = f"Bearer {token}"  # schemathesis may send its own; fuzz as a real SENCO
    path = case.formatted_path
    kwargs: dict[str, Any] = {"headers": headers, "query_params": case.query or {}}
    if case.method.upper() in ("POST", "PATCH", "PUT") and case.body is not None:
        kwargs.update(data=json.dumps(case.body, default=str), content_type="application/json")
    if kwargs.get("query_params"):
        path = f"{path}?{urlencode(kwargs.pop('query_params'), doseq=True)}"
    else:
        kwargs.pop("query_params")
    body = kwargs.pop("data", "")
    return Client().generic(case.method.upper(), path, body, **kwargs)


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, senco_token: str) -> None:
    response = _send(case, senco_token)
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.content[:300]!r}"
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_lists_every_endpoint() -> None:
    paths = set(api.get_openapi_schema(path_prefix="/api/v1")["paths"])
    assert {
        "/api/v1/settings/{setting_id}/pupils", "/api/v1/pupils/{pupil_id}", "/api/v1/pupils/{pupil_id}/sen-status",
        "/api/v1/pupils/{pupil_id}/needs", "/api/v1/pupils/{pupil_id}/cycles", "/api/v1/pupils/{pupil_id}/meetings",
        "/api/v1/las/{la_id}/ehc-cases", "/api/v1/las/{la_id}/ehc-cases/{case_id}",
    } <= paths  # fmt: skip


def test_openapi_and_docs_are_served_without_a_token(db: None) -> None:
    client = Client()
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.json()["info"]["title"] == "Graduated API"
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
