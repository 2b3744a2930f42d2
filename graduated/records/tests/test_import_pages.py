"""Importing pupils through the pages: upload, match the columns, the dry run, import, progress, summary.

Tasks run in-process in tests (conftest.py), so each step's background work is done by the time its
POST answers.
"""

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, valid_upn
from graduated.pupils.models import ChronologyKind, Contact, Pupil
from graduated.records.csv_import import guess_mapping
from graduated.records.models import ImportRefusal, ImportRun, ImportStatus

HERE = Path(__file__).parent
EXAMPLE_CSV = (HERE.parent / "demo_files" / "example_pupils.csv").read_bytes()
EXAMPLE_CTF = (HERE.parent / "demo_files" / "example.ctf.xml").read_bytes()
HEADER = ["UPN", "Legal Surname", "Legal Forename", "DOB", "Gender", "SEN Status", "SEN Start Date", "Primary Need",
          "Contact 1 Forename", "Contact 1 Surname", "Contact 1 Email"]  # fmt: skip


def csv_bytes(*rows: list[str], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def pupil_row(serial: int, **cells: str) -> list[str]:
    values = {"upn": valid_upn("860", "2290", "23", serial), "surname": f"Row{serial}", "forename": "Lee",
              "dob": "09/10/2016", "sex": "M", "sen": "K", "sen_start": "08/01/2024", "need": "SEMH",
              "c_first": "Pat", "c_last": f"Row{serial}", "c_email": f"pat{serial}@example.com"} | cells  # fmt: skip
    return list(values.values())


def upload(client: Client, world: World, name: str, content: bytes) -> Any:
    return client.post(
        reverse("records:import", args=[world.setting_a.pk]), {"file": SimpleUploadedFile(name, content)}
    )


def latest_run() -> ImportRun:
    return ImportRun.objects.order_by("-pk").first()  # type: ignore[return-value]


def match_columns(client: Client, run: ImportRun, **changes: str) -> Any:
    data = {key: str(index) for key, index in guess_mapping(run.details["headers"]).items()} | changes
    return client.post(reverse("records:columns", args=[run.setting_id, run.pk]), data)


def start(client: Client, run: ImportRun, **data: str) -> Any:
    return client.post(reverse("records:start", args=[run.setting_id, run.pk]), data)


def run_page(client: Client, run: ImportRun) -> str:
    response = client.get(reverse("records:run", args=[run.setting_id, run.pk]))
    assert response.status_code == 200
    return response.content.decode()


def check_csv(client: Client, world: World, content: bytes) -> ImportRun:
    assert upload(client, world, "pupils.csv", content).status_code == 302
    run = latest_run()
    assert match_columns(client, run).status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED, run.error
    return run


def import_csv(client: Client, world: World, content: bytes) -> ImportRun:
    run = check_csv(client, world, content)
    assert start(client, run).status_code == 302
    run.refresh_from_db()
    return run


def test_a_csv_import_end_to_end(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    page = client.get(reverse("records:import", args=[world.setting_a.pk]))
    assert page.status_code == 200 and b"Import pupils" in page.content

    response = upload(client, world, "export.csv", EXAMPLE_CSV)
    run = latest_run()
    assert response["Location"] == reverse("records:columns", args=[world.setting_a.pk, run.pk])
    assert run.status == ImportStatus.UPLOADED and run.original_name == "export.csv" and run.file
    columns = client.get(response["Location"]).content.decode()
    # The columns are matched from their headings, and the first pupil's values are shown beside them.
    assert re.search(r'<option value="0" selected>UPN</option>', columns)
    assert "Tobiloba" in columns

    assert match_columns(client, run).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.rows, run.will_create, run.will_refuse) == (ImportStatus.CHECKED, 12, 12, 0)
    assert not Pupil.objects.filter(upn__startswith="N860229").exists()  # the dry run writes nothing
    dry_run = run_page(client, run)
    assert "Check what will be imported" in dry_run and "New pupils to add" in dry_run
    assert "Siobhán Brennan" in dry_run and "Needs: ASD (rank 1), SLCN (rank 2)" in dry_run
    assert not client.get(reverse("records:run", args=[run.setting_id, run.pk])).has_header("Refresh")

    assert start(client, run).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.updated, run.refused, run.processed) == (ImportStatus.FINISHED, 12, 0, 0, 12)
    assert not run.file  # the uploaded file is deleted once imported
    summary = run_page(client, run)
    assert "Import finished" in summary and "Pupils added" in summary

    brennan = Pupil.objects.get(legal_last_name="Brennan")
    assert brennan in Pupil.objects.enrolled_in(world.setting_a)
    assert brennan.sen_statuses.get().start_date == date(2023, 3, 14) and brennan.resourced_provision
    assert list(brennan.contacts.values_list("email", "parental_responsibility")) == [
        ("aoife.brennan@example.com", True)
    ]
    # The pupil page shows the contacts.
    pupil_page = client.get(reverse("pupils:detail", args=[brennan.pk])).content.decode()
    assert "Aoife Brennan" in pupil_page and "Has parental responsibility" in pupil_page
    # The audit trail: the upload, the columns, the check, the start, a CREATE per pupil, the run's event.
    events = AuditEvent.objects.filter(object_type="records.importrun", object_id=str(run.pk))
    assert events.filter(action=AuditAction.CREATE).count() == 1
    assert events.filter(action=AuditAction.VIEW).count() >= 3
    assert AuditEvent.objects.filter(object_type="pupils.pupil", action=AuditAction.CREATE,
                                     description__startswith=f"Created by import {run.pk}").count() == 12  # fmt: skip


