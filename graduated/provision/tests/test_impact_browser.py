"""The impact pages in a real browser: each checked by axe-core (0 WCAG 2.2 AA violations)."""

from datetime import date
from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.provision.tests.group_factories import make_group, place, scores
from graduated.provision.tests.test_impact_pages import _shared_runs, _worked_group

pytestmark = pytest.mark.browser


def test_senco_compares_runs_and_opens_a_group(browser: Any, live_server: Any, world: World) -> None:
    group = _worked_group(world)
    spring = make_group(
        group.catalogue_item, name="Spring group", starts_on=date(2027, 1, 11), ends_on=date(2027, 3, 26)
    )
    place(spring, world.p1)
    scores(spring, world.p1, "86", "90")
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/provision/setting/{world.setting_a.pk}/impact/")
    assert page.get_by_role("img", name="Mean change in Reading boost, each run with its pupils").count() == 1
    page.get_by_role("combobox", name="Term (optional)").select_option("spring")
    page.get_by_role("button", name="Show figures").click()
    visitor.check()
    assert page.get_by_role("link", name="Spring group").count() == 1
    assert page.get_by_role("link", name=group.name).count() == 0
    visitor.go(f"/provision/setting/{world.setting_a.pk}/impact/?year=1999")  # a hand-made address: refused
    assert "Choose an academic year from the list" in page.content()
    visitor.go(f"/provision/setting/{world.setting_a.pk}/impact/")
    page.get_by_role("link", name=group.name).click()
    visitor.check()
    page.get_by_text("How these figures are worked out").click()
    assert page.get_by_text("Becker's standardised mean change").is_visible()
    visitor.check()
    visitor.assert_accessible()


def test_la_officer_sees_shared_interventions_without_javascript(browser: Any, live_server: Any, world: World) -> None:
    _shared_runs(world)
    visitor = visitor_for(browser, live_server, javascript=False)
    visitor.sign_in(world.officer_north.email)
    visitor.go(f"/provision/la/{world.la_north.pk}/impact/")
    assert "All settings together" in visitor.page.content()
    visitor.assert_accessible()
