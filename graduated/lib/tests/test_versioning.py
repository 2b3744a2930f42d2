"""Optimistic locking (lib/versioning.py) and the refusal a form is sent back with (lib/forms.py)."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.http import QueryDict

from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import (
    StaleEditError,
    Versioned,
    check_version,
    delete_versioned,
    lock_for_edit,
    save_versioned,
)
from graduated.organisations.models import LocalAuthority
from graduated.specialists.models import Service
from graduated.specialists.tests.factories import service, service_details

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def directory_service(db: None) -> Service:
    return service(LocalAuthority.objects.create(name="Northshire", code="861"))


def _stored(pk: int) -> tuple[str, str, int]:
    return Service.objects.values_list("name", "offer", "version").get(pk=pk)


# -- One base for every versioned model -------------------------------------------------------------


def test_every_model_with_a_version_field_inherits_the_versioned_base() -> None:
    """A new model cannot invent its own ``version``: it inherits ``Versioned``, saved by ``save_versioned``."""
    with_version = [
        model
        for model in apps.get_models()
        if model.__module__.startswith("graduated.")
        and any(field.name == "version" and not field.is_relation for field in model._meta.concrete_fields)
    ]
    assert [model._meta.label for model in with_version if not issubclass(model, Versioned)] == []
    assert len(with_version) >= 20  # the check finds the versioned models at all


# -- save_versioned ----------------------------------------------------------------------------------


def test_a_save_writes_the_named_fields_and_the_next_version(directory_service: Service) -> None:
    directory_service.name, directory_service.offer = "Renamed", "Not named, so not written"
    save_versioned(directory_service, update_fields=["name"])
    assert directory_service.version == 2
    assert _stored(directory_service.pk) == ("Renamed", "Consultation and assessment.", 2)


def test_a_stale_save_raises_and_writes_nothing(directory_service: Service) -> None:
    other = Service.objects.get(pk=directory_service.pk)  # someone else's copy, read at version 1
    other.name = "Their name"
    save_versioned(other, update_fields=["name"])
    directory_service.name, directory_service.offer = "My name", "My offer"
    with pytest.raises(StaleEditError) as raised:
        save_versioned(directory_service, update_fields=["name", "offer"])
    assert _stored(directory_service.pk) == ("Their name", "Consultation and assessment.", 2)
    error = raised.value
    assert isinstance(error, ServiceError) and "Someone else changed this service" in error.message
    # The refusal says what is saved now, and the caller's object shows it.
    assert error.saved_version == 2 and error.current is directory_service
    assert (directory_service.name, directory_service.version) == ("Their name", 2)


def test_the_expected_version_is_the_one_the_form_was_read_at(directory_service: Service) -> None:
    directory_service.name = "Renamed"
    with pytest.raises(StaleEditError):
        save_versioned(directory_service, update_fields=["name"], expected_version=7)
    assert _stored(directory_service.pk) == ("Educational Psychology Service", "Consultation and assessment.", 1)
    save_versioned(directory_service, update_fields=["name"], expected_version=1)
    assert _stored(directory_service.pk)[2] == 2


def test_a_save_of_a_row_someone_deleted_is_stale(directory_service: Service) -> None:
    Service.objects.filter(pk=directory_service.pk).delete()
    with pytest.raises(StaleEditError) as raised:
        save_versioned(directory_service, update_fields=["name"])
    assert raised.value.saved_version is None


def test_lock_for_edit_reads_afresh_and_compares(directory_service: Service) -> None:
    Service.objects.filter(pk=directory_service.pk).update(name="Changed elsewhere", version=2)
    with transaction.atomic(), pytest.raises(StaleEditError) as raised:
        lock_for_edit(directory_service, expected_version=1)
    assert raised.value.saved_version == 2 and directory_service.name == "Changed elsewhere"
    with transaction.atomic():
        assert lock_for_edit(directory_service, expected_version=2) is directory_service
        check_version(directory_service, 2)
        with pytest.raises(StaleEditError):
            check_version(directory_service, 1)


def test_a_stale_delete_keeps_the_row(directory_service: Service) -> None:
    Service.objects.filter(pk=directory_service.pk).update(version=2)
    with pytest.raises(StaleEditError):
        delete_versioned(directory_service, expected_version=1)
    assert Service.objects.filter(pk=directory_service.pk).exists()
    delete_versioned(directory_service, expected_version=2)
    assert not Service.objects.filter(pk=directory_service.pk).exists()


# -- Two saves at once -------------------------------------------------------------------------------


def _race(using: str) -> tuple[list[str], tuple[str, int]]:
    """Two people read version 1 of a service, then both save it at the same moment, each in a thread
    with a database connection of its own. Returns what each save came to, and the row as stored."""
    la = LocalAuthority.objects.using(using).create(name="Northshire", code="861")
    pk = Service.objects.using(using).create(local_authority=la, **service_details()).pk
    copies = [Service.objects.using(using).get(pk=pk) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(mine: Service) -> None:
        mine.name = f"Saved by thread {threading.get_ident()}"
        try:
            start.wait()
            with transaction.atomic(using=using):
                save_versioned(mine, update_fields=["name"], expected_version=1)
                time.sleep(0.2)  # hold the row, so that the other save meets it before this one commits
            outcomes.append(mine.name)
        except StaleEditError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=[copy]) for copy in copies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, Service.objects.using(using).values_list("name", "version").get(pk=pk)


def race_in_a_file_database() -> None:
    """The SQLite race, run in a process of its own whose default database is a file (see below)."""
    with connection.schema_editor() as editor:
        editor.create_model(LocalAuthority)
        editor.create_model(Service)
    outcomes, stored = _race(DEFAULT_DB_ALIAS)
    print(json.dumps({"outcomes": outcomes, "stored": stored}))


def _only_one_won(outcomes: list[str], stored: tuple[str, int]) -> None:
    assert len(outcomes) == 2 and outcomes.count("refused") == 1, outcomes
    winner = next(outcome for outcome in outcomes if outcome != "refused")
    assert tuple(stored) == (winner, 2)


def test_of_two_saves_at_once_on_sqlite_only_one_wins(tmp_path: Path) -> None:
    """SQLite: the second transaction waits at BEGIN IMMEDIATE for the first to commit, then finds the
    version moved on. The test database lives in memory, where threads share one cache and collide on
    table locks instead of waiting; so the race runs as the app does, against a database file with the
    project's options (WAL, BEGIN IMMEDIATE, a busy timeout), in a process of its own."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite race; PostgreSQL's is below")
    env = {
        **os.environ, "DEBUG": "1", "DATA_DIR": str(tmp_path), "DATABASE_URL": "",
        "DJANGO_SETTINGS_MODULE": "graduated.settings",
    }  # fmt: skip
    code = "import django; django.setup(); from graduated.lib.tests import test_versioning; "
    code += "test_versioning.race_in_a_file_database()"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    _only_one_won(result["outcomes"], result["stored"])


