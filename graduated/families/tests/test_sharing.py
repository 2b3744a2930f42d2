"""The SENCO chooses, per record, what the family sees; the defaults follow the Code (plans and
the profile shared, meeting records and documents when chosen)."""

from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.tests.helpers import plan_for_p1
from graduated.lib.testing import World
from graduated.meetings.models import Meeting
from graduated.profiles.models import OnePageProfile, ProfileVersion
from graduated.support.models import Cycle


def share(client: Any, world: World, kind: str, pk: int, shared: str) -> Any:
    return client.post(reverse("families:share", args=[world.p1.pk, kind, pk]), {"shared": shared})


def family_page(world: World) -> str:
    parent = Client()
    parent.force_login(world.parent_p1)
    return parent.get(reverse("families:child", args=[world.p1.pk])).content.decode()


def test_the_senco_stops_sharing_a_plan_and_shares_a_meeting_record(world: World, client_for: Any) -> None:
    cycle = plan_for_p1(world, [])
    profile = OnePageProfile.objects.create(pupil=world.p1)
    ProfileVersion.objects.create(
        profile=profile, number=1, liked_and_admired="Kind to everyone", important_to_me="My dog",
        how_to_support="Quiet space", written_on=date(2026, 9, 1),
    )  # fmt: skip
    meeting = Meeting.objects.create(pupil=world.p1, kind="parent", held_on=date(2026, 10, 1), discussed="Reading.")
    senco = client_for(world.senco_a)
    manage = senco.get(reverse("families:manage", args=[world.p1.pk])).content.decode()
    assert "What the family can see" in manage and "Plan 1, from" in manage and "Cannot see it" in manage

    page = family_page(world)
    assert "Read a short book on her own" in page and "Kind to everyone" in page and "Reading." not in page

    assert share(senco, world, "plan", cycle.pk, "no").status_code == 302
    assert share(senco, world, "meeting", meeting.pk, "yes").status_code == 302
    cycle.refresh_from_db()
    meeting.refresh_from_db()
    assert not cycle.shared_with_family and meeting.shared_with_parents_on is not None
    page = family_page(world)
    assert "Read a short book on her own" not in page and "Reading." in page
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_type="support.cycle",
                                     actor_id=world.senco_a.pk).exists()  # fmt: skip
    # A plan not shared cannot be agreed or disagreed with either.
    parent = Client()
    parent.force_login(world.parent_p1)
    parent.post(reverse("families:respond", args=[world.p1.pk]), {"agrees": "yes"})
    assert not cycle.family_responses.exists()


def test_a_second_submit_or_a_bad_choice_changes_nothing_and_foreign_records_are_not_found(
    world: World, client_for: Any
) -> None:
    cycle = plan_for_p1(world, [])
    senco = client_for(world.senco_a)
    share(senco, world, "plan", cycle.pk, "no")
    again = senco.post(reverse("families:share", args=[world.p1.pk, "plan", cycle.pk]), {"shared": "no"},
                       follow=True)  # fmt: skip
    assert "That was already so" in again.content.decode()
    assert share(senco, world, "plan", cycle.pk, "maybe").status_code == 302
    assert Cycle.objects.get(pk=cycle.pk).shared_with_family is False
    other = Cycle.objects.create(pupil=world.p2, setting=world.setting_a, number=1, status="do",
                                 started_on=cycle.started_on)  # fmt: skip
    assert share(senco, world, "plan", other.pk, "no").status_code == 404
    assert share(senco, world, "everything", cycle.pk, "yes").status_code == 404
    assert Cycle.objects.get(pk=other.pk).shared_with_family is True
