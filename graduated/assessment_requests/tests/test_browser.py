"""A school's request for an EHC needs assessment, end to end in a real browser, as the people who do it.

The SENCO refers Priya to educational psychology, records the report and a recommendation, uploads the
report as a PDF, holds a person-centred planning meeting and writes the My Support Plan agreed at it,
then builds the request (the readiness panel shows Northshire's local rules, one met and one not),
fills in what the record does not hold and sends it. An LA officer finds it in the inbox with its
6-week deadline, opens the evidence bundle the school sent (contents, bookmarks, the report appended),
decides to assess, asks for advice, serves the draft plan and issues the final plan; Priya becomes
EHC plan (E) and the school's page shows it. axe-core checks every page on the way.
"""

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.utils import timezone

from graduated.assessment_requests.models import PreparedRequest
from graduated.ehc.models import EHCRequest, Stage
from graduated.lib.browser import Visitor, visitor_for
from graduated.lib.exports import Outline, Paragraphs, Section, render_pdf
from graduated.lib.testing import World
from graduated.pupils import services as pupil_services
from graduated.rulepacks.models import RuleKind
from graduated.rulepacks.tests.factories import published, rule
from graduated.specialists.models import Referral, ReferralStatus
from graduated.specialists.tests.factories import service
from graduated.support.tests.factories import reviewed_cycle

pytestmark = pytest.mark.browser

FINDING = "Priya's phonological awareness is well below age expectations."
REPORT_TITLE = "Educational psychology report"


def _click(visitor: Visitor, role: str, name: str) -> None:
    visitor.page.get_by_role(role, name=name).first.click()
    visitor.page.wait_for_load_state()
    visitor.check()


def _fill_date(page: Any, name: str, day: date) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(value))


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _content(page: Any) -> str:
    return page.content().replace("&#x27;", "'")


def _report_pdf(tmp_path: Path) -> Path:
    """The educational psychologist's report as the school received it: a real PDF."""
    outline = Outline(
        title="Educational psychology assessment: Priya One",
        subtitle="Northshire Educational Psychology Service",
        produced_on=timezone.localdate(),
        sections=[Section("Findings", [Paragraphs([FINDING])])],
    )
    path = tmp_path / "EP report.pdf"
    path.write_bytes(render_pdf(outline))
    return path


def _refer_and_record_the_report(senco: Visitor, world: World, today: date, report: Path) -> None:
    page = senco.page
    senco.go(f"/pupils/{world.p1.pk}/")
    _click(senco, "link", "Refer to a service for Priya One")
    page.get_by_label("Service").select_option(
        label="Northshire Educational Psychology Service (Educational psychology)"
    )
    page.get_by_label("Reason for the referral").fill("Little progress in reading after a reviewed cycle.")
    page.get_by_label("Parent or carer").check()
    _fill_date(page, "consent_on", today - timedelta(days=200))
    _fill_date(page, "referred_on", today - timedelta(days=190))
    _click(senco, "button", "Save referral")
    assert "Referral to Northshire Educational Psychology Service saved" in page.content()

    _click(senco, "link", "Record dates and advice")
    _fill_date(page, "seen_on", today - timedelta(days=140))
    _fill_date(page, "report_received_on", today - timedelta(days=120))
    page.get_by_label("Advice given (optional)").fill("Daily phonological awareness work in a small group.")
    _click(senco, "button", "Save referral")
    assert Referral.objects.get(pupil=world.p1).status == ReferralStatus.REPORT_RECEIVED

    _click(senco, "link", "Add a recommendation")
    page.get_by_label("Recommendation").fill("Precision teaching of phonics three times a week.")
    _click(senco, "button", "Add recommendation")
    assert "Recommendation added" in page.content()

    senco.go(f"/pupils/{world.p1.pk}/documents/")
    page.get_by_label("Choose a file").set_input_files(str(report))
    page.get_by_label("Title").fill(REPORT_TITLE)
    page.get_by_label("Report from a specialist").check()
    _fill_date(page, "dated", today - timedelta(days=120))
    _click(senco, "button", "Add document")
    assert f"{REPORT_TITLE} has been added" in page.content()


