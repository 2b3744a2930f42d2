"""The LA's toolkit, end to end in a browser (issue 15's journey): the LA admin publishes a guidance
page and a new strategy of the ordinarily available provision; a teacher raising a concern sees the
strategy for the area of need and records it as tried; the SENCO writes the cycle's plan, sees the
plan checks, adds the strategy to the plan in one click; a parent reads the public guidance without
signing in. axe-core checks every page on the way, error pages included."""

from datetime import date, timedelta
from typing import Any

import pytest

from graduated.guidance.tests.factories import draft_page, site
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.oap.models import ConcernStrategy, ProvisionStrategy
from graduated.oap.tests.factories import published
from graduated.support import services
from graduated.support.tests.factories import ACTOR

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _date(visitor: Visitor, day: date) -> None:
    visitor.page.get_by_label("Day").fill(str(day.day))
    visitor.page.get_by_label("Month").fill(str(day.month))
    visitor.page.get_by_label("Year").fill(str(day.year))


def test_guidance_and_oap_flow_from_the_la_to_a_concern_a_plan_and_a_parent(
    browser: Any, live_server: Any, world: World
) -> None:
    today = date.today()
    site(world.la_north)
    draft_page(world.la_north, slug="sen-support", title="What SEN support your child may be given", body="Draft.")
    published(world.la_north, effective_from=date(2025, 9, 1))

    # The LA admin publishes the guidance page and a new strategy.
    admin = visitor_for(browser, live_server)
    page = admin.page
    admin.sign_in(world.la_admin_north.email)
    admin.go(f"/guidance/la/{world.la_north.pk}/")
    _click(admin, "link", "What SEN support your child may be given")
    _click(admin, "link", "Continue the draft (version 1)")
    page.get_by_label("Text of the page").fill(
        "## In class\nTeachers first try **ordinarily available** strategies, such as visual timetables."
    )
    _click(admin, "button", "Save the draft")
    _date(admin, today)
    _click(admin, "button", "Publish version 1")
    assert "Version 1 published" in page.content()

    admin.go(f"/oap/la/{world.la_north.pk}/")
    _click(admin, "button", "Change the ordinarily available provision")
    _click(admin, "link", "Add a strategy")
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("Quality First Teaching").check()
    page.get_by_label("Strategy", exact=True).fill("Dual coding")
    page.get_by_label("What staff do").fill("Pair words with a simple picture or diagram when explaining.")
    _click(admin, "button", "Add the strategy")
    _date(admin, today)
    _click(admin, "button", "Publish version 2")
    assert "Version 2 published" in page.content()
    admin.assert_accessible()

    # A teacher raising a concern is offered it for the area chosen, and records it as tried.
    teacher = visitor_for(browser, live_server, javascript=False)
    tpage = teacher.page
    teacher.sign_in(world.teacher_a.email)
    teacher.go(f"/pupils/{world.p1.pk}/concerns/new/")
    tpage.get_by_label("Cognition and learning").check()
    _click(teacher, "button", "Show strategies for these areas")
    tpage.get_by_label("Dual coding").check()
    _date(teacher, today)
    tpage.get_by_label("What have you seen?").fill("Loses track of explanations with several steps.")
    tpage.get_by_label("What have you already tried in class?").fill("Repeating the instructions.")
    _click(teacher, "button", "Raise concern")
    assert "Concern raised" in tpage.content()
    assert ConcernStrategy.objects.get().strategy.title == "Dual coding"
    teacher.assert_accessible()

    # The SENCO writes the plan: the checks advise, and the strategy goes on the plan in one click.
    cycle = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=today)
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"analysis_by_area": {"CL": "Reads well below age."}}, expected_version=1
    )
    senco = visitor_for(browser, live_server)
    spage = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/cycles/{cycle.pk}/")
    _click(senco, "link", "Add an outcome")
    spage.get_by_label("What will be achieved").fill("Reads 40 common exception words aloud")
    spage.get_by_label("How it will be measured").fill("Half-termly word check")
    spage.get_by_label("Target (optional)", exact=True).fill("40 words")
    by_when = today + timedelta(days=70)
    for part, value in enumerate((by_when.day, by_when.month, by_when.year)):
        spage.locator(f'[name="by_when_{part}"]').fill(str(value))
    spage.get_by_label("Cognition and learning").check()
    _click(senco, "button", "Save outcome")
    content = spage.content()
    assert "It has no baseline." in content and "Change the outcome and add the baseline" in content
    senco.go(f"/pupils/{world.p1.pk}/cycles/{cycle.pk}/provision/add/")
    _click(senco, "button", "Dual coding")  # "Add to the plan", the strategy's name hidden but for screen readers
    assert ProvisionStrategy.objects.get(provision__cycle=cycle).strategy.title == "Dual coding"
    senco.assert_accessible()

    # A parent reads the public guidance without signing in.
    parent = visitor_for(browser, live_server)
    parent.go("/guidance/northshire/")
    _click(parent, "link", "What SEN support your child may be given")
    assert "visual timetables" in parent.page.content()
    parent.assert_accessible()
