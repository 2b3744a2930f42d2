"""Every chronology kind is decided: family-visible (with its plain sentence) or staff-only."""

import re

import pytest

from graduated.family_notices.kinds import EMAILED_KINDS, FAMILY_VISIBLE, STAFF_ONLY, sentence
from graduated.pupils.models import ChronologyKind

# Words a parent should not have to know (the record's own terms and codes).
JARGON = re.compile(r"\b(APDR|cycle|SENCO|SEND?|K|E|N|provision|outcome|statutory|EHCNA|LA)\b")


def test_every_chronology_kind_is_decided_once() -> None:
    undecided = set(ChronologyKind.values) - set(FAMILY_VISIBLE) - set(STAFF_ONLY)
    assert not undecided, (
        f"Decide whether families hear about {sorted(undecided)}: add each to FAMILY_VISIBLE (with its sentence) "
        "or STAFF_ONLY (with why) in graduated/family_notices/kinds.py"
    )
    assert not set(FAMILY_VISIBLE) & set(STAFF_ONLY)
    assert set(FAMILY_VISIBLE) | set(STAFF_ONLY) == set(ChronologyKind.values)  # and nothing that is not a kind


def test_staff_only_things_are_never_family_visible() -> None:
    for kind in (
        ChronologyKind.CONCERN_RAISED, ChronologyKind.STATUS_CHANGED, ChronologyKind.STAFF_LINKED,
        ChronologyKind.DOCUMENT_ADDED, ChronologyKind.FUNDING_AWARDED, ChronologyKind.TOP_UP_DECIDED,
        ChronologyKind.NEED_RECORDED,
    ):  # fmt: skip
        assert kind in STAFF_ONLY and kind not in EMAILED_KINDS


@pytest.mark.parametrize("kind", sorted(FAMILY_VISIBLE))
@pytest.mark.parametrize("young_person", [False, True])
def test_each_sentence_is_plain_and_reads_for_a_parent_and_a_young_person(kind: str, young_person: bool) -> None:
    told = sentence(kind, first_name="Sam", young_person=young_person)
    assert told[0].isupper() and "{" not in told and not told.endswith(".")
    assert not JARGON.search(told), told
    assert ("Sam" in told) != young_person  # the child's name for a parent; "you" for the young person
    assert len(told) <= 100
