"""The LA admin adds a course; the SENCO records a member of staff's training; a teacher confirms they
have read a pupil's needs; the SENCO sees it. axe-core checks every page on the way, error pages
included."""

from typing import Any

import pytest

from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.training.models import Awareness, Course, TrainingRecord

pytestmark = pytest.mark.browser


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def test_a_course_is_added_training_recorded_and_awareness_confirmed(
    browser: Any, live_server: Any, world: World
) -> None:
    admin = visitor_for(browser, live_server)
    page = admin.page
    admin.sign_in(world.la_admin_north.email)
    admin.go(f"/training/la/{world.la_north.pk}/courses/")
    _click(admin, "link", "Add a course")
    page.get_by_label("Title").fill("Emotion coaching")
    page.get_by_label("Short description").fill("A relational approach to behaviour.")
    page.get_by_label("Provider").fill("Northshire Educational Psychology Service")
    page.get_by_label("Face to face").check()
    page.get_by_label("Length in hours").fill("lots")
    page.get_by_label("Social, emotional and mental health").check()
    page.get_by_label("All staff").check()
    _click(admin, "button", "Add the course")
    assert "Enter the length in hours as a number" in page.content()  # the error page is checked too
    page.get_by_label("Length in hours").fill("3")
    _click(admin, "button", "Add the course")
    assert "Course added: Emotion coaching." in page.content()
    admin.assert_accessible()
    course = Course.objects.get()

    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    senco.go(f"/training/settings/{world.setting_a.pk}/staff/")
    _click(senco, "link", "Tom Assistant")
    _click(senco, "link", "Record training")
    senco.page.get_by_label("Course from the local authority's offer").select_option(label=course.title)
    senco.page.get_by_label("Day").first.fill("3")
    senco.page.get_by_label("Month").first.fill("11")
    senco.page.get_by_label("Year").first.fill("2025")
    _click(senco, "button", "Record the training")
    assert "Training recorded: Emotion coaching." in senco.page.content()
    assert TrainingRecord.objects.get().user == world.ta_a

    teacher = visitor_for(browser, live_server)
    teacher.sign_in(world.teacher_a.email)
    teacher.go(f"/training/pupils/{world.p1.pk}/awareness/")
    _click(teacher, "button", "Confirm")
    assert "Select what you have read" in teacher.page.content()
    teacher.page.get_by_label("One-page profile").check()
    _click(teacher, "button", "Confirm")
    assert "you have confirmed you have read Priya" in teacher.page.content()
    assert Awareness.objects.get().user == world.teacher_a
    teacher.assert_accessible()

    senco.go(f"/training/settings/{world.setting_a.pk}/awareness/")
    content = senco.page.content()
    assert "Tom Assistant (teaching assistant)" in content and "Tia Teacher (class teacher)" not in content
    _click(senco, "link", "Priya One")
    assert "Confirmed" in senco.page.content()
    senco.assert_accessible()
