import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.meetings import services
from graduated.meetings.models import Attendee, AttendeeKind, Meeting, MeetingAction, MeetingKind, academic_year
from graduated.organisations.models import Membership
from graduated.pupils.models import Pupil

ACTOR = Actor.system("test")
_numbers = itertools.count(1)
TODAY = timezone.localdate()
YEAR_START = academic_year(TODAY)[0]


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _form(held_on: date = YEAR_START, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "parent",
        **_date("held_on", held_on),
        "discussed": "Talked about reading.",
        "attendees-TOTAL_FORMS": "6",
        "attendees-INITIAL_FORMS": "0",
        "attendees-0-kind": "parent",
        "attendees-0-name": "Ann One",
        "attendees-0-role_or_relationship": "Mother",
        "actions-TOTAL_FORMS": "4",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Send a reading book home",
        "actions-0-owner_name": "Ann One",
        **_date("actions-0-due_on", held_on + timedelta(days=7)),
    }
    data.update(extra)
    return data


def _meeting(pupil: Pupil, held_on: date = YEAR_START, parent: bool = True, due: date | None = None) -> Meeting:
    return services.record_meeting(
        actor=ACTOR, pupil=pupil, kind=MeetingKind.REVIEW, held_on=held_on, discussed=f"Notes {next(_numbers)}",
        attendees=[services.AttendeeData(kind=AttendeeKind.PARENT if parent else AttendeeKind.PROFESSIONAL, name="X")],
        actions=[services.ActionData(description="Do it", owner_name="Sam", due_on=due or held_on)],
    )  # fmt: skip


def _new(pupil: Pupil) -> str:
    return reverse("meetings:record", args=[pupil.pk])


