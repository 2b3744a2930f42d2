from datetime import date

from graduated.guidance import demo, selectors
from graduated.guidance.models import GuidanceSite, PageVersion, Topic
from graduated.organisations.models import LocalAuthority


def test_every_topic_for_both_demo_las_loaded_once(db: None) -> None:
    north = LocalAuthority.objects.create(name="Northshire", code="860")
    south = LocalAuthority.objects.create(name="Southborough", code="931")
    assert demo.load_demo_data() == {"guidance page versions": 2 * len(Topic) + 1}
    assert sorted(GuidanceSite.objects.values_list("slug", flat=True)) == ["northshire", "southborough"]
    for la in (north, south):
        current = selectors.in_force(la, date(2026, 3, 1))
        assert sorted(v.page.topic for v in current) == sorted(Topic.values)
        assert all(v.body and v.title for v in current) and "javascript" not in " ".join(v.body for v in current)
    schools = selectors.in_force_page(north, "schools", date(2026, 3, 1))
    assert schools is not None and schools.number == 2 and "three meetings with parents" in schools.body
    before = selectors.in_force_page(north, "schools", date(2025, 12, 1))
    assert before is not None and before.number == 1 and "Graduated Approach" in before.title
    assert demo.load_demo_data() == {"guidance page versions": 0}  # run again: nothing added
    assert PageVersion.objects.count() == 2 * len(Topic) + 1
