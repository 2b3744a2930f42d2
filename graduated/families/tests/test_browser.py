"""A SENCO gives a parent access; the parent sets a password and signs in on a phone (390 px,
no JavaScript), without a second step, and reads the plan and the sessions given. axe on every page."""

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from graduated.families.models import PlanResponse
from graduated.families.tests.helpers import mother_of_p1, plan_for_p1
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World
from graduated.specialists.tests import factories as specialist_factories
from graduated.support.models import Cycle, CycleStatus, Outcome

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _rosa_sets_her_password_and_signs_in(browser: Any, live_server: Any, invitation_link: str) -> Any:
    """The invited mother opens the e-mail's link on her phone, sets a password and signs in."""
    parent = visitor_for(browser, live_server, javascript=False, **PHONE)
    parent.go(re.sub(r"^https?://[^/]+", "", invitation_link))
    parent.page.get_by_label("New password", exact=True).fill("a long family passphrase 42")
    parent.page.get_by_label("Confirm your new password").fill("a long family passphrase 42")
    parent.page.get_by_role("button", name=re.compile("password", re.I)).click()
    parent.check()
    parent.sign_in("rosa.one@example.com", "a long family passphrase 42")
    return parent


def test_a_parent_is_invited_and_reads_the_plan_on_a_phone(browser: Any, live_server: Any, world: World) -> None:
    contact = mother_of_p1(world)
    plan_for_p1(world, [(1, "delivered"), (2, "delivered"), (3, "delivered")])

    senco = visitor_for(browser, live_server, javascript=False)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pupils/{world.p1.pk}/")
    senco.page.get_by_role("link", name="Family access").click()
    senco.check()
    senco.page.get_by_label(re.compile("Rosa One")).check()
    senco.page.get_by_role("button", name="Send the invitation").click()
    senco.check()
    assert "rosa.one@example.com has been given access" in senco.page.content()
    senco.assert_accessible()

    link = re.search(r"https?://\S+/accounts/reset/\S+", mail.outbox[-1].body)
    assert link is not None and contact.family_links.exists()
    parent = _rosa_sets_her_password_and_signs_in(browser, live_server, link.group(0))
    page = parent.page
    assert page.get_by_role("heading", name="Priya's support").is_visible()
    assert "Read a short book on her own" in page.content()
    assert "So far: <strong>3 sessions given</strong>" in page.content()
    parent.assert_accessible()


