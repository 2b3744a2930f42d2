"""The training pages as the LA admin, a SENCO, a teacher and outsiders meet them."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib import submit_once
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_member, make_pupil
from graduated.organisations.models import Membership, Role
from graduated.pupils.models import StaffRelationship
from graduated.pupils.services import link_staff
from graduated.training import services
from graduated.training.models import Awareness, Course, TrainingRecord
from graduated.training.tests.factories import ACTOR, course, course_form, training, training_form

ClientFor = Callable[..., Client]
_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _url(name: str, *args: Any) -> str:
    return reverse(f"training:{name}", args=args)


def _membership(user: Any, setting: Any) -> int:
    return Membership.objects.get(user=user, setting=setting).pk


# -- The LA's offer ----------------------------------------------------------------------------------


def test_the_admin_adds_a_course_and_the_las_settings_read_it(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    response = client.post(_url("add_course", world.la_north.pk), course_form())
    assert response.status_code == 302 and response["Location"] == _url("offer", world.la_north.pk)
    rows = table_rows(client.get(_url("offer", world.la_north.pk)).content.decode(), "Courses offered")
    assert rows[1][0].startswith("Understanding autism in the classroom")
    assert rows[1][1:4] == [
        "Northshire Autism Team; face to face, 3 hours", "Communication and interaction",
        "Teachers; Teaching assistants",
    ]  # fmt: skip
    page = client_for(world.head_a).get(_url("setting_offer", world.setting_a.pk)).content.decode()
    assert "Understanding autism in the classroom" in page and "Add a course" not in page
    officer_page = client_for(world.officer_north).get(_url("offer", world.la_north.pk)).content.decode()
    assert "Understanding autism in the classroom" in officer_page and "Add a course" not in officer_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"title": ""}, "Enter the title"), ({"title": "x" * 201}, "The title must be 200 characters or fewer"),
     ({"description": "x" * 2001}, "The short description must be 2000 characters or fewer"),
     ({"hours": "lots"}, "Enter the length in hours as a number"), ({"hours": "0"}, "at least half an hour"),
     ({"hours": "1000"}, "100 hours or fewer"), ({"hours": "1.25"}, "nearest tenth of an hour"),
     ({"format": "carrier pigeon"}, "Select the format"), ({"audiences": []}, "Select who the course is for"),
     ({"areas": ["XX"]}, "Choose areas of need from the list")],
)  # fmt: skip
def test_bad_course_input_gets_a_400_with_a_message_and_changes_nothing(
    world: World, client_for: ClientFor, changes: dict[str, Any], message: str
) -> None:
    response = client_for(world.la_admin_north).post(_url("add_course", world.la_north.pk), course_form(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Course.objects.exists()


def test_a_course_with_a_title_already_offered_is_refused(world: World, client_for: ClientFor) -> None:
    course(world.la_north)
    response = client_for(world.la_admin_north).post(_url("add_course", world.la_north.pk), course_form())
    assert response.status_code == 400 and "already has a course called" in response.content.decode()
    assert Course.objects.count() == 1


def test_a_course_form_sent_twice_adds_one_course(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    token = _TOKEN.search(client.get(_url("add_course", world.la_north.pk)).content.decode())
    assert token is not None
    data = {**course_form(), "form_token": token.group(1)}
    first = client.post(_url("add_course", world.la_north.pk), data)
    second = client.post(_url("add_course", world.la_north.pk), data, follow=True)
    assert first.status_code == 302 and submit_once.ALREADY_SENT in second.content.decode()
    assert Course.objects.count() == 1


def test_a_stale_course_edit_gets_a_409_showing_what_is_saved_now(world: World, client_for: ClientFor) -> None:
    added = course(world.la_north)
    client = client_for(world.la_admin_north)
    url = _url("change_course", world.la_north.pk, added.pk)
    assert client.post(url, {**course_form(title="First change"), "version": 1}).status_code == 302
    response = client.post(url, {**course_form(title="Second change"), "version": 1})
    page = response.content.decode()
    assert response.status_code == 409 and "Saved now" in page and "First change" in page
    assert 'name="version" value="2"' in page  # saving again is the admin's decision
    assert Course.objects.get(pk=added.pk).title == "First change"


def test_a_withdrawn_course_stays_in_history_and_leaves_the_settings_choice(
    world: World, client_for: ClientFor
) -> None:
    added = course(world.la_north)
    training(world.setting_a, world.teacher_a, course=added)
    admin = client_for(world.la_admin_north)
    response = admin.post(_url("set_offered", world.la_north.pk, added.pk), {"offered": "0", "version": 1})
    assert response.status_code == 302
    assert table_rows(admin.get(_url("offer", world.la_north.pk)).content.decode(), "Withdrawn courses")[1][
        0
    ].startswith("Understanding autism")
    stale = admin.post(_url("set_offered", world.la_north.pk, added.pk), {"offered": "1", "version": 1})
    assert stale.status_code == 409 and Course.objects.get(pk=added.pk).offered is False
    senco = client_for(world.senco_a)
    form_page = senco.get(_url("add_training", world.setting_a.pk, _membership(world.ta_a, world.setting_a)))
    assert "Understanding autism" not in form_page.content.decode()
    member_page = senco.get(_url("member", world.setting_a.pk, _membership(world.teacher_a, world.setting_a)))
    assert "Understanding autism in the classroom" in member_page.content.decode()


def test_an_admin_of_another_la_and_a_setting_of_another_la_get_404(world: World, client_for: ClientFor) -> None:
    south = course(world.la_south)
    admin = client_for(world.la_admin_north)
    assert admin.get(_url("offer", world.la_south.pk)).status_code == 404
    assert admin.get(_url("change_course", world.la_north.pk, south.pk)).status_code == 404  # another LA's course
    assert client_for(world.officer_north).get(_url("add_course", world.la_north.pk)).status_code == 404


# -- A setting's training record ---------------------------------------------------------------------


def test_the_senco_records_a_members_training_and_sees_it_on_the_staff_pages(
    world: World, client_for: ClientFor
) -> None:
    offered = course(world.la_north)
    client = client_for(world.senco_a)
    member = _membership(world.teacher_a, world.setting_a)
    data = training_form(course=str(offered.pk), own_title="", own_areas=[])
    data.update({"expires_on_0": "3", "expires_on_1": "11", "expires_on_2": "2025"})
    response = client.post(_url("add_training", world.setting_a.pk, member), data)
    assert response.status_code == 302 and response["Location"] == _url("member", world.setting_a.pk, member)
    entry = TrainingRecord.objects.get()
    assert entry.course == offered and entry.user == world.teacher_a and entry.recorded_by == world.senco_a
    rows = table_rows(client.get(response["Location"]).content.decode(), "Training completed")
    assert rows[1][:4] == [
        "Understanding autism in the classroom",
        "3 November 2025",
        "3 November 2025 Expired",
        "Communication and interaction",
    ]
    client.post(_url("add_training", world.setting_a.pk, _membership(world.ta_a, world.setting_a)), training_form())
    staff = table_rows(client.get(_url("staff", world.setting_a.pk)).content.decode(), "Staff and their training")
    by_name = {row[0]: row[2] for row in staff[1:]}
    assert by_name["Tia Teacher"].startswith("Understanding autism in the classroom, 3 Nov 2025")
    assert by_name["Tom Assistant"] == "Team Teach refresher, 3 Nov 2025" and by_name["Hana Head"] == "None recorded"
    semh = table_rows(client.get(_url("staff", world.setting_a.pk), {"area": "SEMH"}).content.decode(), "Training in")
    assert {row[0]: row[2] for row in semh[1:]}["Tia Teacher"] == "None recorded in this area"
    assert {row[0]: row[2] for row in semh[1:]}["Tom Assistant"] == "Team Teach refresher, 3 Nov 2025"
    expired = client.get(_url("staff", world.setting_a.pk)).content.decode()
    assert "Expired 3 Nov 2025" in expired


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"completed_on_0": "31", "completed_on_1": "2"}, "Date completed must be a real date"),
     ({"completed_on_1": ""}, "Date completed must include a month"),
     ({"completed_on_2": "26"}, "Year must include 4 numbers"),
     ({"own_title": ""}, "Choose a course from the offer, or type the title"),
     ({"course": "999999"}, "Choose a course from the list"),
     ({"expires_on_0": "1", "expires_on_1": "1", "expires_on_2": "2020"}, "must be the same as or after the date"),
     ({"note": "x" * 2001}, "The note must be 2000 characters or fewer")],
)  # fmt: skip
def test_bad_training_input_gets_a_400_with_a_message_and_changes_nothing(
    world: World, client_for: ClientFor, changes: dict[str, Any], message: str
) -> None:
    url = _url("add_training", world.setting_a.pk, _membership(world.teacher_a, world.setting_a))
    response = client_for(world.senco_a).post(url, training_form(**changes))
    assert response.status_code == 400 and message in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_a_future_completion_date_is_refused(world: World, client_for: ClientFor) -> None:
    url = _url("add_training", world.setting_a.pk, _membership(world.teacher_a, world.setting_a))
    response = client_for(world.senco_a).post(url, training_form(timezone.localdate() + timedelta(days=1)))
    assert response.status_code == 400 and "Date completed must be today or in the past" in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_a_course_of_another_la_cannot_be_chosen(world: World, client_for: ClientFor) -> None:
    south = course(world.la_south)
    url = _url("add_training", world.setting_a.pk, _membership(world.teacher_a, world.setting_a))
    response = client_for(world.senco_a).post(url, training_form(course=str(south.pk), own_title=""))
    assert response.status_code == 400 and "Choose a course from the list" in response.content.decode()


def test_a_member_of_another_setting_and_a_foreign_setting_are_404(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    other = _membership(world.senco_b, world.setting_b)
    assert client.get(_url("member", world.setting_a.pk, other)).status_code == 404
    assert client.post(_url("add_training", world.setting_a.pk, other), training_form()).status_code == 404
    assert client.get(_url("staff", world.setting_c.pk)).status_code == 404
    foreign = training(world.setting_b, world.senco_b)
    assert client.get(_url("change_training", world.setting_a.pk, foreign.pk)).status_code == 404
    assert client.post(_url("remove_training", world.setting_a.pk, foreign.pk), {"version": 1}).status_code == 404
    assert client_for(world.teacher_a).get(_url("staff", world.setting_a.pk)).status_code == 404
    assert TrainingRecord.objects.count() == 1


def test_a_correction_and_a_removal_at_an_old_version_get_a_409(world: World, client_for: ClientFor) -> None:
    entry = training(world.setting_a, world.teacher_a)
    client = client_for(world.senco_a)
    url = _url("change_training", world.setting_a.pk, entry.pk)
    assert client.post(url, {**training_form(note="First"), "version": 1}).status_code == 302
    stale = client.post(url, {**training_form(note="Second"), "version": 1})
    assert stale.status_code == 409 and "Saved now" in stale.content.decode()
    removal = client.post(_url("remove_training", world.setting_a.pk, entry.pk), {"version": 1})
    assert removal.status_code == 409 and "Someone else changed this training record" in removal.content.decode()
    assert TrainingRecord.objects.get().note == "First"
    removed = client.post(_url("remove_training", world.setting_a.pk, entry.pk), {"version": 2})
    assert removed.status_code == 302 and not TrainingRecord.objects.exists()
    assert client.post(_url("remove_training", world.setting_a.pk, entry.pk), {"version": 2}).status_code == 404


# -- Awareness of pupils' needs ----------------------------------------------------------------------


def test_a_teacher_confirms_and_the_senco_sees_it(world: World, client_for: ClientFor) -> None:
    senco = Client()
    senco.force_login(world.senco_a)
    overview = table_rows(senco.get(_url("awareness_overview", world.setting_a.pk)).content.decode(), "Pupils on")
    assert overview[1] == [
        "Priya One",
        "Not yet written",
        "Tia Teacher (class teacher); Tom Assistant (teaching assistant)",
    ]

    teacher = client_for(world.teacher_a)
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    page = teacher.get(_url("pupil_awareness", world.p1.pk))
    assert page.status_code == 200 and "Linked staff" not in page.content.decode()  # the SENCO's part only
    assert AuditEvent.objects.filter(pk__gt=since, pupil_id=world.p1.pk, action=AuditAction.VIEW).count() == 1
    # A teacher cannot record for someone else: the field is not theirs, so it is ignored.
    ta = _membership(world.ta_a, world.setting_a)
    response = teacher.post(_url("pupil_awareness", world.p1.pk), {"what_read": "profile", "membership": ta})
    assert response.status_code == 302
    confirmation = Awareness.objects.get()
    assert (confirmation.user, confirmation.recorded_by, confirmation.what_read) == (
        world.teacher_a, world.teacher_a, "profile",
    )  # fmt: skip
    assert AuditEvent.objects.filter(pupil_id=world.p1.pk, action=AuditAction.CREATE,
                                     object_type="training.awareness").count() == 1  # fmt: skip
    overview = table_rows(senco.get(_url("awareness_overview", world.setting_a.pk)).content.decode(), "Pupils on")
    assert overview[1][2] == "Tom Assistant (teaching assistant)"
    member = senco.get(_url("member", world.setting_a.pk, _membership(world.teacher_a, world.setting_a)))
    assert "Priya One</a>: one-page profile" in member.content.decode()


def test_the_senco_records_awareness_for_a_member_of_staff(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    ta = _membership(world.ta_a, world.setting_a)
    response = client.post(_url("pupil_awareness", world.p1.pk), {"what_read": "all", "membership": ta})
    assert response.status_code == 302
    confirmation = Awareness.objects.get()
    assert confirmation.user == world.ta_a and confirmation.recorded_by == world.senco_a
    page = client.get(_url("pupil_awareness", world.p1.pk)).content.decode()
    assert "Tom Assistant: all of the pupil&#x27;s profile and plans" in page and "(recorded by Sam Senco)" in page
    linked = {row[0]: row[2] for row in table_rows(page, "Linked staff")[1:]}
    assert linked == {
        "Tia Teacher (class teacher)": "Not yet confirmed",
        "Tom Assistant (teaching assistant)": "Confirmed",
    }
    other = _membership(world.senco_b, world.setting_b)
    refused = client.post(_url("pupil_awareness", world.p1.pk), {"what_read": "all", "membership": other})
    assert refused.status_code == 400 and "Choose a member of staff of this setting" in refused.content.decode()
    assert client.post(_url("pupil_awareness", world.p1.pk), {"what_read": "gossip"}).status_code == 400
    assert Awareness.objects.count() == 1


def test_only_those_who_reach_the_pupil_may_confirm(world: World, client_for: ClientFor) -> None:
    assert (
        client_for(world.other_teacher_a).post(_url("pupil_awareness", world.p1.pk), {"what_read": "all"}).status_code
        == 404
    )
    assert client_for(world.senco_c).get(_url("pupil_awareness", world.p1.pk)).status_code == 404
    assert not Awareness.objects.exists()


def test_my_pupils_links_to_the_confirmation(world: World, client_for: ClientFor) -> None:
    page = client_for(world.teacher_a).get(reverse("worklists:my_pupils")).content.decode()
    assert _url("pupil_awareness", world.p1.pk) in page


# -- Queries at two sizes ----------------------------------------------------------------------------


def _grow(world: World, n: int) -> None:
    """``n`` more staff with two training records each, and ``n`` more pupils on the register, each
    linked to two of them, one of whom has confirmed."""
    offered = course(world.la_north, title=f"Course for {n}")
    people = []
    for i in range(n):
        person = make_member(f"staff{n}.{i}@example.org", Role.TEACHER, world.setting_a, f"Staff {i:03d}")
        training(world.setting_a, person, course=offered, own_title="", own_areas=[])
        training(world.setting_a, person, expires_on=date(2025, 12, 1))
        people.append(person)
    for i in range(n):
        pupil = make_pupil(world.setting_a, f"Pupil{i}", f"Grown{n}", sen_status="K")
        for person in (people[i], people[(i + 1) % n]):
            link_staff(actor=ACTOR, pupil=pupil, setting=world.setting_a, user=person,
                       relationship=StaffRelationship.SUBJECT_TEACHER)  # fmt: skip
        services.confirm_awareness(actor=ACTOR, pupil=pupil, setting=world.setting_a, user=people[i], what_read="all")


@pytest.mark.parametrize("n", [3, 60])
def test_the_lists_read_a_fixed_number_of_queries(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any, n: int
) -> None:
    _grow(world, n)
    client = client_for(world.senco_a)
    member = _membership(world.teacher_a, world.setting_a)
    for url, budget in [
        (_url("staff", world.setting_a.pk), 12), (_url("staff", world.setting_a.pk) + "?area=SEMH&page=2", 12),
        (_url("awareness_overview", world.setting_a.pk), 12), (_url("member", world.setting_a.pk, member), 12),
        (_url("setting_offer", world.setting_a.pk), 10), (_url("pupil_awareness", world.p1.pk), 16),
    ]:  # fmt: skip
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
    page = client.get(_url("staff", world.setting_a.pk)).content.decode()
    assert ("Showing 1 to 50" in page) == (n == 60)
