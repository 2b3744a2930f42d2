from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World, make_pupil
from graduated.provision.models import SenBudget, StaffCost, TermDates
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group, place
from graduated.provision.tests.term_factories import TERM_DATES_2026

pytestmark = pytest.mark.browser


def test_senco_sets_hourly_costs_then_reads_the_setting_map_and_a_pupils_map(
    browser: Any, live_server: Any, world: World
) -> None:
    item = catalogue_item(
        world.setting_a, "Phonics catch-up group", group_size=4, sessions_per_week=2, minutes_per_session=30,
        resources_cost=Decimal("60.00"),
    )  # fmt: skip
    group = make_group(item)
    for n in range(4):
        place(group, make_pupil(world.setting_a, f"Reader{n}", "Group", date_of_birth=date(2018, 1, 10)))
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)

    visitor.go(f"/provision/setting/{world.setting_a.pk}/costs/")
    page.get_by_label("Teaching assistant").fill("abc")
    page.get_by_role("button", name="Save").click()
    visitor.check()  # the error summary
    assert "Enter an amount in pounds, like 18.50" in page.content()
    page.get_by_label("Teaching assistant").fill("£20")
    page.get_by_label("Budget for 2026/27").fill("£1,330")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "Staff costs saved" in page.content()
    assert StaffCost.objects.get(setting=world.setting_a).hourly_cost == Decimal("20.00")
    assert SenBudget.objects.get(setting=world.setting_a, year_starting=2026).amount == Decimal("1330.00")

    page.get_by_role("link", name="See the provision map").click()
    visitor.check()
    # Four pupils × (£51.50 of staff time + £15.00 of resources) = £266.00, 20% of £1,330.00.
    assert "£266.00" in page.content() and "20.0%" in page.content()
    # GOV.UK date inputs, not the browser's own date picker.
    for name, (day, month, year) in (("from", (1, 12, 2026)), ("to", (1, 9, 2026))):
        dates = page.get_by_role("group", name="From" if name == "from" else "To", exact=True)
        dates.get_by_label("Day").fill(str(day))
        dates.get_by_label("Month").fill(str(month))
        dates.get_by_label("Year").fill(str(year))
    page.get_by_role("button", name="Show these dates").click()
    visitor.check()  # a refused range, with its message
    assert "The end date must be the same as or after the start date" in page.content()
    page.get_by_label("Academic year").select_option("2026")
    page.get_by_role("button", name="Show the year").click()
    visitor.check()

    page.get_by_role("link", name="Reader0 Group").click()
    visitor.check()
    assert "Costed provision map" in page.content()
    assert "= £51.50. Weeks counted, 7 September 2026 to 11 December 2026: 96 days × 39 ÷ 365 = 10.3" in page.content()
    assert "Resources £60.00 ÷ 4 pupils = £15.00." in page.content()
    visitor.assert_accessible()


def test_the_la_admin_records_term_dates_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server, javascript=False)
    page = visitor.page
    visitor.sign_in(world.la_admin_north.email)
    visitor.go(f"/provision/la/{world.la_north.pk}/catalogue/")
    page.get_by_role("link", name="School term dates").click()
    visitor.check()
    page.get_by_role("link", name="Add the term dates for 2026/27").click()
    visitor.check()
    for code, (first, last) in TERM_DATES_2026.items():
        for which, day in (("starts_on", first), ("ends_on", last)):
            for part, value in enumerate(day):
                page.locator(f'[name="{code}_{which}_{part}"]').fill(str(value))
    page.locator('[name="spring_1_ends_on_1"]').fill("1")
    page.locator('[name="spring_1_ends_on_0"]').fill("1")  # 1 January: before spring 1's first day, 4 January
    page.get_by_role("button", name="Save term dates").click()
    visitor.check()  # the error summary
    assert "The last day of spring 1 must be the same as or after its first day" in page.content()
    assert not TermDates.objects.exists()
    page.locator('[name="spring_1_ends_on_0"]').fill("12")
    page.locator('[name="spring_1_ends_on_1"]').fill("2")
    page.get_by_role("button", name="Save term dates").click()
    visitor.check()
    assert "The term dates for 2026/27 have been saved." in page.content()
    assert TermDates.objects.get().blocks.count() == 6
    visitor.assert_accessible()


def test_a_senior_leader_reads_the_costs_without_a_form(browser: Any, live_server: Any, world: World) -> None:
    StaffCost.objects.create(setting=world.setting_a, role="teacher", hourly_cost=Decimal("41.00"))
    visitor = visitor_for(browser, live_server, javascript=False)
    visitor.sign_in(world.head_a.email)
    visitor.go(f"/provision/setting/{world.setting_a.pk}/costs/")
    assert "£41.00" in visitor.page.content()
    assert visitor.page.get_by_role("button", name="Save").count() == 0
    visitor.page.get_by_role("link", name="See the provision map").click()
    visitor.check()
    assert "No provision ran in this period." in visitor.page.content()
    visitor.assert_accessible()
