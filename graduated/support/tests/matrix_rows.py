"""Authorisation matrix rows for the support app (see graduated/lib/tests/authorisation_matrix.py).

SENCOs plan (PLAN_SUPPORT); the head, linked teacher and TA may read but not plan (403); the
teacher, TA and SENCO log sessions and say they have read the plan (LOG_DELIVERY), the head may not.
"""

from collections.abc import Callable
from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.support.models import Cycle
from graduated.support.tests.factories import agreed_cycle, draft_cycle

SENCO = personas("senco_a")
READERS = personas("senco_a", "head_a", "teacher_a", "ta_a")
NOT_PLANNERS = personas("head_a", "teacher_a", "ta_a")
LOGGERS = personas("senco_a", "teacher_a", "ta_a")
FOREIGN = personas("senco_c")


def _pupil(world: World, side: str) -> Any:
    return world.p1 if side == "own" else world.p4


def _draft(world: World, side: str) -> list[Any]:
    cycle = draft_cycle(_pupil(world, side))
    return [cycle.pupil_id, cycle.pk]


def _agreed(world: World, side: str) -> list[Any]:
    cycle = agreed_cycle(_pupil(world, side))
    return [cycle.pupil_id, cycle.pk]


def _child(kind: str, agreed: bool = False) -> Callable[[World, str], list[Any]]:
    def target(world: World, side: str) -> list[Any]:
        cycle = (agreed_cycle if agreed else draft_cycle)(_pupil(world, side))
        related = {"evidence": cycle.evidence, "outcome": cycle.outcomes, "provision": cycle.provisions}
        return [cycle.pupil_id, cycle.pk, related[kind].get().pk]

    return target


def _removal(kind: str) -> Callable[[World, str], list[Any]]:
    def target(world: World, side: str) -> list[Any]:
        cycle = draft_cycle(_pupil(world, side))
        item = cycle.outcomes.get() if kind == "outcomes" else cycle.provisions.get()
        return [cycle.pupil_id, cycle.pk, kind, item.pk]

    return target


def _word_plan(world: World, side: str) -> list[Any]:
    # The Word file: the matrix checks who may download; test_exports.py checks the PDF too.
    return [*_agreed(world, side), "docx"]


TARGETS = {
    "plan_word_export": _word_plan,
    "cycle_draft": _draft,
    "cycle_agreed": _agreed,
    "cycle_evidence": _child("evidence"),
    "cycle_outcome": _child("outcome"),
    "cycle_provision": _child("provision"),
    "delivery_provision": _child("provision", agreed=True),
    "remove_outcome": _removal("outcomes"),
    "remove_provision": _removal("provision"),
}


def _date(prefix: str, day: int, month: int, year: int) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _version(args: list[Any]) -> int:
    return Cycle.objects.get(pk=args[1]).version


def _assessment(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": _version(args), "analysis_CL": "Reading age two years behind.", "parents_views": "Worried."}


def _evidence(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": _version(args), **_date("taken_on", 3, 9, 2024), "kind": "observation", "name": "Phonics check"}


def _outcome(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "version": _version(args), "description": "Blends CVC words", "measure": "Phonics screening",
        "baseline": "5 of 20", "target": "15 of 20", **_date("by_when", 1, 12, 2024), "area": "CL",
    }  # fmt: skip


def _provision(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "version": _version(args), "kind": "strategy", "description": "Visual timetable on the desk",
        "sessions_per_week": "5", **_date("starts_on", 2, 9, 2024),
    }  # fmt: skip


def _agree(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "version": _version(args), **_date("plan_agreed_on", 10, 9, 2024), **_date("review_date", 2, 12, 2024),
        **_date("parents_notified_on", 10, 9, 2024), "parents_notified_how": "letter",
    }  # fmt: skip


def _review(world: World, args: list[Any], side: str) -> dict[str, Any]:
    cycle = Cycle.objects.get(pk=args[1])
    data: dict[str, Any] = {"version": cycle.version, **_date("held_on", 2, 12, 2024), "decision": "another_cycle"}
    for outcome in cycle.outcomes.all():
        data[f"outcome_{outcome.pk}_rating"] = "achieved"
    for provision in cycle.provisions.all():
        data[f"provision_{provision.pk}_judgement"] = "stop"
    return data


_LOG = {**_date("on", 1, 10, 2024), "status": "delivered"}

ROWS: list[Row] = [
    Row("support:cycles", "GET", "pupil", own=READERS, foreign=FOREIGN),
    Row("support:plan_export", "GET", "plan_word_export", own=READERS, foreign=FOREIGN),
    Row("support:history_export", "GET", "pupil", own=personas("senco_a", "head_a"), foreign=FOREIGN,
        forbidden=personas("teacher_a", "ta_a")),
    Row("support:start", "GET", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:start", "POST", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_date("started_on", 2, 9, 2024)),
    Row("support:cycle", "GET", "cycle_draft", own=READERS, foreign=FOREIGN),
    Row("support:cycle", "GET", "cycle_agreed", own=READERS, foreign=FOREIGN),
    Row("support:assessment", "GET", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:assessment", "POST", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_assessment),
    Row("support:evidence_add", "GET", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:evidence_add", "POST", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_evidence),
    Row("support:evidence_remove", "POST", "cycle_evidence", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:outcome_add", "GET", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:outcome_add", "POST", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_outcome),
    Row("support:outcome_edit", "GET", "cycle_outcome", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:outcome_edit", "POST", "cycle_outcome", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_outcome),
    Row("support:provision_add", "GET", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:provision_add", "POST", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_provision),
    Row("support:provision_edit", "GET", "cycle_provision", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:provision_edit", "POST", "cycle_provision", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_provision),
    Row("support:remove", "POST", "remove_outcome", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:remove", "POST", "remove_provision", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:agree", "GET", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:agree", "POST", "cycle_draft", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS, data=_agree),
    Row("support:acknowledge", "POST", "cycle_agreed", own=LOGGERS, foreign=FOREIGN, forbidden=personas("head_a")),
    Row("support:log_delivery", "GET", "delivery_provision", own=LOGGERS, foreign=FOREIGN,
        forbidden=personas("head_a")),
    Row("support:log_delivery", "POST", "delivery_provision", own=LOGGERS, foreign=FOREIGN,
        forbidden=personas("head_a"), data=_LOG),
    Row("support:review", "GET", "cycle_agreed", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row("support:review", "POST", "cycle_agreed", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_review),
]  # fmt: skip
