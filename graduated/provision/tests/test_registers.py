"""A group's register: one tap per absent pupil, feeding each pupil's delivery log."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, make_pupil
from graduated.provision.models import GroupSession, InterventionGroup
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group, place, take_register
from graduated.support.models import DeliveryRecord, Provision
from graduated.support.tests.factories import agreed_cycle, draft_cycle

TODAY = timezone.localdate()
STARTS, ENDS = TODAY - timedelta(days=28), TODAY + timedelta(days=42)


@pytest.fixture
def group(world: World) -> InterventionGroup:
    item = catalogue_item(world.setting_a, "Precision teaching")
    return make_group(item, name="Reading group", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a)


@pytest.fixture
def places(world: World, group: InterventionGroup) -> tuple[Provision, Provision]:
    agreed_cycle(world.p1)
    agreed_cycle(world.p2)
    return place(group, world.p1), place(group, world.p2)


def _url(group: InterventionGroup, day: date | None = None) -> str:
    url = reverse("provision:group_register", args=[group.pk])
    return url + (f"?on_0={day.day}&on_1={day.month}&on_2={day.year}" if day else "")


def _register(day: date, *places: Provision, absent: tuple[Provision, ...] = (), **extra: Any) -> dict[str, Any]:
    data = {"on": day.isoformat(), **extra}
    data.update({f"place_{p.pk}": "absent" if p in absent else "present" for p in places})
    return data


def _log(provision: Provision) -> list[tuple[date, str, str, str]]:
    return list(provision.deliveries.values_list("on", "status", "missed_reason", "note"))


def test_the_deliverer_takes_the_register_and_it_feeds_each_pupils_log(
    world: World, group: InterventionGroup, places: tuple[Provision, Provision], client_for: Callable[..., Client]
) -> None:
    p1_place, p2_place = places
    client = client_for(world.ta_a)
    page = client.get(_url(group)).content.decode()
    assert "Priya One" in page and "Paul Two" in page and f"{TODAY:%A %-d %B %Y}" in page
    assert page.count('value="present" checked') == 2  # everyone present unless changed
    response = client.post(_url(group), _register(TODAY, p1_place, p2_place, absent=(p2_place,)))
    assert response.status_code == 302
    session = GroupSession.objects.get()
    assert (session.on, session.status, session.recorded_by) == (TODAY, "held", world.ta_a)
    assert _log(p1_place) == [(TODAY, "delivered", "", "")]
    assert _log(p2_place) == [(TODAY, "missed", "pupil_absent", "")]
    events = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="support.deliveryrecord")
    assert sorted(events.values_list("pupil_id", flat=True)) == sorted([world.p1.pk, world.p2.pk])
    assert "1 present, 1 absent" in client.get(response["Location"]).content.decode()


def test_a_cancelled_session_marks_everyone_missed_with_the_reason(
    world: World, group: InterventionGroup, places: tuple[Provision, Provision], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    response = client.post(_url(group), _register(TODAY, *places, cancelled="on"))
    assert response.status_code == 400 and "Enter why the session was cancelled" in response.content.decode()
    assert not GroupSession.objects.exists() and not DeliveryRecord.objects.exists()
    assert (
        client.post(_url(group), _register(TODAY, *places, cancelled="on", cancelled_reason="Trip")).status_code == 302
    )
    session = GroupSession.objects.get()
    assert (session.status, session.cancelled_reason) == ("cancelled", "Trip")
    for provision in places:
        assert _log(provision) == [(TODAY, "missed", "cancelled", "Trip")]


def test_a_double_submit_is_harmless_and_a_second_register_corrects_the_first(
    world: World, group: InterventionGroup, places: tuple[Provision, Provision], client_for: Callable[..., Client]
) -> None:
    p1_place, _ = places
    client = client_for(world.ta_a)
    day = TODAY - timedelta(days=2)
    data = _register(day, *places)
    assert client.post(_url(group), data).status_code == 302
    events = AuditEvent.objects.exclude(action=AuditAction.VIEW).count()
    assert client.post(_url(group), data).status_code == 302
    assert (GroupSession.objects.count(), DeliveryRecord.objects.count()) == (1, 2)
    assert AuditEvent.objects.exclude(action=AuditAction.VIEW).count() == events  # nothing changed, nothing logged
    # Opening that day again shows what was taken, ready to correct.
    page = client.get(_url(group, day)).content.decode()
    assert "A register was taken for this day by Tom Assistant" in page
    assert client.post(_url(group), _register(day, *places, absent=(p1_place,))).status_code == 302
    assert _log(p1_place) == [(day, "missed", "pupil_absent", "")]
    assert (GroupSession.objects.count(), DeliveryRecord.objects.count()) == (1, 2)
    assert 'value="absent" checked' in client.get(_url(group, day)).content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (STARTS - timedelta(days=1), "The group runs from"),
        (TODAY + timedelta(days=1), "A register can be taken for today or a day in the past"),
    ],
)
def test_a_register_outside_the_group_or_in_the_future_is_refused(
    world: World,
    group: InterventionGroup,
    places: tuple[Provision, Provision],
    client_for: Callable[..., Client],
    day: date,
    message: str,
) -> None:
    client = client_for(world.ta_a)
    response = client.post(_url(group), _register(day, *places))
    assert response.status_code == 400 and message in response.content.decode()
    assert not GroupSession.objects.exists() and not DeliveryRecord.objects.exists()


def test_malformed_days_get_a_message_not_an_error(
    world: World, group: InterventionGroup, places: tuple[Provision, Provision], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.ta_a)
    response = client.post(_url(group), _register(TODAY, *places, on="2026-02-31"))
    assert response.status_code == 400 and "The day of the session must be a real date" in response.content.decode()
    response = client.get(reverse("provision:group_register", args=[group.pk]) + "?on_0=40&on_1=1&on_2=2026")
    assert response.status_code == 400 and "Day of the session must be a real date" in response.content.decode()
    response = client.get(_url(group, STARTS - timedelta(days=3)))
    assert response.status_code == 400 and "The group runs from" in response.content.decode()
    response = client.post(_url(group), {"on": TODAY.isoformat(), f"place_{places[0].pk}": "maybe"})
    assert response.status_code == 400
    assert not DeliveryRecord.objects.exists()


def test_only_pupils_whose_place_covers_the_day_and_whose_plan_is_agreed_are_on_it(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    agreed_cycle(world.p1)
    p1_place = place(group, world.p1, left_on=TODAY - timedelta(days=3))
    draft_cycle(world.p2)  # plan not agreed yet
    place(group, world.p2)
    page = client_for(world.senco_a).get(_url(group)).content.decode()
    assert "Priya One" not in page
    assert "Paul Two is not on this register: their plan has not been agreed yet" in page
    earlier = client_for(world.senco_a).get(_url(group, TODAY - timedelta(days=5))).content.decode()
    assert f'name="place_{p1_place.pk}"' in earlier
    # A pupil placed while the register was open is asked about, not skipped.
    response = client_for(world.senco_a).post(_url(group), {"on": (TODAY - timedelta(days=5)).isoformat()})
    assert response.status_code == 400 and "Say whether Priya One was present" in response.content.decode()
    assert not DeliveryRecord.objects.exists()


def test_who_may_take_the_register(
    world: World, group: InterventionGroup, places: tuple[Provision, Provision], client_for: Callable[..., Client]
) -> None:
    for user, status in [(world.ta_a, 200), (world.senco_a, 200), (world.head_a, 404), (world.teacher_a, 404)]:
        assert client_for(user).get(_url(group)).status_code == status, user
    assert client_for(world.head_a).post(_url(group), _register(TODAY, *places)).status_code == 404
    assert not GroupSession.objects.exists()


def _grow(world: World, group: InterventionGroup, pupils: int, registers: range) -> None:
    provisions = []
    for n in range(pupils):
        pupil = make_pupil(world.setting_a, f"Pupil{n}", f"Extra{n}")
        agreed_cycle(pupil)
        provisions.append(place(group, pupil))
    for days_back in registers:
        take_register(group, TODAY - timedelta(days=days_back), dict.fromkeys(provisions, True))


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_register_and_group_pages_take_a_fixed_number_of_queries(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    _grow(world, group, pupils=1, registers=range(1, 2))
    _queries(client, _url(group))  # the first request of a session also writes to the session
    small = (_queries(client, _url(group)), _queries(client, reverse("provision:group", args=[group.pk])))
    _grow(world, group, pupils=4, registers=range(2, 8))
    large = (_queries(client, _url(group)), _queries(client, reverse("provision:group", args=[group.pk])))
    assert small == large
