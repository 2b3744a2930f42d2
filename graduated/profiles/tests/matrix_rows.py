"""The one-page profile's URLs in the authorisation matrix (graduated/lib/tests/authorisation_matrix.py)."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.profiles.models import OnePageProfile, ProfileContent
from graduated.profiles.services import save_profile

READERS = personas("senco_a", "head_a", "teacher_a", "ta_a")  # the SENCO, a senior leader, linked staff
WRITERS = personas("senco_a", "teacher_a", "ta_a")
FOREIGN = personas("senco_c")
LEADER = personas("head_a")  # may read the profile but not write it: 403


def _pupil_with_profile(world: World, side: str) -> list[Any]:
    pupil = world.p1 if side == "own" else world.p4
    save_profile(
        actor=Actor.system("test"),
        pupil=pupil,
        expected_version=0,
        content=ProfileContent(
            liked_and_admired="I am kind.", important_to_me="My cat.", how_to_support="Show me.", pupil_contributed=True
        ),
        written_on=date(2025, 3, 3),
    )
    return [pupil.pk]


def _first_version(world: World, side: str) -> list[Any]:
    return [*_pupil_with_profile(world, side), 1]


def _new_version(world: World, args: list[Any], side: str) -> dict[str, Any]:
    profile = OnePageProfile.objects.filter(pupil_id=args[0]).first()
    return {
        "liked_and_admired": "I am kind and I make people laugh.",
        "important_to_me": "My cat, Pepper.",
        "how_to_support": "Show me what to do, then let me try.",
        "contributed": ["pupil", "parents"],
        "staff_contributors": "Mrs Patel (class teacher)",
        "written_on_0": "4",
        "written_on_1": "3",
        "written_on_2": "2025",
        "version": profile.version if profile else 0,
    }


def _word_export(world: World, side: str) -> list[Any]:
    # The Word file: the matrix checks who may download; test_exports.py checks the PDF too.
    return [*_pupil_with_profile(world, side), "docx"]


TARGETS = {
    "pupil_with_profile": _pupil_with_profile,
    "profile_version": _first_version,
    "profile_word_export": _word_export,
}

ROWS = [
    Row("profiles:profile", "GET", "pupil_with_profile", own=READERS, foreign=FOREIGN),
    Row("profiles:history", "GET", "pupil_with_profile", own=READERS, foreign=FOREIGN),
    Row("profiles:version", "GET", "profile_version", own=READERS, foreign=FOREIGN),
    Row("profiles:print", "GET", "pupil_with_profile", own=READERS, foreign=FOREIGN),
    Row("profiles:export", "GET", "profile_word_export", own=READERS, foreign=FOREIGN),
    Row("profiles:edit", "GET", "pupil_with_profile", own=WRITERS, foreign=FOREIGN, forbidden=LEADER),
    # A first version, and a new version on top of one.
    Row("profiles:edit", "POST", "pupil", own=WRITERS, foreign=FOREIGN, forbidden=LEADER, data=_new_version),
    Row(
        "profiles:edit", "POST", "pupil_with_profile", own=WRITERS, foreign=FOREIGN, forbidden=LEADER, data=_new_version
    ),
]
