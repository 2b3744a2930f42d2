"""The funding app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

Funding is part of the whole record: the SENCO and the head read and change it (MANAGE_FUNDING);
the linked teacher and TA reach the pupil but may not (403); everyone else gets 404.
"""

from typing import Any

from graduated.funding.models import TopUpApplication
from graduated.funding.tests.factories import draft, submitted
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas

LEADERS_A = personas("senco_a", "head_a")
LINKED = personas("teacher_a", "ta_a")
FOREIGN = personas("senco_c")


def _pupil(world: World, side: str) -> Any:
    return world.p1 if side == "own" else world.p4


def _draft(world: World, side: str) -> list[Any]:
    application = draft(_pupil(world, side))
    return [application.pupil_id, application.pk]


def _submitted(world: World, side: str) -> list[Any]:
    application = submitted(_pupil(world, side))
    return [application.pupil_id, application.pk]


def _date(prefix: str, day: int, month: int, year: int) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _version(args: list[Any]) -> int:
    return TopUpApplication.objects.get(pk=args[1]).version


def _application_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    version = _version(args) if len(args) > 1 else ""
    return {
        **_date("period_from", 1, 9, 2024), **_date("period_to", 31, 8, 2025), "amount_requested": "4500",
        "case_for_funding": "", "version": version,
    }  # fmt: skip


def _submit(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": _version(args)}


def _decision(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "outcome": "approved", **_date("decided_on", 1, 10, 2024), "amount_approved": "4000", "note": "",
        "version": _version(args),
    }  # fmt: skip


AWARD = {
    "kind": "disability_access_fund", "amount": "938", **_date("period_from", 1, 9, 2024),
    **_date("period_to", 31, 8, 2025), **_date("awarded_on", 20, 9, 2024), "note": "",
}  # fmt: skip

TARGETS = {"funding_draft": _draft, "funding_submitted": _submitted}


def _rows(url_name: str, method: str, target: str, **kwargs: Any) -> Row:
    return Row(url_name, method, target, own=LEADERS_A, foreign=FOREIGN, forbidden=LINKED, **kwargs)


ROWS = [
    _rows("funding:pupil", "GET", "pupil"),
    _rows("funding:new_application", "GET", "pupil"),
    _rows("funding:new_application", "POST", "pupil", data=_application_form),
    _rows("funding:application", "GET", "funding_draft"),
    _rows("funding:application_pdf", "GET", "funding_submitted"),
    _rows("funding:edit_application", "GET", "funding_draft"),
    _rows("funding:edit_application", "POST", "funding_draft", data=_application_form),
    _rows("funding:submit", "POST", "funding_draft", data=_submit),
    _rows("funding:decide", "GET", "funding_submitted"),
    _rows("funding:decide", "POST", "funding_submitted", data=_decision),
    _rows("funding:new_award", "GET", "pupil"),
    _rows("funding:new_award", "POST", "pupil", data=AWARD),
    Row("funding:setting_overview", "GET", "setting", own=LEADERS_A, foreign=FOREIGN),
]
