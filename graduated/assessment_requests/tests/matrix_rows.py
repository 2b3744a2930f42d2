"""The request builder's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

A request is part of the whole record: the SENCO and the head of the pupil's setting read it, the
SENCO prepares and sends it (PLAN_SUPPORT); the linked teacher and TA reach the pupil but may not
(403); everyone else gets 404. The LA reads what was sent on its case page (WORK_EHC_CASES). The SENCO
asks again for a bundle that could not be made ("try again").
"""

from datetime import date
from typing import Any

from graduated.assessment_requests import services
from graduated.assessment_requests.models import PreparedRequest
from graduated.assessment_requests.tests import factories
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas

LEADERS_A = personas("senco_a", "head_a")
SENCO_A = personas("senco_a")
LINKED = personas("teacher_a", "ta_a")
NOT_PLANNERS = personas("head_a", "teacher_a", "ta_a")
FOREIGN = personas("senco_c")
TODAY = date(2026, 12, 2)


def _pupil(world: World, side: str) -> Any:
    return world.p1 if side == "own" else world.p4


def _prepared(world: World, side: str) -> list[Any]:
    prepared = factories.ready(_pupil(world, side), TODAY)
    return [prepared.pupil_id, prepared.pk]


def _sent(world: World, side: str) -> PreparedRequest:
    prepared = factories.ready(_pupil(world, side), TODAY)
    services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY)
    return prepared


def _submitted(world: World, side: str) -> list[Any]:
    """A sent request whose bundle is made (a stand-in file: the matrix tests access, not PDFs), for the LA."""
    prepared = _sent(world, side)
    services.store_bundle(prepared, pdf=b"%PDF-1.7")
    assert prepared.case is not None
    return [prepared.case.local_authority_id, prepared.case_id]


def _sent_and_made(world: World, side: str) -> list[Any]:
    prepared = _sent(world, side)
    services.store_bundle(prepared, pdf=b"%PDF-1.7")
    return [prepared.pupil_id, prepared.pk]


def _sent_and_failed(world: World, side: str) -> list[Any]:
    prepared = _sent(world, side)
    services.bundle_failed(prepared, attempt=prepared.bundle_attempts, message="The PDF could not be made.")
    return [prepared.pupil_id, prepared.pk]


def _version(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": PreparedRequest.objects.get(pk=args[1]).version}


def _details(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"parental_responsibility": "Rosa One (mother)", "consent_by": "parent", **_version(world, args, side)}


TARGETS = {
    "prepared_request": _prepared,
    "submitted_request": _submitted,
    "sent_request_made": _sent_and_made,
    "sent_request_failed": _sent_and_failed,
}


def _readers(url_name: str, target: str) -> Row:
    return Row(url_name, "GET", target, own=LEADERS_A, foreign=FOREIGN, forbidden=LINKED)


def _writers(url_name: str, method: str, target: str, **kwargs: Any) -> Row:
    return Row(url_name, method, target, own=SENCO_A, foreign=FOREIGN, forbidden=NOT_PLANNERS, **kwargs)


ROWS = [
    _readers("assessment_requests:page", "pupil"),
    _writers("assessment_requests:start", "POST", "pupil"),
    _writers("assessment_requests:details", "GET", "prepared_request"),
    _writers("assessment_requests:details", "POST", "prepared_request", data=_details),
    _readers("assessment_requests:bundle", "prepared_request"),
    _readers("assessment_requests:bundle", "sent_request_made"),
    _writers("assessment_requests:bundle_again", "POST", "sent_request_failed"),
    _readers("assessment_requests:form_docx", "prepared_request"),
    _writers("assessment_requests:submit", "GET", "prepared_request"),
    _writers("assessment_requests:submit", "POST", "prepared_request", data=_version),
    Row(
        "ehc:school_bundle",
        "GET",
        "submitted_request",
        own=personas("officer_north", "la_admin_north"),
        foreign=personas("officer_south"),
    ),
]
