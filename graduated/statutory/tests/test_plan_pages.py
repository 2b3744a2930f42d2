"""The My Support Plan and PCP meeting pages as people meet them: forms, errors, stale saves, query counts."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.meetings.models import Meeting, MeetingKind
from graduated.meetings.services import record_meeting
from graduated.pupils import services as pupil_services
from graduated.pupils.models import Pupil
from graduated.statutory.models import PlanVersion
from graduated.statutory.tests.factories import ACTOR, pcp_meeting, plan


def _url(name: str, *args: Any) -> str:
    return reverse(f"statutory:{name}", args=args)


def _date(prefix: str, day: date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def _plan_form(version: int | str, **overrides: Any) -> dict[str, Any]:
    data = {
        "views": "I like quiet places and drawing.", "needs": "Speech, language and communication needs",
        "interests": "Cats", "looked_after": "no", "meeting": "", "version": version,
        **_date("agreed_on", date(2026, 10, 5)), "next_review_on_0": "", "next_review_on_1": "", "next_review_on_2": "",
        "outcomes-TOTAL_FORMS": "2", "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-description": "Asks for help in class", "outcomes-0-who": "Class teacher",
        **_date("outcomes-0-by_when", date(2027, 1, 29)),
    }  # fmt: skip
    data.update(overrides)
    return data


def _pcp_form(**overrides: Any) -> dict[str, Any]:
    data = {
        **_date("held_on", date(2026, 10, 1)), "whats_working": "Reading with Mum.",
        "whats_not_working": "Lunchtimes are loud.", "important_to": "My cat Pepper.",
        "important_for": "A quiet space.", "discussed": "Agreed to write a My Support Plan.",
        "views_sent_by": "Dr Shah (educational psychologist)",
        "attendees-TOTAL_FORMS": "2", "attendees-INITIAL_FORMS": "0",
        "attendees-0-kind": "parent", "attendees-0-name": "Rosa One", "attendees-0-role_or_relationship": "mother",
        "attendees-1-kind": "pupil", "attendees-1-name": "Priya",
        "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Ask for an EP visit", "actions-0-owner_name": "Sam Senco",
        **_date("actions-0-due_on", date(2026, 10, 20)),
    }  # fmt: skip
    data.update(overrides)
    return data


def _views(before: int) -> list[str]:
    return list(AuditEvent.objects.filter(pk__gt=before, action="view").values_list("description", flat=True))


def _last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# PCP meetings ---------------------------------------------------------------------------------------


def test_the_senco_records_a_pcp_meeting(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    assert client.get(_url("pcp_record", world.p1.pk)).status_code == 200
    response = client.post(_url("pcp_record", world.p1.pk), _pcp_form())
    meeting = Meeting.objects.get(pupil=world.p1)
    assert response.status_code == 302 and response["Location"] == _url("pcp_detail", world.p1.pk, meeting.pk)
    assert meeting.kind == MeetingKind.PERSON_CENTRED
    page = client.get(response["Location"]).content.decode()
    assert "My cat Pepper." in page and "Rosa One" in page and "Dr Shah (educational psychologist)" in page
    assert table_rows(page, "Actions agreed")[1:] == [["Ask for an EP visit", "Sam Senco", "20 Oct 2026", "Not yet"]]
    # Sent twice (a double click): one meeting.
    again = client.post(_url("pcp_record", world.p1.pk), _pcp_form())
    assert again.status_code == 302 and Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"important_to": ""}, "Enter what is important to the pupil"),
        ({"held_on_0": "31", "held_on_1": "2"}, "must be a real date"),
        ({"held_on_2": "2099"}, "today or in the past"),
        ({"actions-0-due_on_2": "2025"}, "must be due on or after the meeting"),
        ({"attendees-0-name": ""}, "Enter a name for person 1"),
        ({"attendees-TOTAL_FORMS": "junk"}, ""),
    ],
)
def test_a_bad_pcp_meeting_is_refused_with_a_message(
    world: World, client_for: Callable[..., Client], overrides: dict[str, str], message: str
) -> None:
    response = client_for(world.senco_a).post(_url("pcp_record", world.p1.pk), _pcp_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_another_pupils_meeting_or_a_meeting_of_another_kind_is_404(
    world: World, client_for: Callable[..., Client]
) -> None:
    others = pcp_meeting(world.p2)
    review = record_meeting(actor=ACTOR, pupil=world.p1, kind=MeetingKind.REVIEW, held_on=date(2026, 10, 1),
                            discussed="Review")  # fmt: skip
    client = client_for(world.senco_a)
    assert client.get(_url("pcp_detail", world.p1.pk, others.pk)).status_code == 404
    assert client.get(_url("pcp_detail", world.p1.pk, review.pk)).status_code == 404
    assert client.get(_url("pcp_detail", world.p2.pk, others.pk)).status_code == 200


# Writing the plan -----------------------------------------------------------------------------------


def test_a_first_plan_starts_from_the_record_and_saves(world: World, client_for: Callable[..., Client]) -> None:
    pupil_services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 1, 8))
    meeting = pcp_meeting(world.p1)
    client = client_for(world.senco_a)
    form = client.get(_url("plan_edit", world.p1.pk)).content.decode()
    assert "Speech, language and communication needs (primary need)" in form
    assert f'<option value="{meeting.pk}" selected>' in form  # the latest PCP meeting is offered first
    before = _last_event()
    response = client.post(_url("plan_edit", world.p1.pk), _plan_form(0, meeting=str(meeting.pk)))
    assert response.status_code == 302 and response["Location"] == _url("plan", world.p1.pk)
    version = PlanVersion.objects.of_pupil(world.p1).get()
    assert version.next_review_on == date(2027, 2, 5) and version.meeting == meeting
    page = client.get(_url("plan", world.p1.pk)).content.decode()
    assert "I like quiet places and drawing." in page and "5 February 2027" in page
    assert table_rows(page, "Outcomes agreed")[1:] == [["Asks for help in class", "Class teacher", "29 Jan 2027"]]
    assert AuditEvent.objects.filter(pk__gt=before, action="create").count() == 1
    assert _views(before) == ["My Support Plan"]


def test_a_new_version_starts_from_the_current_one(world: World, client_for: Callable[..., Client]) -> None:
    plan(world.p1)
    client = client_for(world.senco_a)
    form = client.get(_url("plan_edit", world.p1.pk)).content.decode()
    assert "I like school when it is calm (1)." in form and "Ask for help in class (1)" in form
    data = _plan_form(1, **{"outcomes-TOTAL_FORMS": "1", "next_review_on_0": "15", "next_review_on_1": "12",
                            "next_review_on_2": "2026"})  # fmt: skip
    assert client.post(_url("plan_edit", world.p1.pk), data).status_code == 302
    current = PlanVersion.objects.of_pupil(world.p1).get(number=2)
    assert current.next_review_on == date(2026, 12, 15)
    history = client.get(_url("plan_history", world.p1.pk)).content.decode()
    assert [row[0] for row in table_rows(history, "Versions")[1:]] == ["Version 2 (current)", "Version 1"]
    old = client.get(_url("plan_version", world.p1.pk, 1)).content.decode()
    assert "This is an old version" in old and "I like school when it is calm (1)." in old


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"views": "  "}, "Enter Priya’s views"),
        ({"looked_after": ""}, "Choose the pupil’s looked-after status"),
        ({"looked_after": "orphan"}, "Select a valid choice"),
        ({"agreed_on_0": "32"}, "must be a real date"),
        ({"agreed_on_2": "2099"}, "must be today or in the past"),
        ({"next_review_on_0": "1", "next_review_on_1": "10", "next_review_on_2": "2026"}, "must be after the date"),
        ({"outcomes-0-who": ""}, "Enter who will help with outcome 1"),
        ({"outcomes-0-by_when_2": "2025"}, "Outcome 1 must be due on or after the date agreed"),
        ({"meeting": "999999"}, "Choose one of the pupil’s person-centred planning meetings"),
        ({"version": "abc"}, "This form is out of date"),  # a tampered form
        ({"outcomes-TOTAL_FORMS": "x"}, ""),
    ],
)
def test_a_bad_plan_is_refused_with_a_message_and_saves_nothing(
    world: World, client_for: Callable[..., Client], overrides: dict[str, str], message: str
) -> None:
    response = client_for(world.senco_a).post(_url("plan_edit", world.p1.pk), {**_plan_form(0), **overrides})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_another_pupils_meeting_cannot_be_named(world: World, client_for: Callable[..., Client]) -> None:
    others = pcp_meeting(world.p2)
    response = client_for(world.senco_a).post(_url("plan_edit", world.p1.pk), _plan_form(0, meeting=str(others.pk)))
    assert response.status_code == 400 and not PlanVersion.objects.exists()


def test_a_stale_save_is_refused_and_the_typing_kept(world: World, client_for: Callable[..., Client]) -> None:
    plan(world.p1)
    plan(world.p1, 2)  # someone else saved while this person was writing on version 1
    response = client_for(world.senco_a).post(
        _url("plan_edit", world.p1.pk), _plan_form(1, views="My own words, typed carefully.")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved a new version of this plan" in page
    assert "I like school when it is calm (2)." in page  # theirs, shown first
    assert "My own words, typed carefully." in page  # mine, kept in the form
    assert PlanVersion.objects.count() == 2
    # The form now carries the newer version: saving again goes through.
    again = client_for(world.senco_a).post(
        _url("plan_edit", world.p1.pk), _plan_form(2, views="My own words, typed carefully.")
    )
    assert again.status_code == 302 and PlanVersion.objects.count() == 3


def test_missing_versions_and_formats_are_404(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    assert client.get(_url("plan_export", world.p1.pk, "pdf")).status_code == 404  # no plan yet
    plan(world.p1)
    assert client.get(_url("plan_version", world.p1.pk, 2)).status_code == 404
    assert client.get(_url("plan_export", world.p1.pk, "exe")).status_code == 404
    assert client.get(_url("plan_version_export", world.p1.pk, 7, "pdf")).status_code == 404
    assert client.get(_url("plan", 999999)).status_code == 404


# The pupil page and the review list -------------------------------------------------------------------


def test_the_pupil_page_shows_the_current_version_to_those_who_may_read_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    plan(world.p1)
    plan(world.p1, 2)
    page = client_for(world.head_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Version 2, agreed on 28 September 2026." in page and "Next review by 28 January 2027" in page
    assert _url("plan", world.p1.pk) in page
    teacher_page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert _url("plan", world.p1.pk) not in teacher_page


def test_the_review_list_shows_due_and_overdue_plans(world: World, client_for: Callable[..., Client]) -> None:
    plan(world.p1, agreed_on=date(2026, 5, 1))  # review 1 September 2026: overdue
    before = _last_event()
    page = client_for(world.head_a).get(_url("plan_reviews_due", world.setting_a.pk)).content.decode()
    assert table_rows(page, "Plan reviews due")[1:] == [["Priya One", "1", "1 May 2026", "1 Sep 2026 Overdue"]]
    assert AuditEvent.objects.filter(pk__gt=before, action="view").count() == 1


# Query counts ---------------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda w: _url("plan", w.p1.pk),
        lambda w: _url("plan_history", w.p1.pk),
        lambda w: _url("plan_version", w.p1.pk, 1),
        lambda w: _url("plan_edit", w.p1.pk),
        lambda w: reverse("pupils:detail", args=[w.p1.pk]),
    ],
    ids=["plan", "history", "version", "new version", "pupil page"],
)
def test_pupil_pages_use_a_fixed_number_of_queries_whatever_the_history(
    world: World, client_for: Callable[..., Client], url_of: Callable[[World], str]
) -> None:
    client = client_for(world.senco_a)
    pcp_meeting(world.p1)
    plan(world.p1)
    client.get(url_of(world))  # warm the session and the caches
    small = _queries(client, url_of(world))
    for n in range(2, 9):
        pcp_meeting(world.p1, held_on=date(2026, 9, 21 - n))
        plan(world.p1, n)
    assert PlanVersion.objects.of_pupil(world.p1).count() == 8
    assert _queries(client, url_of(world)) == small


def _pupil_with_due_plan(world: World, n: int) -> Pupil:
    pupil = make_pupil(world.setting_a, f"Pupil{n}", "Due")
    plan(pupil, agreed_on=date(2026, 6, 1))
    return pupil


def test_the_review_list_uses_a_fixed_number_of_queries(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = _url("plan_reviews_due", world.setting_a.pk)
    _pupil_with_due_plan(world, 1)
    client.get(url)
    small = _queries(client, url)
    for n in range(2, 12):
        _pupil_with_due_plan(world, n)
    assert len(table_rows(client.get(url).content.decode(), "Plan reviews due")) == 12  # with the header
    assert _queries(client, url) == small
