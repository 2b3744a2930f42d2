from pathlib import Path
from typing import Any

import pytest

from graduated.documents.tests.files import PDF_BYTES
from graduated.lib.browser import visitor_for
from graduated.lib.testing import World

pytestmark = pytest.mark.browser


def test_senco_adds_a_report_and_sees_it_listed(browser: Any, live_server: Any, world: World, tmp_path: Path) -> None:
    report = tmp_path / "EP report.pdf"
    report.write_bytes(PDF_BYTES)
    visitor = visitor_for(browser, live_server)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/{world.p1.pk}/documents/")
    page.get_by_role("button", name="Add document").click()
    visitor.check()  # the error summary for an empty form
    assert "Choose a file to upload" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Choose a file").set_input_files(str(report))
    page.get_by_label("Title").fill("Educational psychology report")
    page.get_by_label("Report from a specialist").check()
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Add document").click()
    visitor.check()
    assert "Educational psychology report has been added" in page.content()
    with page.expect_download() as download:
        page.locator("a[download]", has_text="Educational psychology report").click()
    assert download.value.suggested_filename == "EP report.pdf"
    visitor.go(f"/pupils/{world.p1.pk}/")
    assert "Educational psychology report" in page.content()
    visitor.assert_accessible()