def _hold_the_meeting_and_write_the_plan(senco: Visitor, world: World, today: date) -> None:
    page = senco.page
    senco.go(f"/pupils/{world.p1.pk}/")
    _click(senco, "link", "start one for Priya")
    _click(senco, "link", "Record a person-centred planning meeting")
    _fill_date(page, "held_on", today - timedelta(days=100))
    page.get_by_label("What is working").fill("Reading with Mum every night.")
    page.get_by_label("What is not working").fill("Phonics lessons move too fast.")
    page.get_by_label("What is important to the pupil").fill("My cat Pepper.")
    page.get_by_label("What is important for the pupil").fill("Small steps in reading, with praise.")
    page.get_by_label("What was agreed").fill("To write Priya's My Support Plan and ask for an assessment.")
    page.get_by_label("Sam Senco (SENCO)").check()
    page.locator("[name='attendees-0-kind']").select_option("parent")
    page.locator("[name='attendees-0-name']").fill("Rosa One")
    page.locator("[name='attendees-0-role_or_relationship']").fill("mother")
    _click(senco, "button", "Record meeting")
    assert "Person-centred planning meeting recorded." in page.content()

    _click(senco, "link", "Write the My Support Plan agreed at this meeting")
    page.get_by_label("My views").fill("I want to read like my friends.")
    page.get_by_label("My needs").fill("Specific learning difficulty (reading)")
    page.get_by_label("Not looked after").check()
    page.locator("[name='outcomes-0-description']").fill("Read a book for my age with help")
    page.locator("[name='outcomes-0-who']").fill("Class teacher")
    _fill_date(page, "outcomes-0-by_when", today + timedelta(days=60))
    _fill_date(page, "agreed_on", today - timedelta(days=95))
    _click(senco, "button", "Save plan")
    assert "My Support Plan saved (version 1)." in page.content()


def _build_and_send_the_request(senco: Visitor, world: World, today: date) -> date:
    """The request from the pupil's page; returns the decision deadline the school is told."""
    page = senco.page
    senco.go(f"/pupils/{world.p1.pk}/")
    _click(senco, "link", "Prepare a request for Priya One")
    # Before it is started the readiness panel already shows Northshire's rules against the record.
    assert page.get_by_role("heading", name="My Support Plan agreed Met").is_visible()
    assert page.get_by_role("heading", name="At least 2 completed APDR cycles Not met").is_visible()
    assert "1 of 2 APDR cycles completed" in page.content()
    _click(senco, "button", "Start a request")
    assert "What Northshire will receive" in page.content()
    assert "Enter the people with parental responsibility." in page.content()  # not ready to send yet

    _click(senco, "link", "Change the details")
    # The child's views were copied from the My Support Plan for the school to check.
    assert page.get_by_label("The child's or young person's views").input_value() == "I want to read like my friends."
    page.get_by_label("People with parental responsibility").fill("Rosa One (mother), 1 Ash Lane, 01632 960111")
    page.get_by_label("Attendance this school year (%)").fill("91.5")
    page.get_by_label("Attendance last school year (%)").fill("94")
    page.get_by_label("The parents' views").fill("We want more help with reading.")
    page.get_by_label("Support needed beyond ordinarily available provision").fill(
        "Daily one-to-one teaching of reading by a specialist teacher, beyond what the school can fund."
    )
    page.get_by_label("A parent or carer with parental responsibility").check()
    page.get_by_label("Name of the person who consented").fill("Rosa One")
    _fill_date(page, "consent_on", today - timedelta(days=75))
    page.get_by_label("They agreed that the local authority may share").check()
    _click(senco, "button", "Save the details")
    content = _content(page)
    assert "The request's details are saved." in content
    assert "Enter the people with parental responsibility." not in content
    # What the LA will receive is read from the record: the referral, the report and the plan.
    for expected in ("Northshire Educational Psychology Service", REPORT_TITLE, "Appended to this bundle",
                     "My Support Plan (version 1"):  # fmt: skip
        assert expected in content

    _click(senco, "link", "Check and send the request")
    assert page.get_by_role("heading", name="At least 2 completed APDR cycles Not met").is_visible()
    _click(senco, "button", "Send the request")
    decision_due = today + timedelta(weeks=6)
    assert f"The request was sent to Northshire. It must decide whether to assess by {_long(decision_due)}." in (
        page.content()
    )
    assert "Sent to Northshire on" in page.content() and "Awaiting the decision whether to assess" in page.content()
    return decision_due


