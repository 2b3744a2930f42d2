"""A pupil's provision (support app) can name an item of the setting's catalogue."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from graduated.lib.testing import World
from graduated.provision.tests.factories import catalogue_item
from graduated.support.tests.factories import draft_cycle


def test_provision_from_the_catalogue_takes_its_sessions_when_left_blank(
    world: World, client_for: Callable[..., Client]
) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching", sessions_per_week=5, minutes_per_session=10)
    other_settings_item = catalogue_item(world.setting_c, "Not ours")
    cycle = draft_cycle(world.p1)
    url = reverse("support:provision_add", args=[world.p1.pk, cycle.pk])
    client = client_for(world.senco_a)
    form_page = client.get(url).content.decode()
    assert "Precision teaching" in form_page and "Not ours" not in form_page
    data = {"version": cycle.version, "catalogue_item": item.pk, "kind": "intervention", "description": "Sight words"}
    assert client.post(url, {**data, "catalogue_item": other_settings_item.pk}).status_code == 400
    assert client.post(url, data).status_code == 302
    provision = cycle.provisions.get(description="Sight words")
    assert (provision.catalogue_item, provision.sessions_per_week, provision.minutes_per_session) == (item, 5, 10)
    page = client.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "From the catalogue: Precision teaching" in page
