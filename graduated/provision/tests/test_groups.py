"""Intervention groups: setting one up, changing it, pupils' places, scores and the list."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_member
from graduated.organisations.models import Role
from graduated.provision.group_selectors import term_dates, terms_around
from graduated.provision.models import GroupScore, GroupSlot, InterventionGroup
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group, place, take_register
from graduated.support.models import Provision
from graduated.support.tests.factories import agreed_cycle, draft_cycle

TODAY = timezone.localdate()
STARTS, ENDS = TODAY - timedelta(days=28), TODAY + timedelta(days=42)


def _date(name: str, day: date) -> dict[str, Any]:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def group_form(item_id: int | None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Year 3 reading", "deliverer": "", "deliverer_role": "", "location": "Library",
        **_date("starts_on", STARTS), **_date("ends_on", ENDS),
        "slot_1_weekday": "0", "slot_1_starts_at": "09:00", "slot_1_ends_at": "09:30",
        "slot_2_weekday": "3", "slot_2_starts_at": "13:15", "slot_2_ends_at": "13:45",
    }  # fmt: skip
    if item_id is not None:
        data["catalogue_item"] = item_id
    data.update(changes)
    return data


@pytest.fixture
def item(world: World) -> Any:
    return catalogue_item(world.setting_a, "Precision teaching", delivered_by_role="teaching_assistant")


@pytest.fixture
def group(world: World, item: Any) -> InterventionGroup:
    return make_group(item, name="Reading group", starts_on=STARTS, ends_on=ENDS, deliverer=world.ta_a)


def _membership(world: World, user: Any) -> int:
    return user.memberships.get(setting=world.setting_a).pk


# -- Setting up and changing a group ----------------------------------------------------------------


def test_senco_sets_up_a_group_with_its_weekly_times(
    world: World, item: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:add_group", args=[world.setting_a.pk])
    assert "Precision teaching" in client.get(url).content.decode()
    response = client.post(url, group_form(item.pk, deliverer=_membership(world, world.ta_a)))
    assert response.status_code == 302
    group = InterventionGroup.objects.get(name="Year 3 reading")
    assert (group.setting, group.catalogue_item, group.deliverer, group.location) == (
        world.setting_a, item, world.ta_a, "Library",
    )  # fmt: skip
    assert group.deliverer_role == "teaching_assistant"  # the catalogue's, as none was chosen
    assert [str(slot) for slot in group.slots.all()] == ["Monday 09:00–09:30", "Thursday 13:15–13:45"]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="provision.interventiongroup").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Monday 09:00–09:30" in page and "Tom Assistant" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slot_1_weekday": "", "slot_1_starts_at": "", "slot_1_ends_at": "", "slot_2_weekday": "",
          "slot_2_starts_at": "", "slot_2_ends_at": ""}, "Add at least one day and time the group meets"),
        ({"slot_1_ends_at": "08:30"}, "Time 1: the end time must be after the start time"),
        ({"slot_1_starts_at": "9am"}, "Start time must be a time like 09:15, on the 24-hour clock"),
        ({"slot_1_weekday": ""}, "Time 1: choose the day"),
        ({"slot_2_weekday": "0", "slot_2_starts_at": "09:15", "slot_2_ends_at": "09:45"},
         "Two of the times on Monday overlap"),
        ({"ends_on_0": STARTS.day, "ends_on_1": STARTS.month, "ends_on_2": STARTS.year - 1},
         "The last day must be the same as or after the first day"),
        ({"starts_on_1": "13"}, "First day of the group must be a real date"),
        ({"slot_1_weekday": "9"}, "Select a valid choice"),
        ({"name": ""}, "Enter a name for the group"),
    ],
)  # fmt: skip
def test_bad_group_details_are_refused_with_a_message(
    world: World, item: Any, client_for: Callable[..., Client], changes: dict[str, Any], message: str
) -> None:
    response = client_for(world.senco_a).post(
        reverse("provision:add_group", args=[world.setting_a.pk]), group_form(item.pk, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InterventionGroup.objects.exists()


def test_a_group_runs_only_the_settings_own_items_and_staff(
    world: World, item: Any, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:add_group", args=[world.setting_a.pk])
    foreign_item = catalogue_item(world.setting_c, "Not ours")
    assert client.post(url, group_form(foreign_item.pk)).status_code == 400
    assert client.post(url, group_form(item.pk, deliverer=_membership_c(world))).status_code == 400
    make_group(item, name="Year 3 reading", starts_on=STARTS, ends_on=ENDS)
    response = client.post(url, group_form(item.pk))
    assert response.status_code == 400
    assert "already has a group called Year 3 reading" in response.content.decode()
    assert InterventionGroup.objects.count() == 1


def _membership_c(world: World) -> int:
    return world.senco_c.memberships.get().pk


def test_a_stale_edit_is_refused_and_the_typing_kept(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:edit_group", args=[group.pk])
    assert "Reading group" in client.get(url).content.decode()
    InterventionGroup.objects.filter(pk=group.pk).update(location="Hall", version=2)  # someone else saved
    response = client.post(url, group_form(None, name="Renamed group", version=1))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else changed this" in page and 'value="Renamed group"' in page
    group.refresh_from_db()
    assert (group.name, group.version) == ("Reading group", 2)
    # Saving again, from the form as it came back, works.
    assert client.post(url, group_form(None, name="Renamed group", version=2)).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.location, group.version) == ("Renamed group", "Library", 3)
    assert sorted(GroupSlot.objects.filter(group=group).values_list("weekday", flat=True)) == [0, 3]


def test_dates_cannot_shrink_past_a_register_already_taken(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    take_register(group, TODAY - timedelta(days=7))
    response = client_for(world.senco_a).post(
        reverse("provision:edit_group", args=[group.pk]),
        group_form(None, version=1, **_date("starts_on", TODAY - timedelta(days=3))),
    )
    assert response.status_code == 400
    assert "A register was taken on" in response.content.decode()
    group.refresh_from_db()
    assert group.starts_on == STARTS


# -- Places ----------------------------------------------------------------------------------------


def test_placing_a_pupil_adds_the_group_to_their_plan(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    cycle = draft_cycle(world.p1)
    client = client_for(world.senco_a)
    joined = TODAY - timedelta(days=1)
    response = client.post(
        reverse("provision:place_pupil", args=[group.pk]), {"pupil": world.p1.pk, **_date("joined_on", joined)}
    )
    assert response.status_code == 302
    provision = Provision.objects.get(group=group)
    assert (provision.cycle, provision.catalogue_item, provision.kind, provision.description) == (
        cycle, group.catalogue_item, "intervention", "Precision teaching",
    )  # fmt: skip
    assert (provision.staff_role, provision.starts_on, provision.delivered_by) == (
        "teaching_assistant",
        joined,
        world.ta_a,
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="support.provision", pupil_id=world.p1.pk
    ).exists()
    rows = table_rows(client.get(response["Location"]).content.decode(), "Pupils in the group")
    assert rows[1][:3] == ["Priya One", f"{joined:%-d %b %Y}", "Still in the group"]
    # The pupil's cycle page shows the place.
    assert "Precision teaching" in client.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()


def test_a_place_is_refused_without_a_cycle_twice_or_for_another_settings_pupil(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:place_pupil", args=[group.pk])
    response = client.post(url, {"pupil": world.p2.pk, **_date("joined_on", TODAY)})
    assert response.status_code == 400
    assert "Paul Two has no support cycle in progress. Start one first" in response.content.decode()
    response = client.post(url, {"pupil": world.p4.pk, **_date("joined_on", TODAY)})
    assert response.status_code == 400 and "Choose a pupil of this setting" in response.content.decode()
    draft_cycle(world.p1)
    response = client.post(url, {"pupil": world.p1.pk, **_date("joined_on", ENDS + timedelta(days=1))})
    assert response.status_code == 400 and "within the group&#x27;s dates" in response.content.decode()
    assert client.post(url, {"pupil": world.p1.pk, **_date("joined_on", TODAY)}).status_code == 302
    response = client.post(url, {"pupil": world.p1.pk, **_date("joined_on", TODAY)})
    assert response.status_code == 400 and "Priya One already has a place in this group" in response.content.decode()
    assert client.post(url, {"pupil": "not a number", **_date("joined_on", TODAY)}).status_code == 400
    assert Provision.objects.filter(group=group).count() == 1


def test_ending_a_place(world: World, group: InterventionGroup, client_for: Callable[..., Client]) -> None:
    draft_cycle(world.p1)
    provision = place(group, world.p1)
    client = client_for(world.senco_a)
    url = reverse("provision:end_place", args=[group.pk, provision.pk])
    prefix = f"end{provision.pk}-left_on"
    response = client.post(url, _date(prefix, ENDS + timedelta(days=3)))
    assert response.status_code == 400 and "within the group&#x27;s dates" in response.content.decode()
    response = client.post(url, {f"{prefix}_0": "31", f"{prefix}_1": "2", f"{prefix}_2": "2026"})
    assert response.status_code == 400 and "Date they leave must be a real date" in response.content.decode()
    provision.refresh_from_db()
    assert provision.ends_on is None
    assert client.post(url, _date(prefix, TODAY)).status_code == 302
    provision.refresh_from_db()
    assert provision.ends_on == TODAY
    # Another group's place is not this group's to end.
    other = make_group(group.catalogue_item, name="Other group", starts_on=STARTS, ends_on=ENDS)
    assert (
        client.post(reverse("provision:end_place", args=[other.pk, provision.pk]), _date(prefix, TODAY)).status_code
        == 404
    )


# -- Who reaches a group ---------------------------------------------------------------------------


def test_outsiders_get_404_and_a_deliverer_who_left_loses_the_group(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    url = reverse("provision:group", args=[group.pk])
    assert client_for(world.senco_c).get(url).status_code == 404
    assert client_for(world.senco_a).get(reverse("provision:group", args=[group.pk + 999])).status_code == 404
    assert client_for(world.ta_a).get(reverse("provision:group_register", args=[group.pk])).status_code == 200
    world.ta_a.memberships.all().delete()
    assert client_for(world.ta_a).get(url).status_code == 404


def test_the_group_page_shows_attendance_and_scores(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    agreed_cycle(world.p1)
    provision = place(group, world.p1, joined_on=STARTS)
    take_register(group, TODAY - timedelta(days=7), {provision: True})
    take_register(group, TODAY - timedelta(days=4), {provision: False})
    GroupScore.objects.create(group=group, pupil=world.p1, entry_score=Decimal("12"), entry_on=STARTS)
    page = client_for(world.head_a).get(reverse("provision:group", args=[group.pk])).content.decode()
    rows = table_rows(page, "Pupils in the group")
    assert rows[1][3:] == ["1 of 2 sessions (50%)", f"12 on {STARTS:%-d %b %Y}", "Not recorded"]
    assert "2 held, 0 cancelled" in page
    assert "Give a place" not in page and "Take the register" not in page  # a senior leader reads only
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="intervention group").count() == 1


# -- Scores ----------------------------------------------------------------------------------------


def _scores(
    pupil_id: int,
    entry: str = "",
    entry_on: date | None = None,
    exit: str = "",
    exit_on: date | None = None,
    version: int = 0,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"p{pupil_id}_entry_score": entry,
        f"p{pupil_id}_exit_score": exit,
        f"p{pupil_id}_version": version,
    }
    if entry_on:
        data.update(_date(f"p{pupil_id}_entry_on", entry_on))
    if exit_on:
        data.update(_date(f"p{pupil_id}_exit_on", exit_on))
    return data


def test_entry_and_exit_scores(world: World, group: InterventionGroup, client_for: Callable[..., Client]) -> None:
    draft_cycle(world.p1)
    place(group, world.p1)
    client = client_for(world.ta_a)
    url = reverse("provision:group_scores", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Words read correctly in a minute" in page and "Raw score" in page and "A higher score" in page
    bad = [
        (_scores(world.p1.pk, "twelve", STARTS), "Priya One: entry score must be a number"),
        (_scores(world.p1.pk, "12"), "Priya One: enter the date of the entry score"),
        (_scores(world.p1.pk, "12", STARTS, "20", STARTS - timedelta(days=1)),
         "exit score must be taken on or after the entry score"),
        (_scores(world.p1.pk, "12", TODAY + timedelta(days=1)), "must be today or in the past"),
    ]  # fmt: skip
    for data, message in bad:
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert not GroupScore.objects.exists()
    assert client.post(url, _scores(world.p1.pk, "12.5", STARTS)).status_code == 302
    score = GroupScore.objects.get()
    assert (score.entry_score, score.entry_on, score.exit_score, score.version) == (Decimal("12.5"), STARTS, None, 1)
    # A second person's form, opened before that save, is stale.
    response = client.post(url, _scores(world.p1.pk, "14", STARTS, version=0))
    assert response.status_code == 400 and "Someone else changed this" in response.content.decode()
    assert client.post(url, _scores(world.p1.pk, "12.5", STARTS, "20", TODAY, version=1)).status_code == 302
    score.refresh_from_db()
    assert (score.exit_score, score.version) == (Decimal("20"), 2)
    assert AuditEvent.objects.filter(object_type="provision.groupscore", pupil_id=world.p1.pk).count() == 2


# -- The list --------------------------------------------------------------------------------------


def test_the_list_shows_staff_their_own_groups_and_filters(
    world: World, group: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    # It ended over 300 days ago: no term (at most five months) holds both it and today.
    make_group(group.catalogue_item, name="Finished group", starts_on=STARTS - timedelta(days=400),
               ends_on=STARTS - timedelta(days=300), deliverer=world.teacher_a)  # fmt: skip
    url = reverse("provision:groups", args=[world.setting_a.pk])

    def names(user: Any, query: str = "") -> list[str]:
        response = client_for(user).get(url + query)
        assert response.status_code == 200
        page = response.content.decode()
        return [row[0] for row in table_rows(page, "Groups")[1:]] if "<caption" in page else []

    assert names(world.senco_a) == ["Reading group"]
    assert names(world.senco_a, "?show=past") == ["Finished group"]
    assert names(world.head_a, "?show=all") == ["Reading group", "Finished group"]
    this_term = next(code for code, _ in terms_around(TODAY) if term_dates(code)[0] <= TODAY <= term_dates(code)[1])
    assert names(world.senco_a, f"?show=all&term={this_term}") == ["Reading group"]
    assert names(world.ta_a, "?show=all") == ["Reading group"]
    assert names(world.teacher_a, "?show=all") == ["Finished group"]
    assert names(world.other_teacher_a, "?show=all") == []
    assert client_for(world.senco_a).get(url + "?show=sometimes").status_code == 400
    assert client_for(world.senco_a).get(url + "?term=1999-winter").status_code == 400
    assert client_for(world.senco_c).get(url).status_code == 404


def test_a_new_member_of_staff_can_be_named_to_deliver(
    world: World, item: Any, client_for: Callable[..., Client]
) -> None:
    new_ta = make_member("new.ta@example.org", Role.TEACHING_ASSISTANT, world.setting_a, "Nina New")
    client = client_for(world.senco_a)
    data = group_form(item.pk, deliverer=_membership(world, new_ta), deliverer_role="teacher")
    assert client.post(reverse("provision:add_group", args=[world.setting_a.pk]), data).status_code == 302
    group = InterventionGroup.objects.get()
    assert (group.deliverer, group.deliverer_role) == (new_ta, "teacher")
