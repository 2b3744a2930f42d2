"""The demo's one-page profiles: present, realistic, and consistent with the chronology."""

from datetime import date

import pytest
from django.core.management import call_command

from graduated.profiles.models import OnePageProfile, ProfileVersion
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil, SENStatusPeriod


@pytest.mark.django_db
def test_the_demo_writes_profiles_for_about_half_the_register() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", verbosity=0)
    on_register = set(
        SENStatusPeriod.objects.current().filter(status__in=["K", "E"]).values_list("pupil_id", flat=True)
    )
    profiles = list(OnePageProfile.objects.order_by("pk"))
    with_profile = {p.pupil_id for p in profiles}
    assert with_profile <= on_register
    assert 0.35 * len(on_register) <= len(with_profile) <= 0.65 * len(on_register)

    versions = list(ProfileVersion.objects.select_related("profile").order_by("profile_id", "number"))
    counts = [p.version for p in profiles]
    assert set(counts) == {1, 2, 3} and counts.count(1) < len(counts)
    assert len(versions) == sum(counts)
    for profile in profiles:
        mine = [v for v in versions if v.profile_id == profile.pk]
        assert [v.number for v in mine] == list(range(1, profile.version + 1))
        dates = [v.written_on for v in mine]
        assert dates == sorted(dates) and dates[-1] <= date(2026, 11, 13)
        assert all(v.recorded_by is not None and v.has_contributors for v in mine)

    # Written in the child's voice, and varied.
    supports = {v.how_to_support for v in versions}
    assert len(supports) > 0.8 * len(versions)
    assert sum(v.important_to_me.startswith(("I ", "My ")) for v in versions) > 0
    assert ChronologyEntry.objects.filter(kind=ChronologyKind.PROFILE_UPDATED).count() == len(versions)
    assert Pupil.objects.filter(pk__in=with_profile).count() == len(profiles)
