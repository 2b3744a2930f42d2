"""One term of the graduated response, end to end in a real browser, as the people who do it.

A class teacher raises a concern; the SENCO starts SEN support and writes the plan (three outcomes,
two provisions) and records telling the parents; the teacher reads it; the teaching assistant logs
sessions on a phone; at the review date the SENCO reviews with the parents' and pupil's views;
the next cycle starts from that review; the whole history downloads as one PDF. axe-core checks
every page on the way.
"""

import io
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest

from graduated.audit.services import Actor
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.testing import World
from graduated.pupils import services as pupil_services
from graduated.pupils.models import StaffRelationship
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, OutcomeRating

pytestmark = pytest.mark.browser

TODAY = date.today()
TERM_START = TODAY - timedelta(weeks=10)  # the plan was made ten weeks ago; its review is due today
OUTCOMES = [
    ("Reads 40 common exception words", "Half-termly word check", "12 words", "40 words", "Cognition and learning"),
    ("Joins in a small-group discussion", "Observation in guided reading", "Silent", "Two contributions",
     "Communication and interaction"),
    ("Writes two sentences independently", "Writing sample", "One sentence with help", "Two sentences",
     "Cognition and learning"),
]  # fmt: skip
PROVISIONS = ["Precision teaching of sight words", "Talk partner group"]


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).click()  # type: ignore[arg-type]
    visitor.page.wait_for_load_state()
    visitor.check()


def _raise_concern(teacher: Visitor, world: World) -> None:
    page = teacher.page
    teacher.sign_in(world.teacher_a.email)
    teacher.go(f"/pupils/{world.p2.pk}/")
    _click(teacher, "link", "Raise a concern")
    _fill_date(page, "raised_on", TERM_START - timedelta(days=14))
    page.get_by_label("Cognition and learning").check()
    page.get_by_label("What have you seen?").fill("Reads well below the class; avoids writing.")
    page.get_by_label("What have you already tried in class?").fill("Word mats; daily phonics catch-up.")
    _click(teacher, "button", "Raise concern")
    assert "Concern raised" in page.content()


def _start_sen_support(senco: Visitor, world: World) -> None:
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"/pathway/settings/{world.setting_a.pk}/concerns/")
    _click(senco, "link", "Paul Two")
    page.get_by_label("Start SEN support").check()
    _fill_date(page, "decided_on", TERM_START - timedelta(days=7))
    _fill_date(page, "parents_notified_on", TERM_START - timedelta(days=7))
    page.get_by_label("Reasons for the decision").fill("Less than expected progress despite adjustments.")
    _click(senco, "button", "Record decision")
    assert "Decision recorded: Start SEN support" in page.content()


def _write_the_plan(senco: Visitor, world: World) -> Cycle:
    page = senco.page
    senco.go(f"/pupils/{world.p2.pk}/cycles/")
    _click(senco, "link", "Start a cycle")
    _fill_date(page, "started_on", TERM_START)
    _click(senco, "button", "Start cycle")
    for description, measure, baseline, target, area in OUTCOMES:
        _click(senco, "link", "Add an outcome")
        page.get_by_label("What will be achieved").fill(description)
        page.get_by_label("How it will be measured").fill(measure)
        page.get_by_label("Starting point (baseline)").fill(baseline)
        page.get_by_label("Target (optional)", exact=True).fill(target)
        _fill_date(page, "by_when", TODAY)
        page.get_by_label(area).check()
        _click(senco, "button", "Save outcome")
        assert "Outcome saved." in page.content()
    for description in PROVISIONS:
        _click(senco, "link", "Add provision")
        page.get_by_label("Intervention").check()
        page.get_by_label("What will be done").fill(description)
        page.locator("[name=delivered_by]").select_option(label="Tom Assistant (teaching assistant)")
        page.get_by_label("Sessions a week (optional)").fill("3")
        page.get_by_label("Minutes a session (optional)").fill("20")
        _click(senco, "button", "Save provision")
    _click(senco, "link", "Agree the plan")
    _fill_date(page, "plan_agreed_on", TERM_START)
    _fill_date(page, "parents_notified_on", TERM_START)
    _fill_date(page, "review_date", TODAY)
    page.get_by_label("At a meeting").check()
    _click(senco, "button", "Agree plan")
    assert "Plan agreed." in page.content()
    return Cycle.objects.get(pupil=world.p2, number=1)


