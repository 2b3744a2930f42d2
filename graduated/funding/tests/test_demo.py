from io import StringIO

from django.core.management import call_command

from graduated.funding import demo
from graduated.funding.models import AwardKind, FundingAward, TopUpApplication


def test_the_demo_has_applications_in_every_state_and_early_years_awards(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    applications = TopUpApplication.objects.filter(setting__urn=demo.MILLBECK_URN)
    assert sorted(applications.values_list("status", flat=True)) == ["approved", "declined", "draft", "submitted"]
    assert applications.exclude(status="draft").filter(map_total__isnull=True).count() == 0  # the map is attached
    assert len(set(applications.values_list("pupil", flat=True))) == 4
    awards = FundingAward.objects.filter(setting__urn=demo.LITTLE_WRENS_URN)
    assert {award.kind for award in awards} == {AwardKind.SEN_INCLUSION_FUND, AwardKind.DISABILITY_ACCESS_FUND}
    assert awards.get(kind=AwardKind.DISABILITY_ACCESS_FUND).amount == 938

    counts = (TopUpApplication.objects.count(), FundingAward.objects.count())
    assert set(demo.load_demo_data().values()) == {0}  # run again: nothing added
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert (TopUpApplication.objects.count(), FundingAward.objects.count()) == counts
