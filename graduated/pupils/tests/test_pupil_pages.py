from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.pupils import services
from graduated.pupils.models import Pupil, SENStatusPeriod

ACTOR = Actor.system("test")


def _detail(pupil: Pupil) -> str:
    return reverse("pupils:detail", args=[pupil.pk])


@pytest.mark.parametrize("persona", ["senco_b", "other_teacher_a", "officer_north", "senco_c", "la_admin_north"])
def test_people_without_a_right_to_the_pupil_get_404(
    world: World, client_for: Callable[..., Client], persona: str
) -> None:
    response = client_for(world.persona(persona)).get(_detail(world.p1))
    assert response.status_code == 404
    assert "Priya" not in response.content.decode()


def test_unknown_pupil_id_is_404_like_a_foreign_one(world: World, client_for: Callable[..., Client]) -> None:
    assert client_for(world.senco_a).get("/pupils/999999/").status_code == 404


def test_each_view_of_the_pupil_page_leaves_one_audit_event(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.teacher_a)
    before = AuditEvent.objects.count()
    client.get(_detail(world.p1))
    events = AuditEvent.objects.all()[: AuditEvent.objects.count() - before]
    assert len(events) == 1
    event = events[0]
    assert (event.action, event.pupil_id, event.actor_email, event.actor_role) == (
        "view", world.p1.pk, world.teacher_a.email, "teacher",
    )  # fmt: skip
    assert event.request_id and event.ip_address == "127.0.0.1"


def test_teacher_sees_the_summary_but_not_the_history(world: World, client_for: Callable[..., Client]) -> None:
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 2, 1))
    page = client_for(world.teacher_a).get(_detail(world.p1)).content.decode()
    assert "Speech, language and communication needs" in page
    assert "Chronology" not in page and "Status history" not in page
    senco_page = client_for(world.senco_a).get(_detail(world.p1)).content.decode()
    assert (
        "Chronology" in senco_page and "Need recorded: Speech, language and communication needs (primary)" in senco_page
    )


def test_pupil_page_query_count_is_fixed_whatever_the_history(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    client.get(_detail(world.p1))
    with CaptureQueriesContext(connection) as small:
        client.get(_detail(world.p1))
    statuses = ["E", "K"] * 15
    for number, status in enumerate(statuses):
        day = date(2024, 2, 1) + timedelta(days=2 * number)
        services.change_sen_status(actor=ACTOR, pupil=world.p1, status=status, start_date=day)
        services.record_need(actor=ACTOR, pupil=world.p1, sen_type="MLD", rank=1, start_date=day)
        need = world.p1.needs.current().get()
        services.end_need(actor=ACTOR, need=need, end_date=day + timedelta(days=1))
    with CaptureQueriesContext(connection) as large:
        client.get(_detail(world.p1))
    assert SENStatusPeriod.objects.filter(pupil=world.p1).count() == 32
    assert len(large.captured_queries) == len(small.captured_queries)


def test_senco_sees_who_viewed_the_record(world: World, client_for: Callable[..., Client]) -> None:
    client_for(world.teacher_a).get(_detail(world.p1))
    page = client_for(world.senco_a).get(reverse("pupils:audit_log", args=[world.p1.pk])).content.decode()
    assert world.teacher_a.email in page


def _date(prefix: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


NEW_PUPIL = {
    "legal_first_name": "Nia",
    "legal_last_name": "New",
    "sex": "F",
    **_date("date_of_birth", "5", "6", "2017"),
    **_date("start_date", "1", "9", "2025"),
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (_date("date_of_birth", "31", "2", "2017"), "must be a real date"),
        (_date("date_of_birth", "5", "", "2017"), "must include a month"),
        ({"upn": "A860200124001"}, "check letter"),
        (_date("start_date", "1", "9", "2010"), "start date must be after the date of birth"),
    ],
)
def test_bad_input_when_adding_a_pupil_saves_nothing(
    world: World, client_for: Callable[..., Client], changes: dict[str, str], message: str
) -> None:
    count = Pupil.objects.count()
    response = client_for(world.senco_a).post(
        reverse("pupils:add", args=[world.setting_a.pk]), {**NEW_PUPIL, **changes}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert Pupil.objects.count() == count


def test_duplicate_upn_is_refused(world: World, client_for: Callable[..., Client]) -> None:
    response = client_for(world.senco_a).post(
        reverse("pupils:add", args=[world.setting_a.pk]), {**NEW_PUPIL, "upn": world.p3.upn}
    )
    assert "Another pupil already has this UPN" in response.content.decode()


def test_adding_a_pupil_enrols_them_with_no_sen(world: World, client_for: Callable[..., Client]) -> None:
    response = client_for(world.senco_a).post(
        reverse("pupils:add", args=[world.setting_a.pk]), {**NEW_PUPIL, "upn": "j860200124001"}
    )
    pupil = Pupil.objects.get(upn="J860200124001")
    assert response.status_code == 302 and response["Location"] == _detail(pupil)
    assert pupil.sen_statuses.get().status == "N"
    assert pupil.enrolments.get().setting == world.setting_a


def test_two_people_editing_at_once_the_later_save_is_refused(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pupils:edit_details", args=[world.p1.pk])
    form = {
        "legal_first_name": "Priya", "legal_last_name": "One", "sex": "F", "upn": world.p1.upn,
        **_date("date_of_birth", "14", "3", "2016"), "version": "1",
    }  # fmt: skip
    client = client_for(world.senco_a)
    assert client.post(url, {**form, "preferred_first_name": "Pri"}).status_code == 302
    response = client.post(url, {**form, "preferred_first_name": "Ya"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this pupil" in page
    assert 'value="Ya"' in page  # this person's typing is kept
    world.p1.refresh_from_db()
    assert world.p1.preferred_first_name == "Pri"


def test_status_change_form_explains_a_bad_date(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pupils:change_status", args=[world.p1.pk])
    response = client_for(world.senco_a).post(url, {"status": "E", **_date("start_date", "1", "1", "2020")})
    assert "must start after the current one" in response.content.decode()
    assert world.p1.sen_statuses.current().get().status == "K"


def test_removing_from_the_register_needs_a_reason(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pupils:change_status", args=[world.p1.pk])
    response = client_for(world.senco_a).post(url, {"status": "N", **_date("start_date", "1", "7", "2025")})
    assert "Enter why the pupil is coming off the SEN register" in response.content.decode()


def test_double_submitted_need_is_recorded_once(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pupils:add_need", args=[world.p1.pk])
    data = {"sen_type": "SLCN", "rank": "1", **_date("start_date", "1", "2", "2024")}
    client = client_for(world.senco_a)
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 400
    assert world.p1.needs.count() == 1
