"""A record follows a pupil between two LAs in a browser: Cedar's SENCO asks, Ash's releases it,
Cedar reads what Ash wrote; then the census check. Every page is checked with axe-core."""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from graduated.audit.services import Actor
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.support import services as support

pytestmark = pytest.mark.browser


def test_a_record_is_asked_for_released_and_read(browser: Any, live_server: Any, world: World) -> None:
    support.start_cycle(
        actor=Actor.system("test"), pupil=world.p1, setting=world.setting_a, started_on=date(2025, 9, 8)
    )
    today = timezone.localdate()
    cedar = visitor_for(browser, live_server, javascript=False)
    page = cedar.page
    cedar.sign_in(world.senco_c.email)
    cedar.go(f"/pupils/settings/{world.setting_c.pk}/register/")
    page.get_by_role("link", name="Records from other settings").click()
    cedar.check()
    page.get_by_role("link", name="Ask for a pupil's record").click()
    cedar.check()
    page.get_by_role("button", name="Ask for the record").click()
    cedar.check()  # the error summary
    assert "Enter the pupil's UPN" in page.content()
    page.get_by_label("UPN (unique pupil number)").fill(world.p1.upn or "")
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day").fill(str(world.p1.date_of_birth.day))
    born.get_by_label("Month").fill(str(world.p1.date_of_birth.month))
    born.get_by_label("Year").fill(str(world.p1.date_of_birth.year))
    starts = page.get_by_role("group", name="Date the pupil starts here")
    starts.get_by_label("Day").fill(str(today.day))
    starts.get_by_label("Month").fill(str(today.month))
    starts.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Ask for the record").click()
    cedar.check()
    assert "You have asked Ash Primary School for the pupil's record" in page.content()

    ash = visitor_for(browser, live_server, javascript=False)
    ash.sign_in(world.senco_a.email)
    ash.go(f"/records/settings/{world.setting_a.pk}/transfers/")
    ash.page.get_by_role("link", name="Priya One").click()
    ash.check()
    assert "Cycle 1 is still open here" in ash.page.content()
    ash.page.get_by_label("Yes: the pupil leaves this setting and their record goes with them").check()
    ash.page.get_by_role("button", name="Send the decision").click()
    ash.check()
    assert "The record has gone to Cedar School" in ash.page.content()

    cedar.go(f"/pupils/{world.p1.pk}/")
    page.get_by_role("link", name="Read what Priya One's previous setting wrote").click()
    cedar.check()
    page.get_by_role("link", name="Cycle 1").click()
    cedar.check()
    assert "From the previous setting: Ash Primary School wrote this cycle" in page.content()
    cedar.go(f"/records/settings/{world.setting_c.pk}/census/")
    assert "Census check" in page.content() and "Priya One" in page.content()
    cedar.assert_accessible()
    ash.assert_accessible()
