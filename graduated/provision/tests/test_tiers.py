"""An LA names the tiers in its own words; its settings' catalogues use them."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from graduated.lib.testing import World
from graduated.provision.models import TierName
from graduated.provision.tests.factories import catalogue_item

USUAL = "Universal|Targeted|Specialist"


def _names(universal: str = "Universal", targeted: str = "Targeted", specialist: str = "Specialist") -> dict[str, str]:
    return {"universal": universal, "targeted": targeted, "specialist": specialist}


def test_la_admin_names_a_tier_and_settings_see_the_name(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("provision:name_tiers", args=[world.la_north.pk])
    response = client_for(world.la_admin_north).post(url, {**_names(targeted="Targeted plus"), "seen": USUAL})
    assert response.status_code == 302
    assert list(TierName.objects.values_list("local_authority", "tier", "name")) == [
        (world.la_north.pk, "targeted", "Targeted plus")
    ]
    catalogue_item(world.setting_a, tier="targeted")
    catalogue_item(world.setting_c, tier="targeted")
    north = client_for(world.senco_a).get(reverse("provision:catalogue", args=["setting", world.setting_a.pk]))
    south = client_for(world.senco_c).get(reverse("provision:catalogue", args=["setting", world.setting_c.pk]))
    assert "Targeted plus" in north.content.decode()
    assert "Targeted plus" not in south.content.decode()  # another LA keeps the usual words
    form = client_for(world.senco_a).get(reverse("provision:add_item", args=["setting", world.setting_a.pk]))
    assert "Targeted plus" in form.content.decode()  # the item form offers the LA's word


def test_setting_a_name_back_to_the_usual_word_removes_the_las_own(
    world: World, client_for: Callable[..., Client]
) -> None:
    TierName.objects.create(local_authority=world.la_north, tier="targeted", name="Targeted plus")
    url = reverse("provision:name_tiers", args=[world.la_north.pk])
    seen = "Universal|Targeted plus|Specialist"
    assert client_for(world.la_admin_north).post(url, {**_names(), "seen": seen}).status_code == 302
    assert not TierName.objects.exists()


def test_a_blank_name_is_explained_and_nothing_changes(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("provision:name_tiers", args=[world.la_north.pk])
    response = client_for(world.la_admin_north).post(url, {**_names(specialist=" "), "seen": USUAL})
    assert response.status_code == 400
    assert "Enter a name for the specialist tier" in response.content.decode()
    assert not TierName.objects.exists()


def test_a_stale_save_is_refused_and_shows_the_names_as_they_are_now(
    world: World, client_for: Callable[..., Client]
) -> None:
    url = reverse("provision:name_tiers", args=[world.la_north.pk])
    TierName.objects.create(local_authority=world.la_north, tier="universal", name="Ordinarily available")
    # This admin opened the form before that change and now saves other names.
    response = client_for(world.la_admin_north).post(url, {**_names(targeted="Enhanced"), "seen": USUAL})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed the tier names" in page and 'value="Ordinarily available"' in page
    assert list(TierName.objects.values_list("name", flat=True)) == ["Ordinarily available"]


def test_an_officer_may_not_name_tiers(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("provision:name_tiers", args=[world.la_north.pk])
    assert client_for(world.officer_north).post(url, {**_names(), "seen": USUAL}).status_code == 404
