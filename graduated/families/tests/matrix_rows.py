"""The families app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The setting's side is the SENCO's (who plans the pupil's support), as professionals' access is;
the teacher and TA linked to P1, and the head, get 403. The family's side: a parent reaches only
their own child (parent_p1 and young_p1, the young person's own account, for P1; parent_p4 for
P4, "foreign"): the parent of another child in
the same setting (parent_p2) and everyone else get 404, staff included. A family's home is
everyone's (it lists the children their links reach, none for staff).
"""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.families.models import FamilyLink, ViewsRequest
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import (
    EVERYONE,
    P1_READERS_NOT_EDITORS,
    SETTING_A_LEADERS,
    Row,
    personas,
)
from graduated.meetings.models import Meeting
from graduated.support.models import Cycle, CycleStatus

SENCO = personas("senco_a")
# P1's parent, and P1 as a young person with their own account.
OWN_FAMILY = personas("parent_p1", "young_p1")
FOREIGN_SENCO = personas("senco_c")


def _link(world: World, side: str) -> list[Any]:
    link = FamilyLink.objects.get(user=world.parent_p1 if side == "own" else world.parent_p4)
    return [link.pupil_id, link.pk]


def _views_asked(world: World, side: str) -> list[Any]:
    pupil, setting = (world.p1, world.setting_a) if side == "own" else (world.p4, world.setting_c)
    cycle = Cycle.objects.create(pupil=pupil, setting=setting, number=1, status=CycleStatus.DO,
                                 started_on=date(2026, 9, 7), review_date=date(2026, 12, 14))  # fmt: skip
    ViewsRequest.objects.create(cycle=cycle)
    return [pupil.pk]


def _shared_meeting(world: World, side: str) -> list[Any]:
    pupil = world.p1 if side == "own" else world.p4
    meeting = Meeting.objects.create(pupil=pupil, kind="parent", held_on=date(2026, 10, 1), discussed="Agreed a plan.",
                                     shared_with_parents_on=date(2026, 10, 2))  # fmt: skip
    return [pupil.pk, meeting.pk]


def _referral_awaiting_consent(world: World, side: str) -> list[Any]:
    from graduated.specialists.tests import factories

    pupil = world.p1 if side == "own" else world.p4
    referral = factories.referral(pupil, consent_by="not_yet", consent_on=None, referred_on=None)
    return [pupil.pk, "referral", referral.pk]


def _shared_document(world: World, side: str) -> list[Any]:
    from django.core.files.base import ContentFile

    from graduated.documents.models import Document

    pupil = world.p1 if side == "own" else world.p4
    document = Document(pupil=pupil, title="Report", kind="report", dated=date(2026, 10, 1), original_name="r.pdf",
                        content_type="application/pdf", size=9, sha256="0" * 64, shared_with_family=True)  # fmt: skip
    document.file.save("upload", ContentFile(b"%PDF-1.4\n"), save=True)
    return [pupil.pk, document.pk]


def _child_form_link(world: World, side: str) -> list[Any]:
    from graduated.families.child_form import make_link

    cycle_pupil = _views_asked(world, side)[0]
    asked = ViewsRequest.objects.get(cycle__pupil_id=cycle_pupil)
    url, _ = make_link(actor=Actor.system("test"), asked=asked)
    return [url.rstrip("/").rsplit("/", 1)[1]]


def _plan(world: World, side: str) -> list[Any]:
    pupil, setting = (world.p1, world.setting_a) if side == "own" else (world.p4, world.setting_c)
    cycle = Cycle.objects.create(pupil=pupil, setting=setting, number=1, status=CycleStatus.DO,
                                 started_on=date(2026, 9, 7))  # fmt: skip
    return [pupil.pk, "plan", cycle.pk]


TARGETS = {
    "plan_of_pupil": _plan,
    "child_form_link": _child_form_link,
    "shared_document": _shared_document,
    "family_link": _link,
    "pupil_views_asked": _views_asked,
    "shared_meeting": _shared_meeting,
    "referral_awaiting_consent": _referral_awaiting_consent,
}
ROWS = [
    Row("families:home", "GET", "none", own=EVERYONE),
    Row("families:child", "GET", "pupil", own=OWN_FAMILY, foreign=personas("parent_p4")),
    Row("families:manage", "GET", "pupil", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row("families:views", "GET", "pupil", own=OWN_FAMILY, foreign=personas("parent_p4")),
    Row(
        "families:views",
        "POST",
        "pupil_views_asked",
        own=OWN_FAMILY,
        foreign=personas("parent_p4"),
        data={"going_well": "Reading at bedtime"},
    ),
    Row(
        "families:respond",
        "POST",
        "pupil",
        own=OWN_FAMILY,
        foreign=personas("parent_p4"),
        data={"agrees": "yes"},
    ),
    Row(
        "families:consent",
        "POST",
        "referral_awaiting_consent",
        own=OWN_FAMILY,
        foreign=personas("parent_p4"),
        data=lambda world, args, side: {f"consent-referral-{args[2]}-given": "yes"},
    ),
    Row(
        "families:add_evidence",
        "POST",
        "pupil_views_asked",
        own=OWN_FAMILY,
        foreign=personas("parent_p4"),
        data={"note": "A good week"},
    ),
    Row("families:shared_document", "GET", "shared_document", own=OWN_FAMILY, foreign=personas("parent_p4")),
    Row("families:thread", "GET", "pupil", own=OWN_FAMILY, foreign=personas("parent_p4")),
    Row("families:thread", "POST", "pupil", own=OWN_FAMILY, foreign=personas("parent_p4"), data={"body": "Hello"}),
    Row("families:school_thread", "GET", "pupil", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row(
        "families:school_thread",
        "POST",
        "pupil",
        own=SENCO,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"body": "Thank you for telling us."},
    ),
    Row("families:waiting", "GET", "setting", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO),
    Row(
        "families:share",
        "POST",
        "plan_of_pupil",
        own=SENCO,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"shared": "no"},
    ),
    Row(
        "families:make_child_form",
        "POST",
        "pupil_views_asked",
        own=SENCO,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
    ),
    # The pupil's own form opens with its link alone, for anyone who has it (no account).
    Row("families:child_form", "GET", "child_form_link", own=EVERYONE, foreign=EVERYONE, public=True),
    Row(
        "families:child_form",
        "POST",
        "child_form_link",
        own=EVERYONE,
        foreign=EVERYONE,
        public=True,
        data={"feeling": "happy"},
    ),
    Row("families:acknowledge", "POST", "shared_meeting", own=OWN_FAMILY, foreign=personas("parent_p4")),
    Row("families:ask_views", "POST", "pupil", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row("families:end", "POST", "family_link", own=SENCO, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
]
