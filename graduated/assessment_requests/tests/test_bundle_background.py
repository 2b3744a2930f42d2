"""The evidence bundle of a sent request, made in the background (tasks.build_bundle, bundles.make_bundle):
what it holds (what was true when the request was sent), a build that fails and "try again", a build
that stopped, two attempts at once, the states on the school's and the LA's pages, and sending twice."""

import io
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import docx
import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.assessment_requests import bundles, services
from graduated.assessment_requests.models import BUNDLE_STUCK_AFTER, BundleStatus, PreparedRequest
from graduated.assessment_requests.tasks import build_bundle
from graduated.assessment_requests.tests import factories
from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc.models import EHCRequest
from graduated.lib import submit_once
from graduated.lib.exports import ExportUnavailableError
from graduated.lib.testing import World
from graduated.support.tests import factories as support_factories

ClientFor = Callable[..., Client]
_TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')


def _page(world: World) -> str:
    return reverse("assessment_requests:page", args=[world.p1.pk])


def _url(name: str, prepared: PreparedRequest) -> str:
    return reverse(f"assessment_requests:{name}", args=[prepared.pupil_id, prepared.pk])


def _case_urls(prepared: PreparedRequest) -> tuple[str, str]:
    case = EHCRequest.objects.get(prepared_request=prepared)
    args = [case.local_authority_id, case.pk]
    return reverse("ehc:case", args=args), reverse("ehc:school_bundle", args=args)


def _sent(pupil: Any, today: date) -> PreparedRequest:
    prepared = factories.ready(pupil, today)
    services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=today)
    prepared.refresh_from_db()
    return prepared


def _pdf(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def _unavailable(outline: Any, appendices: Any) -> Any:
    raise ExportUnavailableError("PDF export needs the Pango library.")


def test_the_bundle_holds_what_was_true_when_the_request_was_sent(world: World, client_for: ClientFor) -> None:
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    prepared = _sent(world.p1, today)
    # Between the sending and the build the record moves on: a new report, a new cycle, a report removed.
    factories.add_report(world.p1, "Report filed after sending", today)
    support_factories.reviewed_cycle(world.p1)
    build_bundle.call(prepared.pk)
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.READY and prepared.bundle_error == ""
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(_pdf(client_for(world.head_a), _url(
        "bundle", prepared)))).pages]  # fmt: skip
    text = " ".join(pages)
    assert "Educational psychology report" in text and "Report filed after sending" not in text
    assert "Cycle 2" not in text and f"submitted {today:%-d %B %Y}" in pages[0]
    # The Word form of a sent request is what was sent too.
    form = client_for(world.senco_a).get(_url("form_docx", prepared))
    document = docx.Document(io.BytesIO(form.content))
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Educational psychology report" in cells and "Report filed after sending" not in cells
    assert AuditEvent.objects.filter(
        object_id=str(prepared.pk),
        action=AuditAction.CHANGE,
        description="Evidence bundle made: 1 report appended, 0 left out",
    ).exists()


def test_a_report_removed_from_the_record_before_the_build_is_named_as_not_included(world: World) -> None:
    today = timezone.localdate()
    report = factories.add_report(world.p1, "Filed against the wrong child", today - timedelta(days=3))
    prepared = _sent(world.p1, today)
    report.delete()
    bundles.make_bundle(prepared.pk)
    prepared.refresh_from_db()
    with prepared.bundle.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    contents = next(page.extract_text() for page in reader.pages if "Contents" in page.extract_text())
    assert "Appendix 1: Filed against the wrong child" in contents and "not included" in contents


