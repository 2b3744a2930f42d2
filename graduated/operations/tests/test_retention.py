"""Retention and subject access, on the demo's pupils, whose records have years of history.

The demo is loaded once for the module (about 15 s) inside a transaction that is rolled back at the
end; each test runs in a savepoint of its own. Files on disk are not rolled back, so each test
works on a different pupil.
"""

import json
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.operations.pupil_data import PupilData, collect
from graduated.operations.retention import TOMBSTONE, expired_pupils, retention_cutoff
from graduated.operations.tests.helpers import concrete_models, rows_mentioning
from graduated.pupils.models import Pupil


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def with_documents() -> list[Pupil]:
    return list(Pupil.objects.filter(documents__isnull=False).distinct().order_by("pk"))


def richest(pupils: list[Pupil]) -> tuple[Pupil, PupilData]:
    """The pupil whose record spans the most kinds of row (cycles, meetings, referrals, EHC...)."""
    scored = [(collect(pupil), pupil) for pupil in pupils]
    data, pupil = max(scored, key=lambda pair: (len(pair[0].rows), pair[0].count()))
    return pupil, data


def names_of(pupil: Pupil) -> list[str]:
    names = [f"{pupil.legal_first_name} {pupil.legal_last_name}", pupil.display_name, pupil.upn or ""]
    return sorted({name for name in names if name})


def pupil_keys() -> list[tuple[type[models.Model], str]]:
    return [
        (model, field.name)
        for model in concrete_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Pupil
    ]


@pytest.mark.parametrize(
    ("today", "born_on_or_before"),
    [
        (date(2057, 9, 1), date(2026, 9, 1)),  # the 31st birthday itself: due
        (date(2057, 3, 1), date(2026, 3, 1)),
        (date(2060, 2, 29), date(2029, 2, 28)),  # no 29 February 31 years earlier
        (date(2057, 2, 28), date(2026, 2, 28)),  # born 29 February 2024: kept until 1 March 2055
    ],
)
def test_the_retention_cutoff_is_the_birthday_n_years_on(today: date, born_on_or_before: date) -> None:
    assert retention_cutoff(today, 31) == born_on_or_before
    assert retention_cutoff(date(2055, 2, 28), 31) < date(2024, 2, 29) <= retention_cutoff(date(2055, 3, 1), 31)


def test_purge_leaves_nothing_of_the_pupil_but_a_tombstone(
    demo: None, db: None, client: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # Among pupils whose records hold every kind of thing, a professional's grant included.
    pupil, data = richest([p for p in with_documents()[1:] if p.professional_grants.exists()])
    assert len(data.rows) > 20 and len(data.files()) >= 1  # a rich record: cycles, meetings, EHC...
    paths = [Path(stored.path) for stored in data.files()]
    # Pages that once wrote pupils' names into the audit trail, which the purge must leave.
    staff = pupil.staff_links.select_related("user").first()
    professional = pupil.professional_grants.select_related("user").first()
    assert staff is not None and professional is not None
    # The demo's grant to this pupil has ended; open it again so the professional's list shows them.
    pupil.professional_grants.update(expires_on=date.today() + timedelta(days=30), revoked_at=None)
    assert pupil.professional_grants.live().exists()
    for user, page in [(staff.user, "worklists:my_pupils"), (professional.user, "professionals:my_pupils")]:
        client.force_login(user)
        assert client.get(reverse(page)).status_code == 200
        listed = AuditEvent.objects.filter(actor_id=user.pk, object_type__contains="pupils").latest("id")
        assert f"{pupil.pk}" in listed.description  # by id: the name scan below covers the rest
    cycle = pupil.cycles.order_by("number").first()
    senco = next(m.user for m in cycle.setting.memberships.select_related("user") if m.role == "senco")
    client.force_login(senco)
    assert client.get(reverse("support:plan_export", args=[pupil.pk, cycle.pk, "docx"])).status_code == 200
    assert all(rows_mentioning(name) for name in names_of(pupil))  # the scan finds the record before
    events_before = AuditEvent.objects.filter(pupil_id=pupil.pk).count()
    others = Pupil.objects.exclude(pk=pupil.pk).count()

    Pupil.objects.filter(pk=pupil.pk).update(date_of_birth=date(1990, 1, 1))
    settings.RETENTION_YEARS_AFTER_BIRTH = 31
    assert list(expired_pupils()) == [pupil]
    dry = StringIO()
    call_command("purge_expired", dry_run=True, stdout=dry)
    assert f"Would remove pupil {pupil.pk}: {data.count()} rows" in dry.getvalue()
    assert Pupil.objects.filter(pk=pupil.pk).exists() and all(path.exists() for path in paths)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_expired", stdout=out)

    assert f"Removed pupil {pupil.pk}" in out.getvalue() and "1 records" in out.getvalue()
    assert pupil.display_name not in out.getvalue()  # cron mail carries no names
    for model, pks in data.rows.items():
        assert not model._base_manager.filter(pk__in=pks).exists(), model._meta.label
    for model, key in pupil_keys():
        assert not model._base_manager.filter(**{key: pupil.pk}).exists(), f"{model._meta.label}.{key}"
    for name in names_of(pupil):
        assert rows_mentioning(name) == [], name
    assert not any(path.exists() for path in paths)
    assert Pupil.objects.count() == others
    # The audit trail stays, by id, with one tombstone more.
    events = AuditEvent.objects.filter(pupil_id=pupil.pk)
    assert events.count() == events_before + 1
    tombstone = events.get(action=AuditAction.DELETE, object_type="pupil")
    assert (tombstone.description, tombstone.actor_role, tombstone.object_id) == (TOMBSTONE, "retention", str(pupil.pk))


def test_nothing_is_purged_before_the_retention_period_ends(demo: None, db: None) -> None:
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "0 records past 31 years from birth removed" in out.getvalue()


def test_a_subject_access_export_holds_the_whole_record_and_is_audited(demo: None, db: None, tmp_path: Path) -> None:
    pupil = with_documents()[0]
    data = collect(pupil)
    events = AuditEvent.objects.filter(pupil_id=pupil.pk).count()
    target = tmp_path / "sar.zip"

    call_command("export_subject_access", str(pupil.pk), output=target, stdout=StringIO())

    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        for model, pks in data.rows.items():
            rows = json.loads(archive.read(f"record/{model._meta.label_lower}.json"))
            assert sorted(row["pk"] for row in rows) == sorted(pks), model._meta.label
        record = json.loads(archive.read("record/pupils.pupil.json"))[0]["fields"]
        assert (record["legal_first_name"], record["upn"]) == (pupil.legal_first_name, pupil.upn)
        stored = {Path(f.name).name: f for f in data.files()}
        files = [name for name in names if name.startswith("files/")]
        assert len(files) == len(stored) >= 1
        for document in pupil.documents.all():
            name = f"files/document/{document.pk}-{document.original_name}"
            assert archive.read(name) == document.file.open("rb").read()
        trail = json.loads(archive.read("audit-trail.json"))
        assert len(trail) == events and {"actor_email", "action", "occurred_at"} <= trail[0].keys()
        assert "README.txt" in names
    assert target.stat().st_mode & 0o077 == 0
    export = AuditEvent.objects.filter(pupil_id=pupil.pk, action=AuditAction.EXPORT).latest("id")
    assert export.object_type == "subject access request" and pupil.legal_last_name not in export.description

    with pytest.raises(CommandError, match="exists already"):
        call_command("export_subject_access", str(pupil.pk), output=target)
    with pytest.raises(CommandError, match="There is no pupil 999999"):
        call_command("export_subject_access", "999999", output=tmp_path / "other.zip")
