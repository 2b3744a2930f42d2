"""Authorisation matrix rows for the pathway app (see graduated/lib/tests/authorisation_matrix.py)."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.pathway import services

SENCO = personas("senco_a")
READERS = personas("senco_a", "head_a", "teacher_a", "ta_a")
NOT_PLANNERS = personas("head_a", "teacher_a", "ta_a")
RAISERS = personas("senco_a", "teacher_a")
NOT_RAISERS = personas("head_a", "ta_a")
FOREIGN = personas("senco_c")
LEADERS = personas("senco_a", "head_a")


def _concern(world: World, side: str) -> list[Any]:
    """An open concern about P1 (own) or P4 (foreign)."""
    pupil = world.p1 if side == "own" else world.p4
    concern = services.raise_concern(
        actor=Actor.system("test"), pupil=pupil, raised_on=date(2025, 1, 13), areas=["CL"],
        what_is_seen="Reading well below peers.", already_tried="Phonics catch-up in class.",
    )  # fmt: skip
    return [pupil.pk, concern.pk]


def _decision(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "decision": "no_further_action", "decided_on_0": "20", "decided_on_1": "1", "decided_on_2": "2025",
        "decision_note": "Progress has picked up.", "version": "1",
    }  # fmt: skip


TARGETS = {"concern": _concern}

ROWS: list[Row] = [
    Row("pathway:raise_concern", "GET", "pupil", own=RAISERS, foreign=FOREIGN, forbidden=NOT_RAISERS),
    Row(
        "pathway:raise_concern", "POST", "pupil", own=RAISERS, foreign=FOREIGN, forbidden=NOT_RAISERS,
        data={
            "raised_on_0": "3", "raised_on_1": "3", "raised_on_2": "2025", "areas": ["SEMH"],
            "what_is_seen": "Withdrawn at playtimes.", "already_tried": "A quiet space and a buddy.",
        },
    ),
    Row("pathway:concern", "GET", "concern", own=READERS, foreign=FOREIGN),
    Row("pathway:decide_concern", "POST", "concern", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data=_decision),
    Row("pathway:change_stage", "GET", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row(
        "pathway:change_stage", "POST", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data={"stage_key": "specialist_involvement", "start_date_0": "1", "start_date_1": "3", "start_date_2": "2025"},
    ),
    Row("pathway:remove_sen_support", "GET", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS),
    Row(
        "pathway:remove_sen_support", "POST", "pupil", own=SENCO, foreign=FOREIGN, forbidden=NOT_PLANNERS,
        data={"on_0": "1", "on_1": "3", "on_2": "2025", "reason": "Now making expected progress."},
    ),
    Row("pathway:setting_concerns", "GET", "setting", own=LEADERS, foreign=FOREIGN),
]  # fmt: skip
