"""``graduated backup`` and ``graduated restore``: the database and the uploads, as one checked archive.

The database is copied first, in one consistent snapshot, and the uploads after it. Uploads are
never changed once stored (each has a generated name), so every file the snapshot's rows name is
still there to copy, except one whose document was removed in the seconds between: that file is
listed in the manifest as ``missing_uploads`` and reported, rather than failing the backup.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from graduated.lib.errors import ServiceError
from graduated.operations import archive, snapshots
from graduated.operations.archive import ArchiveError


class BackupError(ServiceError):
    """An expected failure of a backup or restore, said in words; the command prints it."""


@dataclass
class BackupResult:
    path: Path
    uploads: int
    missing_uploads: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    vendor: str
    created_at: str
    uploads: int
    pending_migrations: list[str]


def create_backup(output_dir: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT).resolve()
    output_dir = output_dir.resolve()
    if output_dir.is_relative_to(media_root):
        raise BackupError(f"Write backups outside MEDIA_ROOT ({media_root}): they would back themselves up.")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        created = datetime.now(UTC).replace(microsecond=0)
        path = output_dir / f"graduated-backup-{created:%Y%m%dT%H%M%SZ}.tar"
        if path.exists():
            raise BackupError(f"{path} exists already; wait a second and run the backup again.")
        name = snapshots.snapshot_name(connection)
        # The dump is staged beside the archive, not in /tmp, which is often small.
        with tempfile.TemporaryDirectory(prefix=".graduated-backup-", dir=output_dir) as staging:
            snapshot = Path(staging) / name
            snapshots.dump(connection, snapshot)
            missing: list[str] = []
            with archive.ArchiveWriter(path) as writer:
                writer.add_file(snapshot, name)
                for upload in _uploads(media_root):
                    relative = upload.relative_to(media_root).as_posix()
                    try:
                        writer.add_file(upload, f"{archive.UPLOADS}/{relative}")
                    except FileNotFoundError:
                        missing.append(relative)
                writer.finish(_details(connection, created, missing))
    except (snapshots.SnapshotError, ArchiveError) as error:
        raise BackupError(str(error)) from error
    except OSError as error:
        raise BackupError(f"The backup could not be written: {error}.") from error
    return BackupResult(path=path, uploads=len(writer.entries) - 1, missing_uploads=missing)


def restore_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Check the archive, then load it into an empty database and an empty MEDIA_ROOT."""
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="graduated-restore-") as unpacked:
        try:
            manifest = archive.unpack(path, Path(unpacked))
        except ArchiveError as error:
            raise BackupError(f"Nothing was restored. {error}") from error
        _check_target(connection, manifest, media_root)
        try:
            snapshots.load(connection, Path(unpacked) / snapshots.snapshot_name(connection))
        except snapshots.SnapshotError as error:
            raise BackupError(f"The database could not be restored: {error}") from error
        uploads = Path(unpacked) / archive.UPLOADS
        count = 0
        if uploads.is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            for source in _uploads(uploads):
                target = media_root / source.relative_to(uploads)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
                count += 1
    return RestoreResult(
        vendor=manifest["database_vendor"],
        created_at=manifest["created_at"],
        uploads=count,
        pending_migrations=_pending_migrations(connection),
    )


def _check_target(connection: BaseDatabaseWrapper, manifest: dict[str, Any], media_root: Path) -> None:
    vendor = manifest.get("database_vendor")
    if vendor != connection.vendor:
        raise BackupError(f"Nothing was restored: the backup is of a {vendor} database, not {connection.vendor}.")
    unknown = sorted(set(manifest.get("migrations", [])) - _known_migrations(connection))
    if unknown:
        raise BackupError(
            f"Nothing was restored: the backup was made by a newer Graduated ({manifest.get('app_version')}), "
            f"with migrations this one lacks ({', '.join(unknown[:3])}). Restore it with that version."
        )
    if filled := snapshots.tables_with_data(connection):
        raise BackupError(
            "Nothing was restored: the database already holds data (" + ", ".join(filled[:5]) + "). "
            "Restore into a new, empty database (`graduated migrate` on it first is fine)."
        )
    if any(_uploads(media_root)):
        raise BackupError(f"Nothing was restored: MEDIA_ROOT ({media_root}) already holds files. Empty it first.")


def _uploads(root: Path) -> list[Path]:
    """Every regular file under ``root``, in a stable order; links are not followed."""
    if not root.is_dir():
        return []
    found = []
    for directory, _dirs, files in os.walk(root):
        found += [Path(directory) / name for name in files if (Path(directory) / name).is_file()]
    return sorted(found)


def _details(connection: BaseDatabaseWrapper, created: datetime, missing: list[str]) -> dict[str, Any]:
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        "app_version": _app_version(),
        "database_vendor": connection.vendor,
        "created_at": created.isoformat(),
        "migrations": sorted(f"{app}.{name}" for app, name in applied),
        "missing_uploads": missing,
    }


def _known_migrations(connection: BaseDatabaseWrapper) -> set[str]:
    loader = MigrationExecutor(connection).loader
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def _pending_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _app_version() -> str:
    try:
        return version("graduated")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"
