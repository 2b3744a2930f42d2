"""The LA admin adds a strategy to a new draft and publishes it; a teacher raising a concern (with
JavaScript off) sees the strategy for the area chosen and records it as tried. axe-core checks
every page on the way, error pages included."""

from datetime import date
from typing import Any

import pytest

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.oap.models import ConcernStrategy, OAPVersion
from graduated.oap.tests.factories import published

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()
    visitor.page.wait_for_load_state()
    visitor.check()


def test_the_admin_publishes_a_strategy_and_a_teacher_records_it_as_tried(
    browser: Any, live_server: Any, world: World
) -> None:
    published(world.la_north, effective_from=date(2025, 9, 1))
    admin = visitor_for(browser, live_server)
    page = admin.page
    admin.sign_in(world.la_admin_north.email)
    admin.go(f"/oap/la/{world.la_north.pk}/")
    assert "Version 1, in force from 1 September 2025" in page.content()
    _click(admin, "button", "Change the ordinarily available provision")
    assert "Draft version 2" in page.content()
    _click(admin, "link", "Add a strategy")
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("Quality First Teaching").check()
    page.get_by_label("Strategy", exact=True).fill("Dual coding")
    _click(admin, "button", "Add the strategy")
    assert "Enter what staff do" in page.content()  # the error page is checked too
    page.get_by_label("What staff do").fill("Pair words with a simple picture or diagram when explaining.")
    _click(admin, "button", "Add the strategy")
    assert "Added: Dual coding" in page.content()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2026")
    _click(admin, "button", "Publish version 2")
    assert "Version 2 published" in page.content()
    assert OAPVersion.objects.get(local_authority=world.la_north, number=2).strategies.count() == 5
    _click(admin, "link", "Settings' self-reviews")
    assert "Each expectation" in page.content()
    admin.assert_accessible()

    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/oap/settings/{world.setting_a.pk}/")
    _click(senco, "link", "This year's self-review against these expectations")
    spage = senco.page
    spage.get_by_role("group", name="Staff know which pupils are on the SEN register").get_by_label(
        "Met", exact=True
    ).check()
    _click(senco, "button", "Mark complete")
    assert "Answer every expectation before marking the review complete" in spage.content()
    _click(senco, "button", "Save as a draft")
    assert "saved as a draft" in spage.content()
    senco.assert_accessible()

    # The teacher is offered the version in force (either version: both hold the strategies below).
    teacher = visitor_for(browser, live_server, javascript=False)
    teacher.sign_in(world.teacher_a.email)
    teacher.go(f"/pupils/{world.p1.pk}/concerns/new/")
    tpage = teacher.page
    tpage.get_by_label("Cognition and learning").check()
    _click(teacher, "button", "Show strategies for these areas")
    content = tpage.content()
    assert "Chunked instructions" in content and "Movement breaks" not in content
    assert content.index("Chunked instructions") < content.index("Pre-teaching vocabulary")  # QFT first
    tpage.get_by_label("Chunked instructions").check()
    tpage.get_by_label("Day").fill("3")
    tpage.get_by_label("Month").fill("11")
    tpage.get_by_label("Year").fill("2026")
    tpage.get_by_label("What have you seen?").fill("Loses track of tasks with several steps.")
    tpage.get_by_label("What have you already tried in class?").fill("Checklists on the desk.")
    _click(teacher, "button", "Raise concern")
    assert "Concern raised" in tpage.content()
    assert "Chunked instructions" in tpage.content()
    assert ConcernStrategy.objects.get().strategy.title == "Chunked instructions"
    teacher.assert_accessible()
