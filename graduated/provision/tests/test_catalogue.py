from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.lib.testing import World
from graduated.provision.models import CatalogueItem
from graduated.provision.tests.factories import catalogue_item, form_data, item_details

ClientFor = Callable[..., Client]


def _add_url(world: World) -> str:
    return reverse("provision:add_item", args=["setting", world.setting_a.pk])


def test_the_senco_adds_an_intervention(world: World, client_for: ClientFor) -> None:
    response = client_for(world.senco_a).post(_add_url(world), form_data(item_details(areas=["SEMH", "CL"])))
    assert response.status_code == 302
    item = CatalogueItem.objects.get(setting=world.setting_a)
    assert (item.name, item.areas, item.minutes_per_week) == ("Precision teaching", ["CL", "SEMH"], 50)
    page = client_for(world.head_a).get(reverse("provision:catalogue", args=["setting", world.setting_a.pk]))
    assert "Precision teaching" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"areas": []}, "Select at least one broad area of need"),
        ({"group_size": 0}, "greater than or equal to 1"),
        ({"measure_kind": ""}, "Select what kind of score the measure gives"),
        ({"evidence_link": "not a link"}, "Enter a valid URL"),
    ],
)
def test_bad_input_saves_nothing(world: World, client_for: ClientFor, changes: dict[str, object], message: str) -> None:
    response = client_for(world.senco_a).post(_add_url(world), form_data(item_details(**changes)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CatalogueItem.objects.exists()


def test_two_items_of_one_catalogue_cannot_share_a_name(world: World, client_for: ClientFor) -> None:
    catalogue_item(world.setting_a, "Precision teaching")
    response = client_for(world.senco_a).post(_add_url(world), form_data(item_details("precision TEACHING")))
    assert response.status_code == 400
    assert CatalogueItem.objects.count() == 1


def test_a_stale_edit_is_refused_and_the_other_change_kept(world: World, client_for: ClientFor) -> None:
    item = catalogue_item(world.setting_a)
    url = reverse("provision:edit_item", args=["setting", world.setting_a.pk, item.pk])
    client = client_for(world.senco_a)
    assert client.post(url, form_data(item_details(typical_weeks=12), version=1)).status_code == 302
    response = client.post(url, form_data(item_details(typical_weeks=8), version=1))
    assert response.status_code == 400
    assert "Someone else changed this item" in response.content.decode()
    item.refresh_from_db()
    assert (item.typical_weeks, item.version) == (12, 2)


def test_a_setting_adopts_its_las_item_once(world: World, client_for: ClientFor) -> None:
    shared = catalogue_item(world.la_north, "Talk boost", typical_weeks=10)
    client = client_for(world.senco_a)
    catalogue_url = reverse("provision:catalogue", args=["setting", world.setting_a.pk])
    assert "Shared by Northshire" in client.get(catalogue_url).content.decode()
    adopt_url = reverse("provision:adopt", args=[world.setting_a.pk, shared.pk])
    assert client.post(adopt_url).status_code == 302
    copy = CatalogueItem.objects.get(setting=world.setting_a)
    assert (copy.name, copy.adopted_from, copy.typical_weeks) == ("Talk boost", shared, 10)
    client.post(adopt_url)  # a double submit
    assert CatalogueItem.objects.filter(setting=world.setting_a).count() == 1
    assert "Shared by Northshire" not in client.get(catalogue_url).content.decode()


def test_another_las_item_cannot_be_adopted(world: World, client_for: ClientFor) -> None:
    foreign = catalogue_item(world.la_south, "Talk boost")
    response = client_for(world.senco_a).post(reverse("provision:adopt", args=[world.setting_a.pk, foreign.pk]))
    assert response.status_code == 404
    assert not CatalogueItem.objects.filter(setting=world.setting_a).exists()


def test_the_catalogue_runs_a_fixed_number_of_queries(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:catalogue", args=["setting", world.setting_a.pk])
    catalogue_item(world.setting_a, "One")
    catalogue_item(world.la_north, "Shared one")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(15):
        catalogue_item(world.setting_a, f"Item {number}")
        catalogue_item(world.la_north, f"Shared {number}")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