def test_the_whole_journey_of_a_family_before_and_after_a_review(
    browser: Any, live_server: Any, world: World, tmp_path: Any
) -> None:
    """Invite → the parent signs in on a phone → sees the plan and the sessions given → gives their
    views with a photo → the SENCO sees them in the review → the parent agrees the next plan's aims
    → consents to a referral, which the SENCO sees. axe on every page, no JavaScript."""
    contact = mother_of_p1(world)
    cycle = plan_for_p1(world, [(1, "delivered"), (2, "missed"), (3, "delivered")])
    outcome = cycle.outcomes.get()
    senco = visitor_for(browser, live_server, javascript=False)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/family/manage/pupils/{world.p1.pk}/")
    senco.page.get_by_label(re.compile("Rosa One")).check()
    senco.page.get_by_role("button", name="Send the invitation").click()
    senco.check()
    senco.page.get_by_role("button", name="Ask the family for their views").click()
    senco.check()
    assert "The family has been asked for their views" in senco.page.content()
    senco.assert_accessible()

    invitation = next(m for m in mail.outbox if "reset" in m.body)
    link = re.search(r"https?://\S+/accounts/reset/\S+", invitation.body)
    assert link is not None and contact.family_links.exists()
    parent = _rosa_sets_her_password_and_signs_in(browser, live_server, link.group(0))
    page = parent.page
    assert "So far: <strong>2 sessions given</strong>, 1 missed" in page.content()
    parent.assert_accessible()

    # Views before the review, with a photo about the aim.
    page.get_by_role("link", name="Tell the school what you think before the review").click()
    parent.check()
    parent.assert_accessible()
    page.get_by_label("What is going well?").fill("She reads to her little brother every night")
    page.get_by_role("group", name="Read a short book on her own").get_by_label("A bit better").check()
    page.get_by_role("button", name="Send to the school").click()
    parent.check()
    page.get_by_role("link", name="Tell the school what you think before the review").click()
    snapshot = tmp_path / "reading.png"
    Image.new("RGB", (60, 40), "orange").save(snapshot)
    page.get_by_label("A photo").set_input_files(str(snapshot))
    page.get_by_label("A short note").fill("Her first chapter book")
    page.get_by_role("button", name="Add it").click()
    parent.check()
    assert "your photo" in page.content()
    parent.assert_accessible()

    senco.go(reverse("support:review", args=[world.p1.pk, cycle.pk]))
    review = senco.page.content()
    assert "She reads to her little brother every night" in review and "Her first chapter book" in review
    assert "Rosa One: “A bit better”" in review
    senco.assert_accessible()

    # The review is held (its own browser tests cover the form); the next plan has a new aim.
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    next_cycle = Cycle.objects.create(pupil=world.p1, setting=world.setting_a, number=2, status=CycleStatus.PLAN,
                                      started_on=cycle.review_date, previous=cycle)  # fmt: skip
    Outcome.objects.create(cycle=next_cycle, position=1, description="Read a chapter book with a friend",
                           measure="Book band", baseline="Band 5", target="Band 7", by_when=outcome.by_when,
                           area="CL")  # fmt: skip
    parent.go(f"/family/children/{world.p1.pk}/")
    assert "Read a chapter book with a friend" in page.content()
    page.get_by_role("group", name="Do you agree with these aims?").get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Send my answer", exact=True).click()
    parent.check()
    assert PlanResponse.objects.get(cycle=next_cycle).agrees

    # The SENCO writes a referral; the parent agrees to it on the phone.
    referral = specialist_factories.referral(
        world.p1, to=specialist_factories.service(world.setting_a.local_authority, "Speech and Language Service"),
        reason="To help with some sounds.", consent_by="not_yet", consent_on=None, referred_on=None,
    )  # fmt: skip
    parent.go(f"/family/children/{world.p1.pk}/")
    card = page.locator(f"#consent-referral-{referral.pk}")
    assert "Asking Speech and Language Service for help" in card.inner_text()
    card.get_by_label("Yes, I agree").check()
    card.get_by_role("button", name=re.compile("Send my answer")).click()
    parent.check()
    assert "you said yes, you agree" in page.locator(f"#consent-referral-{referral.pk}").inner_text()
    parent.assert_accessible()
    senco.go(reverse("specialists:referral", args=[world.p1.pk, referral.pk]))
    assert "Rosa One" in senco.page.content() and "agreed on" in senco.page.content()
    senco.assert_accessible()

    # A question for the school, with a meeting asked for; the SENCO answers.
    page.get_by_role("link", name=re.compile("Messages with")).click()
    page.get_by_label("Your message").fill("Could we meet about reading at home?")
    page.get_by_label("I would like a meeting").check()
    page.get_by_role("button", name="Send").click()
    parent.check()
    parent.assert_accessible()
    senco.go(reverse("families:school_thread", args=[world.p1.pk]))
    assert (
        "Could we meet about reading at home?" in senco.page.content()
        and "Would like a meeting" in senco.page.content()
    )
    senco.page.get_by_label("Your message").fill("Yes: Tuesday at 3pm in the library.")
    senco.page.get_by_role("button", name="Send the reply").click()
    senco.check()
    senco.assert_accessible()
    parent.go(reverse("families:thread", args=[world.p1.pk]))
    assert "Tuesday at 3pm in the library" in page.content()


def test_the_pupils_own_form_and_the_senco_pages_pass_axe(browser: Any, live_server: Any, world: World) -> None:
    """The SENCO's Family access (what is shared), the pupil's link, the families waiting list, and
    the pupil's own form on a phone in Welsh and in English: axe on each, no JavaScript."""
    from graduated.families.models import ViewsRequest

    cycle = plan_for_p1(world, [(1, "delivered")])
    ViewsRequest.objects.create(cycle=cycle, requested_by=world.senco_a)
    # With JavaScript, so that axe checks the link's page itself (it answers a POST, once).
    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(reverse("families:manage", args=[world.p1.pk]))
    assert "What the family can see" in senco.page.content()
    senco.assert_accessible()
    senco.page.get_by_role("button", name="Make a link for Priya's own form").click()
    senco.check()
    senco.assert_accessible()
    link = senco.page.locator("#child-form-link").inner_text()
    senco.go(reverse("families:waiting", args=[world.setting_a.pk]))
    senco.assert_accessible()

    pupil = visitor_for(browser, live_server, javascript=False, **PHONE)
    pupil.go(re.sub(r"^https?://[^/]+", "", link))
    pupil.assert_accessible()
    pupil.page.get_by_role("button", name="Cymraeg").click()
    pupil.check()
    assert "Beth wyt ti’n ei feddwl, Priya?" in pupil.page.content()
    pupil.assert_accessible()
    pupil.page.get_by_role("group", name="Sut wyt ti’n teimlo am yr ysgol?").get_by_label("😀 Hapus").check()
    pupil.page.get_by_role("button", name="Anfon at fy athro").click()
    pupil.check()
    assert "Diolch, Priya" in pupil.page.content()
    pupil.assert_accessible()