def test_of_two_saves_at_once_on_postgresql_only_one_wins(transactional_db: None) -> None:
    """PostgreSQL: the second UPDATE waits for the first's row lock, then finds the version moved on."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL race; SQLite's is above")
    _only_one_won(*_race(DEFAULT_DB_ALIAS))


def test_of_two_saves_on_one_version_the_later_is_refused(directory_service: Service) -> None:
    """Two people read version 1; the first saves; the second's save, on version 1, is refused."""
    first, second = Service.objects.get(pk=directory_service.pk), Service.objects.get(pk=directory_service.pk)
    first.name, second.name = "First", "Second"
    save_versioned(first, update_fields=["name"])
    with pytest.raises(StaleEditError):
        save_versioned(second, update_fields=["name"])
    assert _stored(directory_service.pk)[0::2] == ("First", 2)


# -- The form sent back with the refusal ------------------------------------------------------------


class _NameForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField(widget=forms.HiddenInput)


def _sent(**data: str) -> _NameForm:
    query = QueryDict(mutable=True)
    query.update(data)
    form = _NameForm(query)
    assert form.is_valid()
    return form


def test_a_stale_refusal_keeps_the_typing_against_the_saved_version() -> None:
    form = _sent(name="What I typed", version="1")
    assert show_refusal(form, StaleEditError("Someone else changed it.", saved_version=3))
    assert form.data["name"] == "What I typed" and form.data["version"] == "3"
    assert form.cleaned_data["version"] == 3
    assert form.non_field_errors() == ["Someone else changed it."]


def test_any_other_refusal_only_adds_its_message() -> None:
    form = _sent(name="What I typed", version="1")
    assert not show_refusal(form, ServiceError("Not now."))
    assert form.data["version"] == "1" and form.non_field_errors() == ["Not now."]
    kept = _sent(name="x", version="1")
    show_refusal(kept, StaleEditError(saved_version=3), version_field=None)
    assert kept.data["version"] == "1" and "Someone else changed this record" in kept.non_field_errors()[0]