def _log_sessions(phone: Visitor, world: World, cycle: Cycle) -> None:
    page = phone.page
    phone.sign_in(world.ta_a.email)
    sessions = [("Delivered", TODAY - timedelta(days=2)), ("Missed", TODAY)]
    for description, (status, on) in zip(PROVISIONS, sessions, strict=True):
        phone.go(f"/pupils/{world.p2.pk}/cycles/{cycle.pk}/")
        _click(phone, "link", f"Record a session of {description}")
        _fill_date(page, "on", on)
        page.get_by_label(status).check()
        if status == "Missed":
            page.get_by_label("Pupil absent").check()
        _click(phone, "button", "Record session")
        assert f"recorded as {status.lower()}" in page.content()


def _review(senco: Visitor, world: World, cycle: Cycle) -> None:
    page = senco.page
    senco.go(f"/pupils/{world.p2.pk}/cycles/{cycle.pk}/")
    _click(senco, "link", "Record the review")
    _fill_date(page, "held_on", TODAY)
    page.get_by_label("Parents' views on progress").fill("Reading at home every night now.")
    page.get_by_label("Pupil's views on progress").fill("I like the word games.")
    ratings = [OutcomeRating.ACHIEVED, OutcomeRating.PARTLY_ACHIEVED, OutcomeRating.NOT_ACHIEVED]
    measured = ["41 words", "One", "One"]
    for outcome, rating, now in zip(cycle.outcomes.order_by("position"), ratings, measured, strict=True):
        page.locator(f'[name="outcome_{outcome.pk}_rating"][value="{rating}"]').check()
        page.locator(f'[name="outcome_{outcome.pk}_measure_now"]').fill(now)
    first, second = cycle.provisions.order_by("id")
    page.locator(f'[name="provision_{first.pk}_judgement"][value="continue"]').check()
    page.locator(f'[name="provision_{second.pk}_judgement"][value="stop"]').check()
    page.get_by_label("Another cycle of SEN support").check()
    _click(senco, "button", "Record review and close cycle")


def test_one_term_of_the_graduated_response(browser: Any, live_server: Any, world: World) -> None:
    for staff, relationship in (
        (world.teacher_a, StaffRelationship.CLASS_TEACHER),
        (world.ta_a, StaffRelationship.TEACHING_ASSISTANT),
    ):
        pupil_services.link_staff(
            actor=Actor.system("test"), pupil=world.p2, setting=world.setting_a, user=staff, relationship=relationship
        )
    teacher = visitor_for(browser, live_server)
    senco = visitor_for(browser, live_server)
    phone = visitor_for(browser, live_server, viewport={"width": 375, "height": 740})

    _raise_concern(teacher, world)
    _start_sen_support(senco, world)
    assert world.p2.sen_statuses.current().get().status == "K"
    cycle = _write_the_plan(senco, world)
    assert (cycle.outcomes.count(), cycle.provisions.count(), cycle.status) == (3, 2, CycleStatus.DO)

    teacher.go(f"/pupils/{world.p2.pk}/cycles/{cycle.pk}/")
    _click(teacher, "button", "I have read this plan")
    assert cycle.acknowledgements.filter(user=world.teacher_a).exists()

    _log_sessions(phone, world, cycle)
    assert DeliveryRecord.objects.filter(provision__cycle=cycle, recorded_by=world.ta_a).count() == 2

    _review(senco, world, cycle)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert cycle.review.parents_views_on_progress == "Reading at home every night now."

    # The next cycle starts from the review: the two outcomes not achieved and the provision
    # that continues come across; the achieved outcome and the stopped provision do not.
    senco.go(f"/pupils/{world.p2.pk}/cycles/")
    _click(senco, "link", "Start the next cycle")
    _click(senco, "button", "Start cycle")
    second = Cycle.objects.get(pupil=world.p2, number=2)
    assert [o.description for o in second.outcomes.order_by("position")] == [OUTCOMES[1][0], OUTCOMES[2][0]]
    assert [p.description for p in second.provisions.all()] == [PROVISIONS[0]]
    content = senco.page.content()
    assert OUTCOMES[1][0] in content and PROVISIONS[0] in content and PROVISIONS[1] not in content

    # The pupil page now pictures progress: the ratings and each outcome's measures over time.
    senco.go(f"/pupils/{world.p2.pk}/")
    progress = senco.page.get_by_role("region", name="Measures over time (scrolls sideways)")
    assert "Partly achieved One" in " ".join(progress.inner_text().split())

    senco.go(f"/pupils/{world.p2.pk}/cycles/")
    with senco.page.expect_download() as download_info:
        senco.page.get_by_role("link", name="Download every cycle as one PDF").click()
    with open(download_info.value.path(), "rb") as pdf:
        reader = pypdf.PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Cycle 1:" in text and "Cycle 2:" in text
    assert "Reading at home every night now." in text and PROVISIONS[1] in text

    for visitor in (teacher, senco, phone):
        visitor.assert_accessible()