def test_importing_the_same_file_again_changes_nothing(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    import_csv(client, world, EXAMPLE_CSV)
    contacts = Contact.objects.count()
    again = import_csv(client, world, EXAMPLE_CSV)
    assert (again.will_leave, again.created, again.updated, again.unchanged) == (12, 0, 0, 12)
    assert Contact.objects.count() == contacts


def test_a_changed_file_updates_the_record_and_its_status_history(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    import_csv(client, world, csv_bytes(pupil_row(1), pupil_row(2)))
    changed = check_csv(client, world, csv_bytes(pupil_row(1, sen="E", sen_start="", need="ASD"), pupil_row(2)))
    assert (changed.will_update, changed.will_leave) == (1, 1)
    assert changed.examples["update"][0]["changes"] == [
        f"SEN provision: SEN support to EHC plan from {timezone.localdate():%-d %B %Y}",
        "needs: SEMH (rank 1) ended, ASD (rank 1) recorded",
    ]
    assert "SEN provision: SEN support to EHC plan from" in run_page(client, changed)
    start(client, changed)
    changed.refresh_from_db()
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert changed.examples == {} and "sample" not in changed.details  # not kept once it is over
    pupil = Pupil.objects.get(legal_last_name="Row1")
    # No start date in the file: the change happens on the day of the import, after the K held.
    assert list(pupil.sen_statuses.order_by("start_date").values_list("status", "start_date", "end_date")) == [
        ("K", date(2024, 1, 8), timezone.localdate() - timedelta(days=1)), ("E", timezone.localdate(), None),
    ]  # fmt: skip
    assert pupil.chronology.filter(kind=ChronologyKind.STATUS_CHANGED, summary__contains="to EHC plan").exists()


def test_mapping_must_name_the_required_columns_once(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    upload(client, world, "pupils.csv", EXAMPLE_CSV)
    run = latest_run()
    missing = match_columns(client, run, upn="")
    assert missing.status_code == 400 and "Choose the column that holds the UPN" in missing.content.decode()
    twice = match_columns(client, run, contact2_email="19")
    assert twice.status_code == 400
    assert (
        "‘Contact 1 Email’ is chosen for Contact 1 e-mail address and Contact 2 e-mail address"
        in twice.content.decode()
    )
    run.refresh_from_db()
    assert run.status == ImportStatus.UPLOADED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pupils.csv", csv_bytes(pupil_row(1)).decode().encode("utf-16"), "UTF-16"),
        ("pupils.xlsx", b"PK\x03\x04rest", "must be a CSV file (.csv) or a Common Transfer File"),
        ("pupils.csv", b"PK\x03\x04" + b"\x00" * 50, "spreadsheet"),
        ("pupils.csv", b"\x00\x01\x02binary", "not text"),
        ("pupils.csv", EXAMPLE_CTF, "its content is XML"),
        ("pupils.xml", EXAMPLE_CSV, "not XML"),
        ("pupils.csv", b"", "empty"),
        ("pupils.csv", b"one,two\nthree,four\n", "fewer than three columns"),
    ],
)
def test_files_that_cannot_be_imported_are_sent_back(
    world: World, client_for: Any, name: str, content: bytes, message: str
) -> None:
    response = upload(client_for(world.senco_a), world, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(world: World, client_for: Any, settings: Any) -> None:
    settings.IMPORT_MAX_MB = 1
    client = client_for(world.senco_a)
    big = csv_bytes(*[pupil_row(n % 999) for n in range(16000)])  # about 1.2 MB
    assert len(big) > 1024 * 1024
    response = upload(client, world, "pupils.csv", big)
    assert response.status_code == 400 and "smaller than 1 MB" in response.content.decode()
    # Far over it, the request is refused before it is read.
    settings.DOCUMENT_MAX_MB = 1
    huge = client.post(
        reverse("records:import", args=[world.setting_a.pk]), {"file": SimpleUploadedFile("p.csv", big * 2)}
    )
    assert huge.status_code == 413 and not ImportRun.objects.exists()


def test_hostile_rows_are_refused_one_by_one_and_listed(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    rows = [
        pupil_row(1),
        pupil_row(2, surname='=HYPERLINK("http://evil.example","x")'),  # data, never a formula
        pupil_row(3, dob="31/02/2016"),
        pupil_row(4, upn="A123"),
        pupil_row(5, sen="N"),  # N with a need
        [*pupil_row(6), "an", "extra", "value"],
    ]
    upload(client, world, "pupils.csv", csv_bytes(*rows))
    run = latest_run()
    match_columns(client, run)
    run.refresh_from_db()
    assert (run.will_create, run.will_refuse) == (2, 4)
    reasons = list(ImportRefusal.objects.filter(run=run).values_list("line", "reasons"))
    assert [line for line, _ in reasons] == [4, 5, 6, 7]
    assert "Row 4, column ‘DOB’ (D): “31/02/2016” is not a real date" in reasons[0][1]
    page = run_page(client, run)
    assert "Nothing will be imported unless you choose to import the others" in page
    download = client.get(reverse("records:refusals", args=[world.setting_a.pk, run.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="import-{run.pk}-not-imported.csv"'
    listed = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
    assert listed[0] == ["Row", "UPN", "Name", "Why it was not imported"] and len(listed) == 5
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(run.pk)).exists()

    refused = start(client, run)
    assert refused.status_code == 400 and "tick the box to import the others" in refused.content.decode()
    run.refresh_from_db()
    assert run.status == ImportStatus.CHECKED and not Pupil.objects.filter(legal_last_name="Row1").exists()
    assert start(client, run, import_the_rest="on").status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created, run.refused) == (ImportStatus.FINISHED, 2, 4)
    assert Pupil.objects.filter(legal_last_name__startswith="=HYPERLINK").exists()
    summary = run_page(client, run)
    assert "Download the 4 not imported" in summary


def test_a_pupil_of_another_setting_is_refused(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    upload(client, world, "pupils.csv", csv_bytes(pupil_row(1, upn=world.p3.upn or "", surname="Three")))
    run = latest_run()
    match_columns(client, run)
    run.refresh_from_db()
    assert run.will_refuse == 1 and run.importable == 0
    assert "their SEN record can follow them when the other setting agrees" in run_page(client, run).replace(
        "Their", "their"
    )
    assert "There is nothing in the file that can be imported" in run_page(client, run)
    world.p3.refresh_from_db()
    assert world.p3.legal_last_name == "Three" and not world.p3.enrolments.filter(setting=world.setting_a).exists()


def test_the_example_ctf_imports(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    response = upload(client, world, "860217_CTF_8604027_001.xml", EXAMPLE_CTF)
    run = latest_run()
    assert response["Location"] == reverse("records:run", args=[world.setting_a.pk, run.pk])
    assert (run.status, run.will_create, run.details["source_school"]) == (
        ImportStatus.CHECKED, 5, "Hollins Lane Primary School"
    )  # fmt: skip
    page = run_page(client, run)
    assert "Hollins Lane Primary School" in page
    assert "This file is addressed to the school with URN 148731" in page  # the demo secondary, not setting A
    start(client, run)
    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.FINISHED, 5)
    kowalski = Pupil.objects.get(upn="J860217519027")
    assert list(kowalski.sen_statuses.order_by("start_date").values_list("status", flat=True)) == ["K", "E"]
    assert list(kowalski.needs.current().order_by("rank").values_list("sen_type", flat=True)) == ["ASD", "SLCN"]


@pytest.mark.parametrize("sample", ["billion_laughs", "external_entity", "malformed"])
def test_a_ctf_that_cannot_be_read_imports_nothing(world: World, client_for: Any, sample: str) -> None:
    client = client_for(world.senco_a)
    upload(client, world, f"{sample}.xml", (HERE / "files" / f"{sample}.ctf.xml").read_bytes())
    run = latest_run()
    assert run.status == ImportStatus.FAILED and run.error
    assert not run.file and not ImportRefusal.objects.filter(run=run).exists()
    assert "The file could not be imported" in run_page(client, run)
    assert not Pupil.objects.filter(upn__startswith="A8602175").exists()


@pytest.mark.parametrize("sample", ["bad_date", "bad_sen_type", "nsa_with_ehc_plan", "rank2_without_rank1"])
def test_a_partly_valid_ctf_imports_the_valid_pupils_only_when_asked(
    world: World, client_for: Any, sample: str
) -> None:
    client = client_for(world.senco_a)
    upload(client, world, f"{sample}.xml", (HERE / "files" / f"{sample}.ctf.xml").read_bytes())
    run = latest_run()
    assert (run.status, run.will_create, run.will_refuse) == (ImportStatus.CHECKED, 1, 1)
    page = run_page(client, run)
    assert "Nothing will be imported unless you choose to import the others" in page
    assert "Import the 1 pupil that can be imported, and leave out the 1 that cannot" in page
    refusal = ImportRefusal.objects.get(run=run)
    assert refusal.line and refusal.reasons.startswith("Line ")

    assert start(client, run).status_code == 400
    assert not Pupil.objects.filter(upn="A860217519012").exists()
    start(client, run, import_the_rest="on")
    run.refresh_from_db()
    assert (run.status, run.created, run.refused) == (ImportStatus.FINISHED, 1, 1)
    assert Pupil.objects.filter(upn="A860217519012").exists()


def test_the_progress_page_refreshes_itself_while_the_import_works(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    upload(client, world, "pupils.csv", EXAMPLE_CSV)
    run = latest_run()
    match_columns(client, run)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.IMPORTING, rows=5000, processed=1200)
    response = client.get(reverse("records:run", args=[run.setting_id, run.pk]))
    assert response["Refresh"] == "2"
    page = response.content.decode()
    assert "1,200 of 5,000 rows in the file" in page and "Stop refreshing this page" in page
    assert '<progress class="app-progress" max="5000" value="1200" aria-labelledby="progress-label">' in page
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.CHECKING, processed=300, processed_bytes=run.size // 2
    )
    checking = client.get(reverse("records:run", args=[run.setting_id, run.pk]))
    assert "About 50% of the file checked: 300 rows so far" in checking.content.decode()
    assert checking["Refresh"] == "2"
    # Whoever needs the page to keep still turns the refreshing off; a page that only counts is not
    # audited each time it reloads.
    still = client.get(reverse("records:run", args=[run.setting_id, run.pk]), {"refresh": "off"})
    assert not still.has_header("Refresh") and "This page does not refresh itself" in still.content.decode()
    assert not AuditEvent.objects.filter(
        object_type="records.importrun", object_id=str(run.pk), description__startswith="Viewed the page"
    ).exists()


def test_double_submits_import_once(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    upload(client, world, "pupils.csv", EXAMPLE_CSV)
    run = latest_run()
    match_columns(client, run)
    token = re.search(r'name="form_token" value="([^"]+)"', run_page(client, run))
    assert token is not None
    first = start(client, run, form_token=token.group(1))
    second = start(client, run, form_token=token.group(1))  # the same form sent again
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    again = start(client, run)  # a new form for an import already done
    assert again.status_code == 302
    assert Pupil.objects.filter(upn__contains="8602290").count() == 12
    assert ImportRun.objects.get(pk=run.pk).created == 12
    assert AuditEvent.objects.filter(object_type="pupils.pupil", action=AuditAction.CREATE,
                                     description__startswith=f"Created by import {run.pk}").count() == 12  # fmt: skip


def test_cancelling_deletes_the_file(world: World, client_for: Any, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(world.senco_a)
    upload(client, world, "pupils.csv", EXAMPLE_CSV)
    run = latest_run()
    stored, storage = run.file.name, run.file.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("records:cancel", args=[world.setting_a.pk, run.pk]))
    assert response["Location"] == reverse("records:import", args=[world.setting_a.pk])
    run.refresh_from_db()
    assert run.status == ImportStatus.CANCELLED and not run.file and not storage.exists(stored)
    assert "Import cancelled" in run_page(client, run)
    assert client.post(reverse("records:cancel", args=[world.setting_a.pk, run.pk])).status_code == 302  # no 500


def test_another_settings_import_is_not_found(world: World, client_for: Any) -> None:
    upload(client_for(world.senco_a), world, "pupils.csv", EXAMPLE_CSV)
    run = latest_run()
    client = client_for(world.senco_c)
    assert client.get(reverse("records:run", args=[world.setting_c.pk, run.pk])).status_code == 404
    assert client.get(reverse("records:run", args=[world.setting_a.pk, run.pk])).status_code == 404