def test_senco_records_a_meeting_and_blank_rows_are_ignored(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    staff = Membership.objects.get(user=world.teacher_a)
    audit_before = AuditEvent.objects.count()
    response = client.post(_new(world.p1), _form(staff=[staff.pk]))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert sorted(meeting.attendees.values_list("name", "kind", "user")) == [
        ("Ann One", "parent", None), ("Tia Teacher", "staff", world.teacher_a.pk),
    ]  # fmt: skip
    assert meeting.actions.count() == 1
    assert AuditEvent.objects.count() == audit_before + 1
    page = client.get(response["Location"]).content.decode()
    assert "Meeting recorded." in page and "Send a reading book home" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_date("held_on", TODAY + timedelta(days=1)), "Date of the meeting must be today or in the past"),
        ({"held_on_1": "13"}, "Date of the meeting must be a real date"),
        (_date("actions-0-due_on", YEAR_START - timedelta(days=1)), "Action 1 must be due on or after the meeting"),
        ({"attendees-1-role_or_relationship": "Father"}, "Enter a name for person 2"),
        ({"actions-0-owner_name": ""}, "For action 1, choose a member of staff or enter the name of who will do it."),
        ({"staff": ["999999"]}, "Choose staff from the list"),
        ({"actions-0-owner_staff": "999999"}, "Choose a member of staff from the list"),
        (
            {"actions-0-due_on_0": "", "actions-0-due_on_1": "", "actions-0-due_on_2": ""},
            "Enter the date action 1 is due",
        ),
        ({"attendees-TOTAL_FORMS": "500"}, "Please submit at most 30 forms"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_saves_nothing(
    world: World, client_for: Callable[..., Client], change: dict[str, Any], message: str
) -> None:
    response = client_for(world.senco_a).post(_new(world.p1), _form(**change))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not Meeting.objects.exists()


def test_another_settings_staff_member_cannot_be_named(world: World, client_for: Callable[..., Client]) -> None:
    foreign = Membership.objects.get(user=world.senco_c)
    response = client_for(world.senco_a).post(_new(world.p1), _form(staff=[foreign.pk]))
    assert response.status_code == 400 and not Meeting.objects.exists()


def test_a_teacher_not_linked_gets_404_and_a_senior_leader_403(world: World, client_for: Callable[..., Client]) -> None:
    assert client_for(world.other_teacher_a).get(_new(world.p1)).status_code == 404
    assert client_for(world.head_a).get(_new(world.p1)).status_code == 403
    assert client_for(world.head_a).get(reverse("meetings:list", args=[world.p1.pk])).status_code == 200


def test_another_pupils_meeting_or_action_is_404(world: World, client_for: Callable[..., Client]) -> None:
    theirs = _meeting(world.p2)
    client = client_for(world.senco_a)
    assert client.get(reverse("meetings:detail", args=[world.p1.pk, theirs.pk])).status_code == 404
    mine = _meeting(world.p1)
    action = theirs.actions.get()
    url = reverse("meetings:complete_action", args=[world.p1.pk, mine.pk, action.pk])
    assert client.post(url).status_code == 404
    action.refresh_from_db()
    assert action.done_on is None


def test_each_page_view_writes_one_audit_event(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    client = client_for(world.senco_a)
    for url in [
        reverse("meetings:list", args=[world.p1.pk]),
        reverse("meetings:detail", args=[world.p1.pk, meeting.pk]),
        reverse("meetings:record", args=[world.p1.pk]),
        reverse("meetings:edit", args=[world.p1.pk, meeting.pk]),
        reverse("meetings:setting_overview", args=[world.setting_a.pk]),
    ]:
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.count() == before + 1, url
        event = AuditEvent.objects.order_by("-id").first()
        assert event is not None and event.action == "view" and event.actor_email == world.senco_a.email


def test_a_stale_edit_is_refused_and_the_typing_kept(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    url = reverse("meetings:edit", args=[world.p1.pk, meeting.pk])
    services.update_meeting(
        actor=ACTOR, meeting=meeting, changes={"discussed": "Saved by someone else"}, expected_version=1
    )
    response = client_for(world.teacher_a).post(url, _form(discussed="My own words", version="1"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this meeting" in page
    assert "Saved by someone else" in page and "My own words" in page
    meeting.refresh_from_db()
    assert meeting.discussed == "Saved by someone else"
    # Saving again, against the version now shown, works.
    response = client_for(world.teacher_a).post(url, _form(discussed="My own words", version="2"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.discussed, meeting.version) == ("My own words", 3)


def test_editing_keeps_the_attendees_left_unchanged(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    client = client_for(world.senco_a)
    form = client.get(reverse("meetings:edit", args=[world.p1.pk, meeting.pk])).context["attendees"]
    data = {**_form(version="1"), "attendees-0-kind": "parent", "attendees-0-name": "X",
            "attendees-TOTAL_FORMS": str(form.total_form_count()), "attendees-INITIAL_FORMS": "1"}  # fmt: skip
    assert client.post(reverse("meetings:edit", args=[world.p1.pk, meeting.pk]), data).status_code == 302
    assert list(Attendee.objects.filter(meeting=meeting).values_list("name", flat=True)) == ["X"]


def test_marking_shared_and_done_twice_is_harmless(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    client = client_for(world.senco_a)
    shared = reverse("meetings:shared", args=[world.p1.pk, meeting.pk])
    assert client.post(shared, {}).status_code == 302
    assert client.post(shared, {}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.shared_with_parents_on == TODAY
    action = meeting.actions.get()
    done = reverse("meetings:complete_action", args=[world.p1.pk, meeting.pk, action.pk])
    assert client.post(done).status_code == 302
    page = client.post(done, follow=True).content.decode()
    assert "already marked as done" in page


def test_sharing_before_the_meeting_is_a_400(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    response = client_for(world.senco_a).post(
        reverse("meetings:shared", args=[world.p1.pk, meeting.pk]), _date("shared_on", YEAR_START - timedelta(days=3))
    )
    assert response.status_code == 400
    assert "must be on or after the meeting" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.shared_with_parents_on is None


def test_pupil_page_panel_warns_when_short_of_parent_meetings(world: World, client_for: Callable[..., Client]) -> None:
    _meeting(world.p1)
    _meeting(world.p1, parent=False, due=YEAR_START - timedelta(days=0))
    page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "2 meetings, 1 with parents or carers" in page
    assert "The SEND Code of Practice (6.65) expects schools to meet parents" in page
    assert "So far this year: 1 meeting with parents or carers" in page
    assert "Record a meeting" in page
    ta_page = client_for(world.ta_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Meetings" in ta_page and "Record a meeting" not in ta_page and "across Ash Primary" not in ta_page
    senco_page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert reverse("meetings:setting_overview", args=[world.setting_a.pk]) in senco_page


def test_setting_overview_lists_shortfalls_and_overdue_actions(world: World, client_for: Callable[..., Client]) -> None:
    held = TODAY - timedelta(days=20)
    _meeting(world.p1, held_on=held, due=held + timedelta(days=1))
    done = _meeting(world.p1, held_on=held, due=held + timedelta(days=2)).actions.get()
    services.complete_action(actor=ACTOR, action=done)
    _meeting(world.p4, held_on=held, due=held)  # another setting's pupil
    page = client_for(world.senco_a).get(reverse("meetings:setting_overview", args=[world.setting_a.pk]))
    text = page.content.decode()
    assert "Priya One" in text and "Paul Two" not in text  # Paul has no SEN
    assert text.count("Do it") == 1 and "Piotr" not in text
    assert (
        client_for(world.senco_b).get(reverse("meetings:setting_overview", args=[world.setting_a.pk])).status_code
        == 404
    )


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_pages_have_a_fixed_number_of_queries(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    first = _meeting(world.p1)
    urls = [
        reverse("meetings:list", args=[world.p1.pk]),
        reverse("meetings:detail", args=[world.p1.pk, first.pk]),
        reverse("meetings:setting_overview", args=[world.setting_a.pk]),
        reverse("pupils:detail", args=[world.p1.pk]),
    ]
    small = [_queries(client, url) for url in urls]
    for number in range(6):
        meeting = _meeting(world.p1, held_on=YEAR_START + timedelta(days=number), due=YEAR_START + timedelta(days=9))
        services.record_meeting(
            actor=ACTOR, pupil=world.p2, kind=MeetingKind.PARENT, held_on=YEAR_START, discussed=f"x {number}",
            actions=[services.ActionData(description="More", owner_name="Sam", due_on=YEAR_START)],
        )  # fmt: skip
        Attendee.objects.create(meeting=meeting, kind=AttendeeKind.PUPIL, name=f"Child {number}")
        MeetingAction.objects.create(meeting=first, description=f"Extra {number}", owner_name="Sam", due_on=YEAR_START)
    large = [_queries(client, url) for url in urls]
    assert small == large


def test_a_double_submitted_meeting_is_recorded_once(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    first = client.post(_new(world.p1), _form())
    second = client.post(_new(world.p1), _form(), follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert Meeting.objects.count() == 1 and MeetingAction.objects.count() == 1
    assert "already recorded" in second.content.decode()


def test_a_double_submitted_edit_is_not_called_a_conflict(world: World, client_for: Callable[..., Client]) -> None:
    meeting = _meeting(world.p1)
    url = reverse("meetings:edit", args=[world.p1.pk, meeting.pk])
    client = client_for(world.senco_a)
    data = _form(discussed="Changed once", version="1")
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert again.status_code == 200 and "already saved" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_setting_overview_pages_each_list_and_counts_the_whole(
    world: World, client_for: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from graduated.lib import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    held = TODAY - timedelta(days=20)
    for number in range(5):
        _meeting(world.p1, held_on=held, due=held + timedelta(days=number))
    client = client_for(world.senco_a)
    url = reverse("meetings:setting_overview", args=[world.setting_a.pk])
    first = client.get(url).content.decode()
    assert "Overdue actions (5)" in first and first.count("Do it") == 2
    assert 'aria-label="Pages of overdue actions"' in first
    assert 'href="?overdue=2#overdue"' in first and 'aria-current="page"' in first
    assert "Showing 1 to 2 of 5." in first
    last = client.get(url, {"overdue": "3", "shortfalls": "1"}).content.decode()
    assert "Overdue actions (5)" in last and last.count("Do it") == 1
    assert "Showing 5 to 5 of 5." in last
    assert 'href="?overdue=2&amp;shortfalls=1#overdue"' in last  # the other list's page is kept
    # a page past the end, or not a number, is the nearest page: never an error
    assert client.get(url, {"overdue": "99"}).content.decode().count("Do it") == 1
    assert client.get(url, {"overdue": "x"}).status_code == 200
