"""A SENCO imports pupils from an MIS export in a browser without JavaScript: upload, match the
columns, the dry run (its progress page refreshing itself), then the import with its progress bar.

The background tasks run on the real database queue, worked by ``db_worker`` between steps, so
the pages are seen while the work waits, as a SENCO sees them.
"""

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from graduated.lib.browser import visitor_for
from graduated.lib.testing import World, valid_upn
from graduated.pupils.models import Pupil
from graduated.records.models import ImportRun, ImportStatus

pytestmark = pytest.mark.browser

HEADER = ["UPN", "Legal Surname", "Legal Forename", "DOB", "Gender", "SEN Status", "SEN Start Date", "Primary Need"]


def work_the_queue() -> None:
    call_command("db_worker", batch=True, queue_name="*", verbosity=0)


def test_a_csv_import_with_a_dry_run_and_progress(browser: Any, live_server: Any, world: World, settings: Any,
                                                  tmp_path: Path) -> None:  # fmt: skip
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for serial, name in enumerate(["Amara", "Bilal", "Cerys"], start=1):
        writer.writerow([valid_upn("860", "2290", "23", serial), "Importer", name, "09/10/2016", "F", "K",
                         "08/01/2024", "SLCN"])  # fmt: skip
    writer.writerow([valid_upn("860", "2290", "23", 9), "Importer", "Dara", "31/02/2016", "M", "K", "08/01/2024", ""])
    upload = tmp_path / "mis-export.csv"
    upload.write_text(out.getvalue(), encoding="utf-8")

    visitor = visitor_for(browser, live_server, javascript=False)
    page = visitor.page
    visitor.sign_in(world.senco_a.email)
    visitor.go(f"/pupils/settings/{world.setting_a.pk}/register/")
    page.get_by_role("link", name="Import pupils").click()
    visitor.check()
    page.get_by_label("Choose a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and check").click()
    visitor.check()
    assert "Match the file's columns" in page.content()
    page.get_by_role("button", name="Check the file").click()
    visitor.check()

    # The check waits for the worker: the page says so, and refreshes itself.
    assert page.get_by_role("heading", name="Checking the file").is_visible()
    assert page.locator("progress").count() == 1
    assert page.get_by_role("link", name="Stop refreshing this page").is_visible()
    work_the_queue()
    page.get_by_role("heading", name="Check what will be imported").wait_for(timeout=15_000)
    visitor.check()
    content = page.content()
    assert "Dara" in content and "cannot be imported" in content
    assert not Pupil.objects.filter(legal_last_name="Importer").exists()  # a dry run saves nothing

    page.get_by_label("Import the 3 pupils that can be imported, and leave out the 1 that cannot").check()
    page.get_by_role("button", name="Import", exact=True).click()
    visitor.check()
    assert page.get_by_role("heading", name="Importing pupils").is_visible()
    assert "0 of 4 rows in the file: waiting to start" in page.content()
    assert page.locator("progress").get_attribute("max") == "4"
    work_the_queue()
    page.get_by_role("heading", name="Import finished").wait_for(timeout=15_000)
    visitor.check()

    run = ImportRun.objects.get()
    assert (run.status, run.created, run.refused) == (ImportStatus.FINISHED, 3, 1)
    assert sorted(Pupil.objects.filter(legal_last_name="Importer").values_list("legal_first_name", flat=True)) == [
        "Amara", "Bilal", "Cerys",
    ]  # fmt: skip
    page.get_by_role("link", name="Go to the SEN register").click()
    visitor.check()
    assert page.get_by_role("link", name="Importer, Amara").count() == 1
    visitor.assert_accessible()
