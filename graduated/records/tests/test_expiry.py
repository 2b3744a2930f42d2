"""Imports let go of pupils' data: left unfinished they are cancelled, over they lose their refusals."""

from datetime import timedelta
from io import StringIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from graduated.access import actor_in
from graduated.lib.testing import World, valid_upn
from graduated.records import runs
from graduated.records.models import ImportKind, ImportRefusal, ImportRun, ImportStatus


def uploaded(world: World) -> ImportRun:
    content = (
        "UPN,Surname,Forename,DOB,Gender\r\n"
        f"{valid_upn('860', '2290', '19', 901)},Keep,Kim,14/03/2016,F\r\n"
        f"{valid_upn('860', '2290', '19', 902)},Refused,Ray,31/02/2016,M\r\n"
    )
    return runs.upload(
        actor=actor_in(world.senco_a, world.setting_a), setting=world.setting_a, user=world.senco_a,
        file=SimpleUploadedFile("pupils.csv", content.encode(), "text/csv"), kind=ImportKind.CSV,
    )  # fmt: skip


def test_an_import_left_unfinished_is_cancelled_and_its_file_deleted(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_KEEP_DAYS = 30
    stale, fresh = uploaded(world), uploaded(world)
    storage, name = stale.file.storage, stale.file.name
    ImportRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=31))

    dry = StringIO()
    call_command("purge_expired", dry_run=True, stdout=dry)
    assert "1 imports of pupils left unfinished over 30 days would be cancelled" in dry.getvalue()
    assert ImportRun.objects.get(pk=stale.pk).status == ImportStatus.UPLOADED

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=out)
    assert "1 imports of pupils left unfinished over 30 days cancelled" in out.getvalue()
    stale.refresh_from_db()
    assert stale.status == ImportStatus.CANCELLED and not stale.file and "within 30 days" in stale.error
    assert not storage.exists(name)
    assert ImportRun.objects.get(pk=fresh.pk).status == ImportStatus.UPLOADED and fresh.file


def test_the_rows_not_imported_go_once_the_import_is_long_over(world: World, settings: Any) -> None:
    settings.IMPORT_KEEP_DAYS = 30
    run = uploaded(world)
    actor = actor_in(world.senco_a, world.setting_a)
    mapping = {"upn": 0, "legal_last_name": 1, "legal_first_name": 2, "date_of_birth": 3, "sex": 4}
    runs.match_columns(actor=actor, run=run, mapping=mapping)  # tasks run at once in tests: checked now
    runs.start(actor=actor, run=ImportRun.objects.get(pk=run.pk), import_the_rest=True)
    run.refresh_from_db()
    assert run.status == ImportStatus.FINISHED and ImportRefusal.objects.filter(run=run).count() == 1

    call_command("purge_expired", stdout=StringIO())
    assert ImportRefusal.objects.filter(run=run).count() == 1  # still wanted: the list can be downloaded
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "1 rows not imported, of imports over 30 days ago, removed" in out.getvalue()
    run.refresh_from_db()
    assert not ImportRefusal.objects.filter(run=run).exists() and (run.created, run.refused) == (1, 1)
