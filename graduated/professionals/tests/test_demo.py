from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from graduated.accounts.models import User
from graduated.demo.data import DEMO_PASSWORD
from graduated.lib.testing import complete_second_step
from graduated.professionals import demo
from graduated.professionals.models import ProfessionalAdvice, ProfessionalGrant


def test_the_demo_professional_signs_in_and_sees_one_live_pupil(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    grants = ProfessionalGrant.objects.filter(user__email=demo.EMAIL, setting__urn=demo.MILLBECK_URN)
    assert grants.count() == 2 and grants.live().count() == 1
    live = grants.live().get()
    assert ProfessionalAdvice.objects.filter(grant=live).count() == 1

    client = Client()
    assert client.login(username=demo.EMAIL, password=DEMO_PASSWORD)
    complete_second_step(client, User.objects.get(email=demo.EMAIL))  # enrolled with the demo's secret
    assert client.get(reverse("professionals:pupil", args=[live.pupil_id])).status_code == 200
    expired = grants.exclude(pk=live.pk).get()
    assert client.get(reverse("professionals:pupil", args=[expired.pupil_id])).status_code == 404

    assert set(demo.load_demo_data().values()) == {0}  # run again: nothing added
    assert ProfessionalGrant.objects.count() == 2
