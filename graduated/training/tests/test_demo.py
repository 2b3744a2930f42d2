from graduated.lib.testing import World
from graduated.pupils.models import StaffLink
from graduated.training import demo, selectors
from graduated.training.models import Awareness, Course, TrainingRecord


def test_each_demo_la_gets_an_offer_across_the_four_areas_and_its_staff_training_once(world: World) -> None:
    counts = demo.load_demo_data()
    assert counts["training courses"] == 18
    for la, expected in [(world.la_north, 10), (world.la_south, 8)]:
        offered, withdrawn = selectors.offer(la)
        assert len(offered) == expected and not withdrawn
        assert {area for course in offered for area in course.areas} == {"CI", "CL", "SEMH", "SP"}
    staff_a = {"senco_a", "teacher_a", "ta_a", "other_teacher_a", "head_a"}
    trained = set(TrainingRecord.objects.filter(setting=world.setting_a).values_list("user__email", flat=True))
    assert trained == {world.persona(name).email for name in staff_a}
    records = TrainingRecord.objects.filter(setting=world.setting_a).select_related("course")
    assert any(entry.has_expired() for entry in records) and not all(entry.has_expired() for entry in records)
    assert all(entry.course is None or entry.course.local_authority_id == world.la_north.pk for entry in records)
    # P1 is on the register with two linked staff: one has confirmed, the other has not yet.
    assert StaffLink.objects.filter(pupil=world.p1).count() == 2
    assert Awareness.objects.filter(pupil=world.p1).count() == 1
    assert counts["awareness confirmations"] == Awareness.objects.count()

    assert demo.load_demo_data() == {"training courses": 0, "staff training records": 0, "awareness confirmations": 0}
    assert Course.objects.count() == 18
