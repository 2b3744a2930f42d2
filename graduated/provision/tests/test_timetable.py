"""The staff timetable: who delivers which group when, with clashes said in words."""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_member
from graduated.organisations.models import Role
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group

TODAY = timezone.localdate()
STARTS, ENDS = TODAY - timedelta(days=28), TODAY + timedelta(days=42)


def _rows(client: Client, setting_id: int, day: date | None = None) -> list[list[str]]:
    url = reverse("provision:timetable", args=[setting_id])
    if day is not None:
        url += f"?on_0={day.day}&on_1={day.month}&on_2={day.year}"
    response = client.get(url)
    assert response.status_code == 200
    return table_rows(response.content.decode(), "Timetable")[1:]


def test_the_timetable_flags_a_deliverer_in_two_groups_at_once(world: World, client_for: Callable[..., Client]) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching")
    make_group(item, name="Reading A", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a,
               slots=[(0, "09:00", "09:30")])  # fmt: skip
    make_group(item, name="Reading B", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a,
               slots=[(0, "09:15", "09:45"), (2, "10:00", "10:30")])  # fmt: skip
    make_group(item, name="Maths C", starts_on=STARTS, ends_on=ENDS, deliverer=world.teacher_a,
               slots=[(0, "09:00", "09:30")])  # fmt: skip
    make_group(item, name="Back to back", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a,
               slots=[(0, "09:45", "10:00")])  # fmt: skip
    make_group(item, name="Last term", starts_on=STARTS - timedelta(days=120), ends_on=STARTS - timedelta(days=30),
               deliverer=world.ta_a, slots=[(0, "09:00", "09:30")])  # fmt: skip
    rows = _rows(client_for(world.senco_a), world.setting_a.pk)
    clash = "Clash Also down for {} at this time"
    assert [[row[0], row[1], row[2], row[3].split(" Precision")[0], row[5]] for row in rows] == [
        ["Monday", "09:00 to 09:30", "Tia Teacher", "Maths C", "None"],
        ["Monday", "09:00 to 09:30", "Tom Assistant", "Reading A", clash.format("Reading B")],
        ["Monday", "09:15 to 09:45", "Tom Assistant", "Reading B", clash.format("Reading A")],
        ["Monday", "09:45 to 10:00", "Tom Assistant", "Back to back", "None"],
        ["Wednesday", "10:00 to 10:30", "Tom Assistant", "Reading B", "None"],
    ]
    page = client_for(world.senco_a).get(reverse("provision:timetable", args=[world.setting_a.pk])).content.decode()
    assert "2 sessions clash: the same person is down to deliver two groups at once" in page
    # On a day in last term, only last term's group runs.
    earlier = _rows(client_for(world.senco_a), world.setting_a.pk, STARTS - timedelta(days=60))
    assert [row[3].split(" Precision")[0] for row in earlier] == ["Last term"]


def test_staff_see_their_own_timetable_and_outsiders_nothing(world: World, client_for: Callable[..., Client]) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching")
    make_group(item, name="Reading A", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a)
    make_group(item, name="Maths C", starts_on=STARTS, ends_on=ENDS, deliverer=world.teacher_a)
    assert {row[3].split(" Precision")[0] for row in _rows(client_for(world.ta_a), world.setting_a.pk)} == {"Reading A"}
    assert {row[3].split(" Precision")[0] for row in _rows(client_for(world.head_a), world.setting_a.pk)} == {
        "Reading A", "Maths C",
    }  # fmt: skip
    url = reverse("provision:timetable", args=[world.setting_a.pk])
    assert client_for(world.senco_c).get(url).status_code == 404
    assert client_for(world.officer_north).get(url).status_code == 404
    response = client_for(world.senco_a).get(url + "?on_0=1&on_1=13&on_2=2026")
    assert response.status_code == 400 and "Groups running on must be a real date" in response.content.decode()


def test_the_timetable_takes_a_fixed_number_of_queries(world: World, client_for: Callable[..., Client]) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching")
    client = client_for(world.senco_a)
    url = reverse("provision:timetable", args=[world.setting_a.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_group(item, name="Group 0", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a)
    count()  # the first request of a session also writes to the session
    small = count()
    for n in range(1, 8):
        deliverer = make_member(f"ta{n}@example.org", Role.TEACHING_ASSISTANT, world.setting_a)
        make_group(item, name=f"Group {n}", starts_on=STARTS, ends_on=ENDS, deliverer=deliverer,
                   slots=[(n % 5, "09:00", "09:30"), (n % 5, "11:00", "11:30"), (4, "14:00", "14:20")])  # fmt: skip
    assert count() == small
