import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import docx
import pypdf
from django.db import connection
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.assessment_requests.models import BundleStatus, PreparedRequest
from graduated.assessment_requests.tasks import build_bundle
from graduated.assessment_requests.tests import factories
from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc.models import EHCRequest, RequestSource
from graduated.lib.testing import World
from graduated.specialists.tests import factories as specialist_factories
from graduated.support.tests import factories as support_factories


def _page(world: World) -> str:
    return reverse("assessment_requests:page", args=[world.p1.pk])


def _url(name: str, prepared: PreparedRequest) -> str:
    return reverse(f"assessment_requests:{name}", args=[prepared.pupil_id, prepared.pk])


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _body(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_senco_starts_a_request_from_the_pupil_page(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    pupil_page = client.get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Prepare a request" in pupil_page and _page(world) in pupil_page
    before = client.get(_page(world)).content.decode()
    assert "Start a request" in before and "Anyone may request an assessment" in before
    response = client.post(reverse("assessment_requests:start", args=[world.p1.pk]))
    assert response.status_code == 302
    client.post(reverse("assessment_requests:start", args=[world.p1.pk]))  # a double click
    prepared = PreparedRequest.objects.get(pupil=world.p1)
    page = client.get(_page(world)).content.decode()
    for expected in (
        "Details the school adds",
        "Enter the people with parental responsibility.",
        "What Northshire will receive",
        "Strengths and needs by broad area",
        "Costed provision map",
    ):
        assert expected in page  # fmt: skip
    assert _url("details", prepared) in page and _url("bundle", prepared) in page
    # The head reads it but cannot start or change it (one test client: signing in replaces the SENCO).
    head_page = client_for(world.head_a).get(_page(world)).content.decode()
    assert "What Northshire will receive" in head_page and _url("details", prepared) not in head_page


def test_bad_details_are_a_400_and_change_nothing(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.started(world.p1)
    client = client_for(world.senco_a)
    response = client.post(
        _url("details", prepared),
        {"attendance_this_year": "ninety", "consent_on_0": "31", "consent_on_1": "2", "consent_on_2": "2026",
         "parental_responsibility": "Rosa One", "version": prepared.version},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the attendance this school year as a percentage from 0 to 100, like 92.5" in body
    assert "must be a real date" in body
    prepared.refresh_from_db()
    assert (prepared.parental_responsibility, prepared.version) == ("", 1)


def test_a_young_person_under_16_cannot_be_the_one_who_consented(
    world: World, client_for: Callable[..., Client]
) -> None:
    prepared = factories.started(world.p1)
    today = timezone.localdate()
    response = client_for(world.senco_a).post(
        _url("details", prepared),
        {"consent_by": "young_person", "consent_name": "Priya", "consent_on_0": today.day,
         "consent_on_1": today.month, "consent_on_2": today.year, "version": prepared.version},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Priya was under 16 on that date" in response.content.decode()


def test_two_people_editing_the_details_at_once(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.started(world.p1)
    client = client_for(world.senco_a)
    first = client.post(_url("details", prepared), {"parental_responsibility": "Rosa One", "version": 1})
    assert first.status_code == 302
    second = client.post(_url("details", prepared), {"parental_responsibility": "Someone else", "version": 1})
    assert second.status_code == 400
    assert "Someone else saved this request" in second.content.decode()
    assert "Someone else" in second.content.decode()  # the typing is kept
    prepared.refresh_from_db()
    assert prepared.parental_responsibility == "Rosa One"


def test_the_bundle_has_a_contents_page_bookmarks_and_the_reports_appended(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    factories.add_report(world.p1, "Speech and language report", today - timedelta(days=20))
    factories.add_report(world.p1, "Broken upload", today - timedelta(days=10), content=b"%PDF-1.4 broken")
    prepared = factories.ready(world.p1, today)
    response = client_for(world.senco_a).get(_url("bundle", prepared))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = _text(response.content)
    contents = next(text for text in pages if "Contents" in text)
    for entry in (
        "The child or young person",
        "Professionals involved in the last 18 months",
        "Educational psychology report",
        "Speech and language report",
        "Broken upload",
    ):
        assert entry in contents  # fmt: skip
    assert "Educational psychology report text" in pages[-2] and "Speech and language report text" in pages[-1]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top_level] == [
        "Request for an EHC needs assessment: Priya One",
        f"Appendix 1: Educational psychology report ({today - timedelta(days=40):%-d %B %Y})",
        f"Appendix 2: Speech and language report ({today - timedelta(days=20):%-d %B %Y})",
    ]
    assert reader.get_destination_page_number(top_level[2]) == len(pages) - 1


def test_the_request_form_is_a_word_file(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.ready(world.p1, timezone.localdate())
    response = client_for(world.head_a).get(_url("form_docx", prepared))
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "People with parental responsibility" in headings and "Consent" in headings
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Rosa One (mother), 1 Ash Lane, 01632 960111" in " ".join(
        document.paragraphs[i].text for i in range(len(document.paragraphs))
    )
    assert "Rosa One (A parent or carer with parental responsibility)" in cells


def test_sending_puts_the_request_in_the_las_inbox_at_once_and_the_bundle_follows_from_the_background(
    world: World, client_for: Callable[..., Client], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = factories.DUMMY_TASKS  # queued, not run: the test plays the worker
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    factories.add_report(world.p1, "Speech and language report", today - timedelta(days=20))
    factories.add_report(world.p1, "Broken upload", today - timedelta(days=10), content=b"%PDF-1.4 broken")
    prepared = factories.ready(world.p1, today)
    senco = client_for(world.senco_a)
    confirm = senco.get(_url("submit", prepared)).content.decode()
    assert "Send the request to Northshire" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = senco.post(_url("submit", prepared), {"version": prepared.version})
    assert response.status_code == 302
    again = senco.post(_url("submit", prepared), {"version": prepared.version})  # a double submit
    assert again.status_code == 302
    case = EHCRequest.objects.get(pupil=world.p1)
    assert (case.source, case.requesting_setting, case.received_on) == (
        RequestSource.EDUCATION_SETTING,
        world.setting_a,
        today,
    )
    assert case.requested_by == "Ash Primary School (Sam Senco)"
    # Sent, not built: the build is queued for the worker.
    assert factories.queued_builds() == [prepared.pk]
    prepared.refresh_from_db()
    assert (prepared.bundle_status, prepared.bundle.name) == (BundleStatus.BUILDING, "")

    # The school's page says so and reloads itself (no JavaScript needed), unless asked not to.
    building = senco.get(_page(world))
    text = building.content.decode()
    assert "Awaiting the decision whether to assess" in text and "The evidence bundle is being prepared." in text
    assert "Step 1 of 2: waiting for the service" in text and "Stop refreshing this page" in text
    assert building["Refresh"] == "3" and _url("bundle", prepared) not in text
    still = senco.get(_page(world) + "?refresh=off")
    assert "Refresh" not in still and "This page does not refresh itself." in still.content.decode()
    # The LA has the case at once; its bundle is on the way.
    officer = client_for(world.officer_north)
    inbox = officer.get(reverse("ehc:inbox", args=[world.la_north.pk])).content.decode()
    assert "Priya One" in inbox and f"{case.deadlines.decision_to_assess:%-d %b %Y}" in inbox
    case_url = reverse("ehc:case", args=[world.la_north.pk, case.pk])
    bundle_url = reverse("ehc:school_bundle", args=[world.la_north.pk, case.pk])
    case_page = officer.get(case_url).content.decode()
    assert "The evidence bundle is being prepared" in case_page and "Refresh this page" in case_page
    assert bundle_url not in case_page
    # A download before the bundle is ready is a page that says so, for the school and the LA.
    early = officer.get(bundle_url)
    assert early.status_code == 409 and early["Content-Type"].startswith("text/html")
    assert "The evidence bundle is being prepared" in early.content.decode()
    early = client_for(world.senco_a).get(_url("bundle", prepared))
    assert early.status_code == 409 and "The evidence bundle is being prepared" in early.content.decode()

    build_bundle.call(prepared.pk)  # the worker runs the task

    senco = client_for(world.senco_a)
    ready = senco.get(_page(world))
    assert "Refresh" not in ready and "Evidence bundle as sent" in ready.content.decode()
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    from_school = senco.get(_url("bundle", prepared))
    assert isinstance(from_school, FileResponse) and from_school["Content-Type"] == "application/pdf"
    from_school_pdf = _body(from_school)
    officer = client_for(world.officer_north)
    assert bundle_url in officer.get(case_url).content.decode()
    from_la = officer.get(bundle_url)
    assert isinstance(from_la, FileResponse)
    assert _body(from_la) == from_school_pdf
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before + 2
    # The bundle as before: the request with its contents page, then the readable reports, each bookmarked.
    pages = _text(from_school_pdf)
    contents = next(text for text in pages if "Contents" in text)
    for entry in ("The child or young person", "Educational psychology report", "Speech and language report",
                  "Broken upload"):  # fmt: skip
        assert entry in contents
    assert "Reading age" in " ".join(pages) and "submitted " in pages[0]
    assert "Educational psychology report text" in pages[-2] and "Speech and language report text" in pages[-1]
    reader = pypdf.PdfReader(io.BytesIO(from_school_pdf))
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top_level] == [
        "Request for an EHC needs assessment: Priya One",
        f"Appendix 1: Educational psychology report ({today - timedelta(days=40):%-d %B %Y})",
        f"Appendix 2: Speech and language report ({today - timedelta(days=20):%-d %B %Y})",
    ]
    assert reader.get_destination_page_number(top_level[2]) == len(pages) - 1


def test_an_incomplete_request_cannot_be_sent(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.started(world.p1)
    senco = client_for(world.senco_a)
    assert "Fill in the details" in senco.get(_url("submit", prepared)).content.decode()
    response = senco.post(_url("submit", prepared), {"version": prepared.version})
    assert response.status_code == 400
    assert "Enter the people with parental responsibility." in response.content.decode()
    assert not EHCRequest.objects.exists()
    assert senco.post(_url("submit", prepared), {"version": "x"}).status_code == 400


def test_another_settings_request_is_not_found(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.ready(world.p4, timezone.localdate())
    foreign = reverse("assessment_requests:bundle", args=[world.p1.pk, prepared.pk])
    assert client_for(world.senco_a).get(foreign).status_code == 404


def test_the_page_takes_the_same_queries_whatever_the_record(world: World, client_for: Callable[..., Client]) -> None:
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    factories.ready(world.p1, today)
    client = client_for(world.senco_a)
    client.get(_page(world))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_page(world)).status_code == 200
    cycle = support_factories.reviewed_cycle(world.p1)  # a second cycle, with its evidence
    factories.add_report(world.p1, "Second report", today - timedelta(days=5))
    specialist_factories.referral(world.p1, consent_on=today - timedelta(days=50), referred_on=today - timedelta(40))
    assert cycle.number == 2
    with CaptureQueriesContext(connection) as large:
        assert client.get(_page(world)).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
