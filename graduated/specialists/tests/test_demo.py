from io import StringIO

from django.core.management import call_command

from graduated.specialists import demo
from graduated.specialists.models import Recommendation, Referral, ReferralStatus, Service


def test_the_demo_has_directories_and_referrals_in_every_state(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert Service.objects.filter(local_authority__name="Northshire").count() == len(demo.NORTHSHIRE) == 11
    assert Service.objects.filter(local_authority__name="Southborough").count() == 3
    referrals = list(Referral.objects.filter(setting__urn=demo.MILLBECK_URN))
    assert {referral.status for referral in referrals} == set(ReferralStatus)
    in_place = Recommendation.objects.filter(referral__in=referrals, status="put_in_place")
    assert in_place.count() == 3
    for recommendation in in_place.select_related("provision__cycle", "referral"):
        # Linked to a provision of the pupil's own current cycle.
        assert recommendation.provision.cycle.pupil_id == recommendation.referral.pupil_id
        assert recommendation.provision.cycle.status != "closed"
    assert Recommendation.objects.filter(referral__in=referrals, status="not_put_in_place").count() == 1

    counts = (Service.objects.count(), Referral.objects.count(), Recommendation.objects.count())
    assert set(demo.load_demo_data().values()) == {0}  # run again: nothing added
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert (Service.objects.count(), Referral.objects.count(), Recommendation.objects.count()) == counts
