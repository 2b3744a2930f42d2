from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.provision.models import CatalogueItem
from graduated.provision.tests.factories import catalogue_item

pytestmark = pytest.mark.browser


def test_senco_adopts_the_las_intervention_and_adapts_it(browser: Any, live_server: Any, world: World) -> None:
    catalogue_item(world.la_north, "Talk boost", typical_weeks=10)
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=f"Provision: {world.setting_a.name}").click()
    visitor.check()
    page.get_by_role("navigation", name=f"Provision at {world.setting_a.name}").get_by_role(
        "link", name="Catalogue"
    ).click()
    visitor.check()
    page.get_by_role("button", name="Adopt Talk boost").click()
    visitor.check()
    assert "Talk boost is now in your catalogue" in page.content()
    page.get_by_role("link", name="Talk boost").click()
    visitor.check()
    page.get_by_label("Typical length in weeks").fill("0")
    page.get_by_role("button", name="Save").click()
    visitor.check()  # the error summary
    assert "There is a problem" in page.content()
    page.get_by_label("Typical length in weeks").fill("6")
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert CatalogueItem.objects.get(setting=world.setting_a).typical_weeks == 6
    visitor.assert_accessible()


def test_la_admin_adds_to_the_shared_catalogue(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.la_admin_north.email)
    visitor.go(f"/provision/la/{world.la_north.pk}/catalogue/")
    page.get_by_role("link", name="Add an intervention").click()
    visitor.check()
    page.get_by_label("Name").fill("Colourful sentences")
    page.get_by_label("Description").fill("Sentence building with colour-coded question words.")
    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Targeted").check()
    page.get_by_label("Delivered by").select_option("teaching_assistant")
    page.get_by_label("Group size").fill("4")
    page.get_by_label("Sessions per week").fill("2")
    page.get_by_label("Minutes per session").fill("20")
    page.get_by_label("Typical length in weeks").fill("10")
    page.get_by_label("Moderate").check()
    page.get_by_role("button", name="Save").click()
    visitor.check()
    assert "Colourful sentences has been added" in page.content()
    # The LA's own word for a tier, which its catalogue then shows.
    page.get_by_role("link", name="Name the tiers").click()
    visitor.check()
    page.get_by_label("Name for the targeted tier").fill("Targeted plus")
    page.get_by_role("button", name="Save names").click()
    visitor.check()
    assert "The tier names have been saved." in page.content()
    assert page.get_by_role("row", name="Colourful sentences").get_by_text("Targeted plus").is_visible()
    visitor.assert_accessible()
