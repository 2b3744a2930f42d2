"""In a real browser: the SENCO sets up a group and places pupils; the teaching assistant takes its
register on a phone in a few taps. axe-core checks every page on the way."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.provision.models import GroupSession, InterventionGroup
from graduated.provision.tests.factories import catalogue_item
from graduated.support.models import DeliveryRecord
from graduated.support.tests.factories import agreed_cycle

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()
    visitor.page.wait_for_load_state()
    visitor.check()


def _senco_sets_up_the_group(senco: Visitor, world: World, starts: date) -> None:
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/provision/setting/{world.setting_a.pk}/catalogue/")
    _click(senco, "link", "Groups")
    _click(senco, "link", "Set up a group")
    page.locator('[name="catalogue_item"]').select_option(label="Precision teaching")
    page.get_by_label("Name of the group").fill("Year 3 reading")
    page.locator('[name="deliverer"]').select_option(label="Tom Assistant (teaching assistant)")
    page.get_by_label("Where").fill("Library")
    _fill_date(page, "starts_on", starts)
    _fill_date(page, "ends_on", starts + timedelta(weeks=10))
    page.locator('[name="slot_1_weekday"]').select_option(label="Monday")
    page.locator('[name="slot_1_starts_at"]').fill("09:00")
    page.locator('[name="slot_1_ends_at"]').fill("08:30")  # a slip: the end before the start
    _click(senco, "button", "Set up the group")
    assert "There is a problem" in page.content() and "the end time must be after the start time" in page.content()
    page.locator('[name="slot_1_ends_at"]').fill("09:30")
    page.locator('[name="slot_2_weekday"]').select_option(label="Thursday")
    page.locator('[name="slot_2_starts_at"]').fill("09:00")
    page.locator('[name="slot_2_ends_at"]').fill("09:30")
    _click(senco, "button", "Set up the group")
    assert "Year 3 reading has been set up" in page.content()
    for name in ("Priya One", "Paul Two"):
        page.get_by_label("Pupil", exact=True).select_option(label=name)
        _fill_date(page, "joined_on", starts)
        _click(senco, "button", "Give a place")
        assert f"{name} has a place in Year 3 reading" in page.content()
    # Entry scores for both, then the group's details changed: every page checked by axe.
    _click(senco, "link", "Entry and exit scores")
    page.get_by_label("Priya One: entry score").fill("12")
    _fill_date(page, f"p{world.p1.pk}_entry_on", starts)
    _click(senco, "button", "Save scores")
    _click(senco, "link", "Change the group")
    page.get_by_label("Where").fill("Library, back room")
    _click(senco, "button", "Save")
    assert "Library, back room" in page.content()
    _click(senco, "link", "Back to groups")
    _click(senco, "link", "Staff timetable")
    assert "Year 3 reading" in page.content()


def test_senco_sets_up_a_group_and_the_ta_takes_its_register_on_a_phone(
    browser: Any, live_server: Any, world: World
) -> None:
    catalogue_item(world.setting_a, "Precision teaching")
    agreed_cycle(world.p1)
    agreed_cycle(world.p2)
    today = timezone.localdate()
    senco = visitor_for(browser, live_server)
    _senco_sets_up_the_group(senco, world, today - timedelta(days=14))
    senco.assert_accessible()

    ta = visitor_for(browser, live_server, **PHONE)
    page = ta.page
    ta.sign_in(world.ta_a.email)
    ta.go(f"/provision/setting/{world.setting_a.pk}/groups/")
    assert "Your groups" in page.content()
    # Four taps: the group, the register, Absent for the one pupil who missed it, save.
    _click(ta, "link", "Year 3 reading")
    _click(ta, "link", "Take the register")
    page.get_by_role("group", name="Paul Two").get_by_label("Absent").check()
    _click(ta, "button", "Save the register")
    assert "1 present, 1 absent" in page.content()
    group = InterventionGroup.objects.get()
    assert GroupSession.objects.get(group=group).on == today
    recorded = dict(DeliveryRecord.objects.filter(on=today).values_list("provision__cycle__pupil_id", "status"))
    assert recorded == {world.p1.pk: "delivered", world.p2.pk: "missed"}
    # The buttons and radios are big enough to tap, and nothing spills sideways off the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    ta.assert_accessible()