def test_a_build_that_fails_is_marked_failed_shown_and_tried_again(
    world: World,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    today = timezone.localdate()
    prepared = _sent(world.p1, today)
    monkeypatch.setattr(bundles, "render_bundle", _unavailable)
    with caplog.at_level(logging.ERROR, logger="graduated.assessment_requests.bundles"):
        build_bundle.call(prepared.pk)
    assert f"Evidence bundle of request {prepared.pk} could not be made" in caplog.text
    prepared.refresh_from_db()
    assert (prepared.bundle_status, prepared.bundle.name) == (BundleStatus.FAILED, "")
    assert "Pango" in prepared.bundle_error and "Tell your administrator" in prepared.bundle_error
    assert EHCRequest.objects.filter(prepared_request=prepared).exists()  # the request is still sent

    senco = client_for(world.senco_a)
    page = senco.get(_page(world))
    text = page.content.decode()
    assert "The evidence bundle could not be made." in text and "Pango" in text and "Try again" in text
    assert "Refresh" not in page and _url("bundle_again", prepared) in text
    not_ready = senco.get(_url("bundle", prepared))
    assert not_ready.status_code == 409 and "Try again" in not_ready.content.decode()
    assert "Try again" not in client_for(world.head_a).get(_page(world)).content.decode()  # a reader only
    officer = client_for(world.officer_north)
    case_url, bundle_url = _case_urls(prepared)
    assert "its evidence bundle has not been made yet" in officer.get(case_url).content.decode()
    from_la = officer.get(bundle_url)
    assert from_la.status_code == 409 and "The evidence bundle is not ready" in from_la.content.decode()

    monkeypatch.undo()
    settings.TASKS = factories.DUMMY_TASKS
    senco = client_for(world.senco_a)
    with django_capture_on_commit_callbacks(execute=True):
        again = senco.post(_url("bundle_again", prepared))
    assert again.status_code == 302
    assert factories.queued_builds() == [prepared.pk]
    prepared.refresh_from_db()
    assert (prepared.bundle_status, prepared.bundle_attempts, prepared.bundle_error) == (BundleStatus.BUILDING, 2, "")
    assert AuditEvent.objects.filter(
        object_id=str(prepared.pk), action=AuditAction.CHANGE, description="Evidence bundle asked for again (attempt 2)"
    ).exists()
    assert "The evidence bundle is being prepared again." in senco.get(_page(world)).content.decode()
    build_bundle.call(prepared.pk)
    assert _pdf(senco, _url("bundle", prepared)).startswith(b"%PDF-")


def test_an_unexpected_failure_is_logged_kept_and_raised_for_the_task_result(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    prepared = _sent(world.p1, timezone.localdate())

    def broken(outline: Any, appendices: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(bundles, "render_bundle", broken)
    with pytest.raises(RuntimeError), caplog.at_level(logging.ERROR):
        bundles.make_bundle(prepared.pk)
    assert "could not be made" in caplog.text
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.FAILED and prepared.bundle_error == bundles.FAILED


def test_try_again_is_refused_while_the_bundle_is_being_made_or_is_ready(
    world: World, client_for: ClientFor, settings: Any
) -> None:
    settings.TASKS = factories.DUMMY_TASKS
    prepared = _sent(world.p1, timezone.localdate())
    senco = client_for(world.senco_a)
    response = senco.post(_url("bundle_again", prepared), follow=True)
    assert "The evidence bundle is already being prepared." in response.content.decode()
    services.store_bundle(prepared, pdf=b"%PDF-1.7")
    response = senco.post(_url("bundle_again", prepared), follow=True)
    assert "The evidence bundle is ready: there is nothing to try again." in response.content.decode()
    prepared.refresh_from_db()
    assert (prepared.bundle_status, prepared.bundle_attempts, factories.queued_builds()) == (BundleStatus.READY, 1, [])
    # A request not sent has no bundle to make again.
    draft = factories.ready(world.p2, timezone.localdate())
    assert senco.post(_url("bundle_again", draft)).status_code == 404


def test_a_build_that_stopped_stops_the_refreshing_and_can_be_tried_again(
    world: World, client_for: ClientFor, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = factories.DUMMY_TASKS
    prepared = _sent(world.p1, timezone.localdate())
    long_ago = timezone.now() - BUNDLE_STUCK_AFTER - timedelta(minutes=1)
    PreparedRequest.objects.filter(pk=prepared.pk).update(bundle_status_at=long_ago)
    senco = client_for(world.senco_a)
    page = senco.get(_page(world))
    assert "Refresh" not in page
    assert "the service's background worker may not be running" in page.content.decode()
    assert "its evidence bundle has not been made yet" in client_for(world.officer_north).get(
        _case_urls(prepared)[0]
    ).content.decode()  # fmt: skip
    senco = client_for(world.senco_a)
    with django_capture_on_commit_callbacks(execute=True):
        senco.post(_url("bundle_again", prepared))
    prepared.refresh_from_db()
    assert (prepared.bundle_status, prepared.bundle_attempts) == (BundleStatus.BUILDING, 2)
    assert factories.queued_builds() == [prepared.pk] and senco.get(_page(world))["Refresh"] == "3"


def test_of_two_attempts_at_once_one_bundle_is_kept_and_an_old_failure_is_not_news(world: World) -> None:
    prepared = _sent(world.p1, timezone.localdate())
    PreparedRequest.objects.filter(pk=prepared.pk).update(bundle_attempts=2)  # a "try again" after attempt 1
    services.bundle_failed(prepared, attempt=1, message="Attempt 1 failed late.")
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.BUILDING
    assert services.store_bundle(prepared, pdf=b"%PDF-1.7 first")
    storage = prepared.bundle.storage
    late = PreparedRequest.objects.get(pk=prepared.pk)
    late.bundle_status = BundleStatus.BUILDING  # as read before the first was stored
    before = set(storage.listdir(prepared.bundle.name.rsplit("/", 1)[0])[1])
    assert not services.store_bundle(late, pdf=b"%PDF-1.7 second")
    assert set(storage.listdir(prepared.bundle.name.rsplit("/", 1)[0])[1]) == before  # its file is gone
    prepared.refresh_from_db()
    with prepared.bundle.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 first"
    bundles.make_bundle(prepared.pk)  # a task delivered again finds it made and does nothing
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.READY


def test_sending_twice_with_the_same_form_sends_once_and_builds_once(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    # Tasks run in-process (conftest.py): the build runs as soon as the sending commits.
    prepared = factories.ready(world.p1, timezone.localdate())
    senco = client_for(world.senco_a)
    form = senco.get(_url("submit", prepared)).content.decode()
    token = _TOKEN.findall(form.split("<main", 1)[-1].split("</main>", 1)[0])
    assert len(token) == 1
    data = {"version": prepared.version, "form_token": token[0]}
    with django_capture_on_commit_callbacks(execute=True):
        first = senco.post(_url("submit", prepared), data)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = senco.post(_url("submit", prepared), data, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert submit_once.ALREADY_SENT in second.content.decode()
    assert EHCRequest.objects.filter(pupil=world.p1).count() == 1 and second_callbacks == []
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.READY and prepared.bundle_attempts == 1


def test_the_request_page_takes_the_same_queries_while_building_and_when_ready(
    world: World, client_for: ClientFor
) -> None:
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    prepared = _sent(world.p1, today)
    factories.started(world.p1)  # and a new request in preparation beside it
    client = client_for(world.senco_a)
    client.get(_page(world))
    with CaptureQueriesContext(connection) as building:
        assert client.get(_page(world)).status_code == 200
    services.store_bundle(prepared, pdf=b"%PDF-1.7")
    support_factories.reviewed_cycle(world.p1)
    with CaptureQueriesContext(connection) as ready:
        assert client.get(_page(world)).status_code == 200
    assert len(ready.captured_queries) == len(building.captured_queries)
