"""A SENCO writes an outcome without a baseline, sees the plan check and its fix on the cycle page,
fixes it and sees the check pass. axe-core checks every page on the way."""

from datetime import date, timedelta
from typing import Any

import pytest

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.support import services
from graduated.support.tests.factories import ACTOR

pytestmark = pytest.mark.browser


def test_a_senco_sees_a_missing_baseline_and_fixes_it(browser: Any, live_server: Any, world: World) -> None:
    cycle = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date.today())
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"analysis_by_area": {"CL": "Reads well below age."}}, expected_version=1
    )
    senco = visitor_for(browser, live_server)
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/cycles/{cycle.pk}/")
    assert "Plan checks:" in page.content()
    page.get_by_role("link", name="Add an outcome").click()
    senco.check()
    page.get_by_label("What will be achieved").fill("Reads 40 common exception words aloud")
    page.get_by_label("How it will be measured").fill("Half-termly word check")
    page.get_by_label("Target (optional)", exact=True).fill("40 words")
    by_when = date.today() + timedelta(days=70)
    for part, value in enumerate((by_when.day, by_when.month, by_when.year)):
        page.locator(f'[name="by_when_{part}"]').fill(str(value))
    page.get_by_label("Cognition and learning").check()
    page.get_by_role("button", name="Save outcome").click()  # saved: the check advises, never blocks
    senco.check()
    content = page.content()
    assert "Outcome saved." in content
    assert "It has no baseline." in content and "Change the outcome and add the baseline" in content

    page.get_by_role("link", name="Change outcome 1: outcome is measurable").click()
    senco.check()
    assert "It has no baseline." in page.content()  # the outcome's own page says so too
    page.get_by_label("Starting point (baseline)").fill("12 words")
    page.get_by_role("button", name="Save outcome").click()
    senco.check()
    content = page.content()
    assert "Outcome saved." in content and "It has no baseline." not in content
    assert "Outcome is measurable" not in content  # the check passes now
    senco.assert_accessible()
