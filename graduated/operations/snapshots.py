"""Copying the database out and back in, for SQLite and PostgreSQL, while the app keeps running.

SQLite: the online backup API copies the live database page by page inside one read transaction,
so the copy is consistent even while the app writes (WAL lets writers carry on meanwhile).
PostgreSQL: ``pg_dump --format=custom`` reads everything in one snapshot; ``pg_restore`` loads it
in one transaction, so a failed restore leaves nothing half-loaded.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient

from graduated.audit import triggers
from graduated.lib.errors import ServiceError

# Filled in by migrate itself, so present in a database that holds no one's data. (The platform's
# plan types and tiers too: an LA's own would need an organisations.LocalAuthority row, still seen.)
_MIGRATION_FILLED = {"contenttypes.contenttype", "auth.permission", "plans.plantype", "plans.supporttier"}
SNAPSHOT_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class SnapshotError(ServiceError):
    """An expected failure, said in words for the person running the command."""


def snapshot_name(connection: BaseDatabaseWrapper) -> str:
    try:
        return SNAPSHOT_NAMES[connection.vendor]
    except KeyError:
        raise SnapshotError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.") from None


def dump(connection: BaseDatabaseWrapper, into: Path) -> None:
    """Write a consistent copy of the whole database to the file ``into``."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(into)
        try:
            connection.connection.backup(target)
            # A self-contained file: no write-ahead log beside it to lose.
            target.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as error:  # a full disk, an unreadable database
            raise SnapshotError(f"SQLite could not copy the database: {error}.") from error
        finally:
            target.close()
    else:
        _run_pg("pg_dump", connection, ["--format=custom", f"--file={into}"], into.name)


def load(connection: BaseDatabaseWrapper, snapshot: Path) -> None:
    """Replace the database's contents with the snapshot, then make sure the audit triggers hold."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(snapshot)
        try:
            source.backup(connection.connection)
        except sqlite3.Error as error:  # e.g. another process holds the database open for writing
            raise SnapshotError(f"SQLite could not load the backup: {error}.") from error
        finally:
            source.close()
    else:
        # pg_restore drops and recreates the tables: this connection's prepared statements would
        # point at tables that no longer exist, so it reconnects afterwards.
        connection.close()
        options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run_pg("pg_restore", connection, [*options, "--exit-on-error", "--dbname"], snapshot.name, snapshot)
    # The snapshot carries the triggers; installing them again (idempotent) keeps the audit trail
    # append-only even if the backup came from a database that had lost them.
    triggers.install(connection)


def tables_with_data(connection: BaseDatabaseWrapper) -> list[str]:
    """The models whose tables hold rows, ignoring what ``migrate`` writes by itself."""
    existing = set(connection.introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in existing or meta.label_lower in _MIGRATION_FILLED:
            continue
        if model._base_manager.using(connection.alias).exists():
            found.append(meta.label)
    return found


def _run_pg(
    program: str, connection: BaseDatabaseWrapper, parameters: list[str], what: str, last: Path | None = None
) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise SnapshotError(
            f"{program} was not found. Install PostgreSQL's client programs, of the server's version or "
            "newer (Debian: apt-get install postgresql-client)."
        )
    if not connection.settings_dict.get("NAME"):
        raise SnapshotError("DATABASE_URL must name the database for a backup or restore.")
    # Django's own psql helper turns the connection settings into arguments and PG* variables,
    # the password included, so it never appears on a command line.
    args, env = DatabaseClient.settings_to_cmd_args_env(connection.settings_dict, parameters)
    args[0] = executable
    if last is not None:
        args.append(str(last))
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings, no shell
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = result.stderr.strip().splitlines()[-3:]
        raise SnapshotError(f"{program} failed on {what}: " + " ".join(detail))
