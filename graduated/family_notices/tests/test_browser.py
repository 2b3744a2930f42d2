"""A parent on a phone (390 px, no JavaScript) reads what changed, sees all of it, and chooses a
weekly digest in short. axe-core on every page."""

import re
from datetime import date, timedelta
from typing import Any

import pytest

from graduated.family_notices.models import Frequency, NoticePreference
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.pupils.models import ChronologyEntry, ChronologyKind

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_parent_reads_what_changed_and_chooses_a_weekly_short_e_mail(
    browser: Any, live_server: Any, world: World
) -> None:
    kinds = [ChronologyKind.PLAN_AGREED, *[ChronologyKind.MEETING_SHARED] * 10, ChronologyKind.REVIEW_RECORDED]
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(pupil=world.p1, kind=kind, occurred_on=date(2026, 9, 7) + timedelta(days=n), summary="x")
        for n, kind in enumerate(kinds)
    )
    parent = visitor_for(browser, live_server, javascript=False, **PHONE)
    parent.sign_in(world.parent_p1.email)
    page = parent.page
    assert page.get_by_role("heading", name="What has changed").is_visible()
    assert page.get_by_text("The school looked at how Priya's plan went.").is_visible()

    page.get_by_role("link", name="See everything that has changed").click()
    parent.check()
    assert page.get_by_text("Priya's new plan was agreed.").is_visible()
    page.get_by_role("link", name="Choose how we e-mail you about changes").click()
    parent.check()
    page.get_by_label(re.compile("One e-mail a week")).check()
    page.get_by_label(re.compile("Send short e-mails")).check()
    page.get_by_role("button", name="Save my choices").click()
    parent.check()
    assert page.get_by_role("heading", name="Priya's support").is_visible()
    assert "Your choices have been saved." in page.content()
    parent.assert_accessible()
    saved = NoticePreference.objects.get(user=world.parent_p1)
    assert (saved.frequency, saved.short) == (Frequency.WEEKLY, True)
