"""The demo's family accounts find something to do: the primary parent is asked for their views
(when the plan is under way) and for consent to a referral; the college student has their own."""

from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from graduated.accounts.models import User
from graduated.families.demo import PARENT, STUDENT
from graduated.families.models import FamilyLink


def test_the_demo_parent_is_asked_for_consent_and_the_student_has_their_own_record(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    parent_link = FamilyLink.objects.get(user__email=PARENT)
    student_link = FamilyLink.objects.get(user__email=STUDENT)
    assert student_link.is_young_person and not parent_link.is_young_person
    client = Client()
    client.force_login(User.objects.get(email=PARENT))
    page = client.get(reverse("families:child", args=[parent_link.pupil_id])).content.decode()
    assert "Asking for your agreement" in page and "finds some sounds hard to say" in page
    assert parent_link.pupil.referrals.filter(consent_by="not_yet", referred_on__isnull=True).count() == 1
