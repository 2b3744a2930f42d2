from io import StringIO

from django.core.management import call_command

from graduated.provision.models import CatalogueItem
from graduated.pupils.codes import BroadArea


def test_the_demo_has_a_shared_catalogue_adopted_and_adapted_by_millbeck(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    shared = CatalogueItem.objects.filter(local_authority__code="860")
    assert shared.count() == 20
    assert {area for item in shared for area in item.areas} == {area.value for area in BroadArea}
    millbeck = CatalogueItem.objects.filter(setting__urn="146208")
    assert millbeck.filter(adopted_from__isnull=False).count() == 12
    assert millbeck.filter(adopted_from__isnull=True).count() == 2
    paired = millbeck.get(name="Paired reading")
    assert (paired.sessions_per_week, paired.adopted_from.sessions_per_week) == (4, 3)  # type: ignore[union-attr]
