from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.support.models import Cycle, CycleStatus

pytestmark = pytest.mark.browser


def test_senco_opens_the_caseload_and_goes_to_an_overdue_review(browser: Any, live_server: Any, world: World) -> None:
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=today - timedelta(days=60),
        review_date=today - timedelta(days=2), plan_agreed_on=today - timedelta(days=50),
    )  # fmt: skip
    visitor = visitor_for(browser, live_server)
    visitor.sign_in(world.senco_a.email)
    menu = visitor.page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name=f"Caseload: {world.setting_a.name}").click()
    visitor.check()
    overdue = visitor.page.locator("#overdue-reviews + table")
    overdue.get_by_role("link", name="Priya One").click()
    visitor.check()
    assert visitor.page.url.endswith(f"/pupils/{world.p1.pk}/cycles/{cycle.pk}/")
    assert "Overdue" in visitor.page.content()
    visitor.assert_accessible()


def test_a_teacher_reads_their_pupils_plan_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    visitor = visitor_for(browser, live_server, viewport={"width": 375, "height": 740})
    visitor.sign_in(world.teacher_a.email)
    visitor.go("/worklists/my-pupils/")
    assert "Priya One" in visitor.page.content()
    visitor.assert_accessible()
