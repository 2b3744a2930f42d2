"""The My Support Plan's URLs in the authorisation matrix (graduated/lib/tests/authorisation_matrix.py).

The plan holds family, health and social care information: the SENCO and the head read it
(VIEW_RECORD); only the SENCO writes it and records PCP meetings (PLAN_SUPPORT). Linked teachers and
TAs reach the pupil but not the plan (403); the head may read but not write (403); others get 404.
"""

from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.statutory.models import MySupportPlan
from graduated.statutory.tests.factories import pcp_meeting, plan

READERS = personas("senco_a", "head_a")
WRITER = personas("senco_a")
LINKED = personas("teacher_a", "ta_a")
FOREIGN = personas("senco_c")


def _pupil(world: World, side: str) -> Any:
    return world.p1 if side == "own" else world.p4


def _with_plan(world: World, side: str) -> list[Any]:
    pupil = _pupil(world, side)
    plan(pupil)
    return [pupil.pk]


def _first_version(world: World, side: str) -> list[Any]:
    return [*_with_plan(world, side), 1]


def _word_export(world: World, side: str) -> list[Any]:
    return [*_with_plan(world, side), "docx"]


def _version_word_export(world: World, side: str) -> list[Any]:
    return [*_with_plan(world, side), 1, "docx"]


def _meeting(world: World, side: str) -> list[Any]:
    pupil = _pupil(world, side)
    return [pupil.pk, pcp_meeting(pupil).pk]


def _new_version(world: World, args: list[Any], side: str) -> dict[str, Any]:
    saved = MySupportPlan.objects.filter(pupil_id=args[0]).first()
    return {
        "views": "I like quiet places.", "needs": "Speech and language", "looked_after": "no", "meeting": "",
        "agreed_on_0": "2", "agreed_on_1": "10", "agreed_on_2": "2026", "version": saved.version if saved else 0,
        "outcomes-TOTAL_FORMS": "0", "outcomes-INITIAL_FORMS": "0",
    }  # fmt: skip


PCP_FORM = {
    "held_on_0": "1", "held_on_1": "10", "held_on_2": "2026", "whats_working": "Reading.",
    "whats_not_working": "Lunchtimes.", "important_to": "My cat.", "important_for": "Quiet space.",
    "discussed": "Agreed a plan.", "views_sent_by": "",
    "attendees-TOTAL_FORMS": "0", "attendees-INITIAL_FORMS": "0",
    "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0",
}  # fmt: skip

TARGETS = {
    "pupil_with_support_plan": _with_plan,
    "support_plan_version": _first_version,
    "support_plan_word_export": _word_export,
    "support_plan_version_word_export": _version_word_export,
    "pcp_meeting": _meeting,
}

ROWS = [
    Row("statutory:plan", "GET", "pupil_with_support_plan", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row("statutory:plan", "GET", "pupil", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row("statutory:plan_history", "GET", "pupil_with_support_plan", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row("statutory:plan_version", "GET", "support_plan_version", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row("statutory:plan_export", "GET", "support_plan_word_export", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row(
        "statutory:plan_version_export",
        "GET",
        "support_plan_version_word_export",
        own=READERS,
        foreign=FOREIGN,
        forbidden=LINKED,
    ),
    Row("statutory:plan_edit", "GET", "pupil", own=WRITER, foreign=FOREIGN, forbidden=LINKED | personas("head_a")),
    # A first version, and a new version on top of one.
    Row(
        "statutory:plan_edit", "POST", "pupil", own=WRITER, foreign=FOREIGN, forbidden=LINKED | personas("head_a"),
        data=_new_version,
    ),
    Row(
        "statutory:plan_edit", "POST", "pupil_with_support_plan", own=WRITER, foreign=FOREIGN,
        forbidden=LINKED | personas("head_a"), data=_new_version,
    ),
    Row("statutory:pcp_record", "GET", "pupil", own=WRITER, foreign=FOREIGN, forbidden=LINKED | personas("head_a")),
    Row(
        "statutory:pcp_record", "POST", "pupil", own=WRITER, foreign=FOREIGN, forbidden=LINKED | personas("head_a"),
        data=PCP_FORM,
    ),
    Row("statutory:pcp_detail", "GET", "pcp_meeting", own=READERS, foreign=FOREIGN, forbidden=LINKED),
    Row("statutory:plan_reviews_due", "GET", "setting", own=READERS, foreign=FOREIGN),
]  # fmt: skip
