"""The LA admin adds a rule to a new draft and publishes it; a SENCO then checks a pupil's readiness
against it. axe-core checks every page on the way, error pages included."""

from datetime import date
from typing import Any

import pytest

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.rulepacks.models import RuleKind, RulePack
from graduated.rulepacks.tests.factories import completed_cycle, published, rule

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def test_the_admin_publishes_a_rule_and_a_senco_checks_a_pupil_against_it(
    browser: Any, live_server: Any, world: World
) -> None:
    published(world.la_north, [rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST)], effective_from=date(2025, 9, 1))
    completed_cycle(world.p1, date(2026, 3, 3))
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.la_admin_north.email)
    visitor.go(f"/rules/la/{world.la_north.pk}/")
    assert "In force today: version 1" in page.content()

    _click(visitor, "button", "Change the local rules")
    assert "Draft version 2" in page.content()
    _click(visitor, "link", "Add a rule")
    page.get_by_label("Completed APDR cycles").check()
    page.get_by_label("A request for an EHC needs assessment").check()
    page.get_by_label("Why the local authority asks for this").fill("Two reviewed cycles show what was tried.")
    page.get_by_label("Source document").fill("Northshire Graduated Approach guidance")
    _click(visitor, "button", "Add the rule")
    assert "Enter the number this rule asks for" in page.content()  # the error page is checked too
    page.get_by_label("At least how many").fill("2")
    _click(visitor, "button", "Add the rule")
    assert "Rule added: At least 2 completed APDR cycles" in page.content()

    page.get_by_label("What changed in this version").last.fill("Two completed cycles before a request.")
    _click(visitor, "button", "Publish version 2")
    assert "Version 2 published" in page.content()
    assert RulePack.objects.get(local_authority=world.la_north, number=2).rules.count() == 2
    _click(visitor, "link", "Version 1")
    assert "Local rules, version 1" in page.content()
    _click(visitor, "link", "Back to the local rules")
    _click(visitor, "link", "Names and order of the pathway stages")
    page.get_by_label("Name of the stage “My Support Plan”").fill("Individual Support Plan")
    _click(visitor, "button", "Save the stages")
    assert "The stages have been saved" in page.content()
    visitor.assert_accessible()

    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/rules/pupils/{world.p1.pk}/readiness/?step=request")
    content = senco.page.content()
    assert "these local rules are guidance, not a condition" in content
    assert "1 of 2 APDR cycles completed (reviewed 3 March 2026)." in content
    assert "No My Support Plan has been agreed." in content
    _click(senco, "link", "Before a person-centred planning meeting")
    assert "No local rules are checked before this step" in senco.page.content()
    senco.go(f"/rules/settings/{world.setting_a.pk}/rules/")
    assert "Northshire" in senco.page.content()
    senco.assert_accessible()