def _read_the_bundle(officer: Visitor) -> None:
    """The evidence bundle exactly as the school sent it: contents, bookmarks, the report appended."""
    page = officer.page
    with page.expect_download() as download:
        page.get_by_role("link", name="Evidence bundle as sent on").click()
    reader = pypdf.PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    pages = [each.extract_text() for each in reader.pages]
    contents = next(text for text in pages if "Contents" in text)
    for entry in ("The child or young person", "Professionals involved in the last 18 months",
                  "Support needed beyond ordinarily available provision", "The local authority's local rules",
                  f"Appendix 1: {REPORT_TITLE}"):  # fmt: skip
        assert entry in contents, entry
    assert FINDING in pages[-1]
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    appendix = top_level[-1]
    assert str(appendix.title).startswith(f"Appendix 1: {REPORT_TITLE}")
    assert reader.get_destination_page_number(appendix) == len(pages) - 1


def test_a_senco_requests_an_assessment_and_the_la_issues_a_plan(
    browser: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    today = timezone.localdate()
    # Northshire's local rules for a request: the journey meets the first and not the second.
    published(world.la_north, [rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST), rule(RuleKind.MIN_COMPLETED_CYCLES, 2)])
    reviewed_cycle(world.p1)  # one reviewed cycle of SEN support; the APDR journey is tested elsewhere
    service(world.la_north, "Northshire Educational Psychology Service")
    report = _report_pdf(tmp_path)

    senco = visitor_for(browser, live_server)
    senco.sign_in(world.senco_a.email)
    _refer_and_record_the_report(senco, world, today, report)
    _hold_the_meeting_and_write_the_plan(senco, world, today)
    decision_due = _build_and_send_the_request(senco, world, today)
    prepared = PreparedRequest.objects.get(pupil=world.p1)
    case = prepared.case
    assert case is not None and case.received_on == today

    officer = visitor_for(browser, live_server)
    page = officer.page
    officer.sign_in(world.officer_north.email)
    _click(officer, "link", "EHC casework: Northshire")
    assert "Priya One" in page.content() and decision_due.strftime("%-d %b %Y") in page.content()
    _click(officer, "link", "Priya One")
    assert "Ash Primary School" in page.content()
    _read_the_bundle(officer)

    # Eight weeks pass. The live server's clock cannot move, and the final plan must come at least 15
    # days after the draft with no date in the future, so the request is moved back to 60 days ago.
    received = today - timedelta(days=60)
    EHCRequest.objects.filter(pk=case.pk).update(received_on=received)
    PreparedRequest.objects.filter(pk=prepared.pk).update(submitted_on=received)
    page.reload()
    officer.check()
    assert f"Evidence bundle as sent on {_long(received)} (PDF)" in page.content()

    _click(officer, "link", "Record the decision whether to assess")
    page.get_by_label("To assess", exact=True).check()
    _fill_date(page, "decided_on", received + timedelta(days=20))
    page.get_by_label("Reasons").fill("Little progress after SEN support and an educational psychologist's advice.")
    _click(officer, "button", "Record decision")
    assert "Decision recorded" in page.content()

    _click(officer, "link", "Ask for advice")
    page.get_by_label("Advice from").select_option(label="Educational psychologist")
    page.get_by_label("Who was asked").fill("Northshire EPS")
    _fill_date(page, "asked_on", received + timedelta(days=21))
    _click(officer, "button", "Record request for advice")
    _click(officer, "link", "Mark received from Northshire EPS")
    _fill_date(page, "received_on", received + timedelta(days=35))
    _click(officer, "button", "Mark received")
    assert "Advice marked received" in page.content()

    _click(officer, "link", "Serve the draft plan")
    _fill_date(page, "draft_issued_on", received + timedelta(days=40))
    page.get_by_label("A. The child or young person's views, interests and aspirations").fill(
        "Priya loves her cat Pepper and wants to read like her friends."
    )
    _click(officer, "button", "Record draft plan")
    assert f"the family's comments close {_long(received + timedelta(days=54))}" in _content(page)

    _click(officer, "link", "Issue the final plan")
    _fill_date(page, "final_issued_on", today)
    _click(officer, "button", "Issue final plan")
    assert "The pupil's SEN status is now EHC plan (E)" in _content(page)
    assert EHCRequest.objects.get(pk=case.pk).stage == Stage.FINAL
    current = pupil_services.current_status(world.p1)
    assert current is not None and (current.status, current.start_date) == ("E", today)

    # The school sees where its request has got to.
    senco.go(f"/pupils/{world.p1.pk}/ehc-request/")
    assert "Final plan issued" in senco.page.content()
    senco.assert_accessible()
    officer.assert_accessible()
