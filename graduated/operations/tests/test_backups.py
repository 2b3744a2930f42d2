"""``graduated backup`` and ``graduated restore``: three round trips that lose nothing, and refusals.

These tests run on a real transaction (``transactional_db``): the SQLite backup API and pg_restore
both need the database outside a test's wrapping transaction. On SQLite the test database is in
memory; the backup API copies it all the same.
"""

import json
import shutil
import tarfile
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from graduated.audit import triggers
from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor, record
from graduated.documents.models import Document
from graduated.lib.testing import build_world, make_pupil
from graduated.operations.tests.helpers import every_file, every_row
from graduated.organisations.models import Setting

pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def add_history(round_number: int) -> None:
    """A pupil with a document (bytes of every value) and an audit event: more each round."""
    setting = Setting.objects.get(urn="100001")
    pupil = make_pupil(setting, "Round", f"Trip{round_number}", date_of_birth=date(2015, 1, round_number))
    content = bytes(range(256)) * (round_number * 10)
    Document.objects.create(
        pupil=pupil, title=f"Report {round_number}", kind="report", dated=date(2026, 1, round_number),
        original_name=f"report-{round_number}.pdf", content_type="application/pdf", size=len(content),
        sha256="0" * 64, file=ContentFile(content, name=f"report-{round_number}.pdf"),
    )  # fmt: skip
    record(Actor.system("test"), AuditAction.VIEW, object_type="pupil record", pupil_id=pupil.pk)


def wipe(media: Path) -> None:
    """An empty database and MEDIA_ROOT, as on a new machine after ``graduated migrate``."""
    triggers.remove(connection)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def backup(into: Path) -> Path:
    out = StringIO()
    call_command("backup", output=into, stdout=out)
    return Path(out.getvalue().split("Backup written: ", 1)[1].splitlines()[0])


def test_three_round_trips_keep_every_row_and_every_file(media: Path, tmp_path: Path) -> None:
    build_world()
    for round_number in (1, 2, 3):
        add_history(round_number)  # after a restore, this also shows the id sequences came back
        rows, files = every_row(), every_file(media)
        archive = backup(tmp_path / f"backups-{round_number}")
        wipe(media)
        assert AuditEvent.objects.count() == 0 and every_file(media) == {}

        out = StringIO()
        call_command("restore", str(archive), stdout=out)

        assert "uploaded files: " + str(round_number) in out.getvalue()
        restored = every_row()
        assert restored.keys() == rows.keys()
        for label, table in rows.items():
            assert restored[label] == table, label
        assert every_file(media) == files and len(files) == round_number
        with pytest.raises(DatabaseError), transaction.atomic():  # the audit trail is append-only again
            connection.cursor().execute("DELETE FROM audit_auditevent")


def test_the_archive_lists_every_file_with_its_checksum(media: Path, tmp_path: Path) -> None:
    build_world()
    add_history(1)
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["app_version"] and manifest["created_at"] and manifest["migrations"]
    listed = [item["path"] for item in manifest["files"]]
    assert sorted([*listed, "manifest.json"]) == sorted(names)
    assert any(name.startswith("uploads/documents/") for name in listed)
    assert all(len(item["sha256"]) == 64 for item in manifest["files"])
    assert archive.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_damaged_backup_is_refused_naming_the_file_and_changes_nothing(media: Path, tmp_path: Path) -> None:
    build_world()
    add_history(1)
    archive = backup(tmp_path)
    with tarfile.open(archive) as tar:
        upload = next(m for m in tar.getmembers() if m.name.startswith("uploads/"))
        offset = upload.offset_data
    with archive.open("r+b") as raw:  # flip one byte of one uploaded file
        raw.seek(offset)
        byte = raw.read(1)
        raw.seek(offset)
        raw.write(bytes([byte[0] ^ 0xFF]))
    wipe(media)

    with pytest.raises(CommandError, match=rf"damaged: {upload.name} does not match its checksum"):
        call_command("restore", str(archive))
    assert every_row()["accounts.User"] == [] and every_file(media) == {}


def test_restore_refuses_a_database_that_holds_data(media: Path, tmp_path: Path) -> None:
    build_world()
    archive = backup(tmp_path)
    before = every_row()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(archive))
    assert every_row() == before


def test_restore_refuses_what_is_not_a_backup(media: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no backup at"):
        call_command("restore", str(tmp_path / "missing.tar"))
    (tmp_path / "notes.tar").write_bytes(b"not a tar file at all")
    with pytest.raises(CommandError, match="not a complete backup archive"):
        call_command("restore", str(tmp_path / "notes.tar"))


def test_backups_are_not_written_inside_media_root(media: Path) -> None:
    with pytest.raises(CommandError, match="outside MEDIA_ROOT"):
        call_command("backup", output=media / "backups")
