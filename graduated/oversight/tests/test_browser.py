"""The SEN dashboard in a real browser: dashboard, a filter, a setting's figures; axe-core on each page
(0 WCAG 2.2 AA violations), with JavaScript and without, and on a phone."""

from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.oversight import summaries, views
from graduated.oversight.tests.scenario import TODAY, build

pytestmark = pytest.mark.browser


@pytest.fixture
def north(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    build(world)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    monkeypatch.setattr(views, "today", lambda: TODAY)
    return world


def test_an_officer_filters_the_dashboard_and_opens_a_setting(browser: Any, live_server: Any, north: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(north.officer_north.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="SEN dashboard: Northshire").click()
    visitor.check()
    assert page.get_by_role("heading", name="SEN dashboard", level=1).count() == 1
    assert page.get_by_role("img", name="Pupils on the SEN register by primary need").count() == 1
    assert (
        page.get_by_role("table", name="The settings, side by side (select a setting for all its figures)").count() == 1
    )

    page.get_by_role("combobox", name="Phase (optional)").select_option("secondary")
    page.get_by_role("button", name="Show figures").click()
    visitor.check()
    assert "phase=secondary" in page.url
    assert page.get_by_role("link", name="Beech Academy").count() >= 1
    assert page.get_by_role("link", name="Ash Primary School").count() == 0

    visitor.go(f"/oversight/la/{north.la_north.pk}/?phase=grammar")  # a hand-made address: refused, said why
    assert "Choose a phase from the list" in page.content()

    visitor.go(f"/oversight/la/{north.la_north.pk}/")
    page.get_by_role("link", name="Ash Primary School").first.click()
    visitor.check()
    assert page.get_by_role("heading", name="Ash Primary School", level=1).count() == 1
    assert page.get_by_role("link", name="Ezra Plan").count() == 1  # an officer who works the cases
    page.get_by_text("How these figures are worked out").click()
    assert page.get_by_text("Short of three parent meetings").first.is_visible()
    visitor.check()
    visitor.assert_accessible()


def test_the_dashboard_on_a_phone_without_javascript(browser: Any, live_server: Any, north: World) -> None:
    visitor = visitor_for(browser, live_server, javascript=False, viewport={"width": 375, "height": 740})
    visitor.sign_in(north.la_admin_north.email)
    visitor.go(f"/oversight/la/{north.la_north.pk}/?area=Coastal")
    assert "Beech Academy" in visitor.page.content()
    visitor.go(f"/oversight/setting/{north.setting_b.pk}/")
    assert "Over the last three terms" in visitor.page.content()
    visitor.assert_accessible()
