from datetime import date

from django.utils import timezone

from graduated.lib.testing import World
from graduated.oap import demo, selectors
from graduated.oap.models import ConcernStrategy, Level, OAPVersion, ProvisionStrategy, SelfReview
from graduated.pathway.models import Concern
from graduated.pupils.codes import BroadArea
from graduated.support.tests.factories import draft_cycle


def test_demo_oap_for_both_las_with_links_and_self_reviews_loaded_once(world: World) -> None:
    Concern.objects.create(
        pupil=world.p1, raised_on=date(2026, 10, 5), areas=["CL", "SEMH"], what_is_seen="Seen.", already_tried="Tried."
    )
    draft_cycle(world.p1)
    counts = demo.load_demo_data()
    assert counts == {"OAP versions": 2, "OAP strategies linked": 3, "OAP self-reviews": 3}

    version = selectors.in_force(world.la_north, timezone.localdate())
    assert version is not None and version.expectations.count() == 12
    assert len({e.theme for e in version.expectations.all()}) == 4
    for area in BroadArea.values:
        for level in Level.values:
            assert 5 <= version.strategies.filter(area=area, level=level).count() <= 8
    tried = ConcernStrategy.objects.order_by("strategy__area")
    assert [(link.strategy.area, link.strategy.level) for link in tried] == [("CL", "qft"), ("SEMH", "qft")]
    assert ProvisionStrategy.objects.get().provision.kind == "strategy"
    reviews = {r.setting.name: r for r in SelfReview.objects.select_related("setting")}
    assert reviews["Ash Primary School"].is_complete and not reviews["Beech Academy"].is_complete
    assert reviews["Ash Primary School"].answers.count() == 12 and reviews["Beech Academy"].answers.count() == 5
    assert reviews["Cedar School"].is_complete  # Southborough's only setting

    assert demo.load_demo_data() == {"OAP versions": 0, "OAP strategies linked": 0, "OAP self-reviews": 0}
    assert OAPVersion.objects.count() == 2
