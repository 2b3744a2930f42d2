"""The LA admin edits a draft page and publishes it; an anonymous visitor then opens the public
index, the page, and searches. axe-core checks every page on the way, error pages included."""

from typing import Any

import pytest

from graduated.guidance.tests.factories import draft_page, site
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def test_the_admin_publishes_a_page_and_a_parent_reads_and_searches_it(
    browser: Any, live_server: Any, world: World
) -> None:
    site(world.la_north)
    draft = draft_page(world.la_north, slug="sen-support", title="SEN support", body="Draft.")
    admin = visitor_for(browser, live_server)
    page = admin.page
    admin.sign_in(world.la_admin_north.email)
    admin.go(f"/guidance/la/{world.la_north.pk}/")
    _click(admin, "link", "SEN support")
    _click(admin, "link", "Continue the draft (version 1)")
    page.get_by_label("Text of the page").fill(
        "## What happens\nYour child's teacher uses **assess, plan, do, review**."
    )
    _click(admin, "button", "Save the draft")
    assert "The draft has been saved" in page.content()
    assert page.get_by_role("heading", name="What happens").is_visible()  # the preview
    page.get_by_label("Year").fill("20")
    _click(admin, "button", "Publish version 1")
    assert "There is a problem" in page.content()  # the error page is checked too
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    _click(admin, "button", "Publish version 1")
    assert "Version 1 published: in force from 1 September 2025" in page.content()
    admin.assert_accessible()
    draft.refresh_from_db()
    assert not draft.is_draft

    parent = visitor_for(browser, live_server)
    parent.go("/guidance/northshire/")
    assert "Northshire SEND guidance" in parent.page.content()
    _click(parent, "link", "SEN support")
    assert "assess, plan, do, review" in parent.page.content()
    parent.page.get_by_role("link", name="All of Northshire SEND guidance").click()
    parent.page.wait_for_load_state()
    parent.page.get_by_label("Search the guidance").fill("review")
    _click(parent, "button", "Search")
    assert "1 page found for “review”" in parent.page.content()
    parent.go("/guidance/nowhere/")
    parent.assert_accessible()
