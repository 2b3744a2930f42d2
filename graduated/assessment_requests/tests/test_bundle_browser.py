"""The evidence bundle's states in a real browser with JavaScript off: the SENCO sends the request, the
page says the bundle is being prepared and reloads itself (the Refresh header) until the worker has
made it, then offers the download; the LA's case page and a download before the bundle is ready; a
bundle that could not be made, and "Try again". axe-core checks every page on the way.

Tasks are queued and not run here (the live server would otherwise make the bundle before answering):
the test plays the worker."""

import io
import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.utils import timezone

from graduated.assessment_requests import services
from graduated.assessment_requests.models import BundleStatus, PreparedRequest
from graduated.assessment_requests.tasks import build_bundle
from graduated.assessment_requests.tests import factories
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser


def test_without_javascript_the_pages_follow_the_bundle_until_it_is_ready(
    browser: Any, live_server: Any, world: World, settings: Any
) -> None:
    settings.TASKS = factories.DUMMY_TASKS
    today = timezone.localdate()
    factories.rich_record(world.p1, today)
    prepared = factories.ready(world.p1, today)
    request_page = f"/pupils/{world.p1.pk}/ehc-request/"

    senco = visitor_for(browser, live_server, javascript=False)
    page = senco.page
    senco.sign_in(world.senco_a.email)
    senco.go(f"{request_page}{prepared.pk}/send/")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    senco.check()
    assert "The evidence bundle is being prepared." in page.content()
    assert "This page refreshes itself every 3 seconds" in page.content()
    prepared.refresh_from_db()
    assert prepared.bundle_status == BundleStatus.BUILDING and prepared.case is not None

    officer = visitor_for(browser, live_server)
    officer.sign_in(world.officer_north.email)
    case_page = f"/ehc/la/{world.la_north.pk}/cases/{prepared.case.pk}/"
    officer.go(case_page)
    assert "The evidence bundle is being prepared" in officer.page.content()
    officer.go(f"{case_page}bundle.pdf")
    assert "The evidence bundle is being prepared" in officer.page.content()

    build_bundle.call(prepared.pk)  # the worker
    # The SENCO's page reloads itself and now offers the download, with no JavaScript.
    page.get_by_role("link", name=re.compile("Evidence bundle as sent")).wait_for(timeout=15_000)
    senco.check()
    assert "This page refreshes itself" not in page.content()

    officer.go(case_page)
    with officer.page.expect_download() as download:
        officer.page.get_by_role("link", name=re.compile("Evidence bundle as sent on")).click()
    reader = pypdf.PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    assert str(top_level[-1].title).startswith("Appendix 1: Educational psychology report")

    # Another request whose bundle could not be made: the SENCO reads why and tries again.
    other = factories.ready(world.p2, today)
    services.submit(actor=factories.ACTOR, prepared=other, expected_version=other.version, on=today)
    services.bundle_failed(other, attempt=1, message="The PDF could not be made on this server.")
    senco.go(f"/pupils/{world.p2.pk}/ehc-request/")
    assert "The PDF could not be made on this server." in page.content()
    page.get_by_role("button", name=re.compile("Try again")).click()
    page.wait_for_load_state()
    senco.check()
    assert "The evidence bundle is being prepared again." in page.content()
    assert PreparedRequest.objects.get(pk=other.pk).bundle_status == BundleStatus.BUILDING

    senco.assert_accessible()
    officer.assert_accessible()
