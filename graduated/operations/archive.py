"""The backup archive: one uncompressed tar file holding a manifest, the database and the uploads.

    manifest.json          format, app version, database vendor, creation time, migrations, and
                           the size and SHA-256 of every other member
    database.sqlite3       (SQLite) or database.pgdump (PostgreSQL, pg_dump's custom format)
    uploads/...            every file under MEDIA_ROOT, by its path there

Uncompressed because the PostgreSQL dump and most uploads (PDFs, Office files) are compressed
already; a tar because any machine can list and unpack one without this program. The archive is
written beside its final name and renamed when complete, so a backup that was interrupted never
looks finished, and it is readable by its owner only: it holds every child's record.
"""

import hashlib
import io
import json
import os
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Self

from graduated.lib.errors import ServiceError

FORMAT = "graduated-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"


class ArchiveError(ServiceError):
    """A backup that cannot be written or trusted, said in words."""


@dataclass(frozen=True)
class Entry:
    path: str
    size: int
    sha256: str


class _HashingReader:
    """Hashes a file while tarfile copies it, so each file is read once."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


class ArchiveWriter:
    """Writes ``path`` member by member; ``finish`` adds the manifest and makes it visible."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.entries: list[Entry] = []
        try:
            descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise ArchiveError(f"Cannot write {self.partial}: {error.strerror}.") from error
        self._file = os.fdopen(descriptor, "wb")
        # Open across add_file calls and closed by finish or __exit__, so no with-block here.
        self._tar = tarfile.open(fileobj=self._file, mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is not None:  # anything went wrong: leave no partial archive behind
            self._file.close()
            self.partial.unlink(missing_ok=True)

    def add_file(self, source: Path, name: str) -> None:
        info = tarfile.TarInfo(name)
        info.size = source.stat().st_size
        info.mtime = int(source.stat().st_mtime)
        info.mode = 0o600
        with source.open("rb") as stream:
            reader = _HashingReader(stream)
            self._tar.addfile(info, reader)  # tarfile needs only read()
        self.entries.append(Entry(path=name, size=reader.size, sha256=reader.digest.hexdigest()))

    def finish(self, details: dict[str, Any]) -> Path:
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            **details,
            "files": [entry.__dict__ for entry in self.entries],
        }
        body = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(time.time())
        info.mode = 0o600
        self._tar.addfile(info, io.BytesIO(body))
        self._close()
        os.replace(self.partial, self.path)
        return self.path

    def _close(self) -> None:
        if not self._file.closed:
            self._tar.close()
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()


def unpack(path: Path, into: Path) -> dict[str, Any]:
    """Unpack the archive into the directory ``into``, checking every member against the manifest.

    Returns the manifest. Anything missing, extra, of the wrong size or checksum is refused,
    naming the member, before the caller changes anything.
    """
    found: dict[str, Entry] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for member in tar:
                name = _safe_name(member)
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                assert source is not None  # _safe_name allows regular files only
                with target.open("wb") as out:
                    reader = _HashingReader(source)
                    while chunk := reader.read(1024 * 1024):
                        out.write(chunk)
                found[name] = Entry(path=name, size=reader.size, sha256=reader.digest.hexdigest())
    except FileNotFoundError:
        raise ArchiveError(f"There is no backup at {path}.") from None
    except (tarfile.TarError, EOFError) as error:
        raise ArchiveError(f"{path} is not a complete backup archive ({error}).") from error
    manifest = _read_manifest(into / MANIFEST) if MANIFEST in found else None
    if manifest is None:
        raise ArchiveError(f"{path} has no {MANIFEST}: it is not a Graduated backup.")
    _check(manifest, found)
    return manifest


def _safe_name(member: tarfile.TarInfo) -> str:
    """Only plain files with relative names that stay inside the directory they unpack into."""
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise ArchiveError(f"The backup holds {member.name!r}, which a Graduated backup never does.")
    return name.as_posix()


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise ArchiveError(f"The backup's {MANIFEST} is damaged ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"The backup's {MANIFEST} does not describe a Graduated backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(f"The backup is in format version {manifest.get('format_version')}, not {FORMAT_VERSION}.")
    return manifest


def _check(manifest: dict[str, Any], found: dict[str, Entry]) -> None:
    try:
        listed = {item["path"]: Entry(**item) for item in manifest["files"]}
    except (KeyError, TypeError) as error:
        raise ArchiveError(f"The backup's {MANIFEST} lists its files in an unknown way.") from error
    for name, expected in sorted(listed.items()):
        actual = found.get(name)
        if actual is None:
            raise ArchiveError(f"The backup is damaged: {name} is missing.")
        if actual != expected:
            raise ArchiveError(
                f"The backup is damaged: {name} does not match its checksum "
                f"({actual.size} bytes, SHA-256 {actual.sha256}; the manifest says {expected.size} bytes, "
                f"SHA-256 {expected.sha256})."
            )
    extra = sorted(set(found) - set(listed) - {MANIFEST})
    if extra:
        raise ArchiveError(f"The backup holds files its manifest does not list: {', '.join(extra[:5])}.")
