"""An import's stored file read back as records: the CSV reader with the person's column matching,
or the CTF reader, and what the file gives (the import changes only that)."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.conf import settings

from graduated.records import csv_import
from graduated.records.apply import CTF_GIVES, ImportOptions
from graduated.records.ctf import CTFReader, PupilProblem
from graduated.records.models import ImportKind, ImportRun
from graduated.records.record import PupilRecord

Item = PupilRecord | PupilProblem


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_MB) * 1024 * 1024


class _Counting:
    """A binary stream that counts the bytes read from it, for a progress bar through the file."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.read_bytes = 0

    def read(self, size: int = -1, /) -> bytes:
        data = self.stream.read(size)
        self.read_bytes += len(data)
        return data


@dataclass
class Source:
    items: Iterator[Item]
    options: ImportOptions
    details: dict[str, Any] = field(default_factory=dict)  # what the file says of itself (a CTF's header)
    counter: Any = None

    @property
    def read_bytes(self) -> int:
        return int(self.counter.read_bytes) if self.counter is not None else 0


def audit_name(run: ImportRun) -> str:
    return f"import {run.pk}"


@contextmanager
def open_source(run: ImportRun, *, today: date) -> Iterator[Source]:
    """The run's file, read from the start. Raises CSVFileError or CTFError (at once, or while
    iterating) when the file cannot be read."""
    with run.file.open("rb") as stream:
        if run.kind == ImportKind.CSV:
            yield _csv_source(run, stream, today)
        else:
            yield _ctf_source(run, stream, today)


def _csv_source(run: ImportRun, stream: IO[bytes], today: date) -> Source:
    layout = csv_import.read_layout(stream, max_bytes=max_bytes())
    mapping = {key: int(index) for key, index in run.mapping.items()}
    reader = csv_import.CSVReader(stream, layout, mapping, today=today)
    options = ImportOptions(
        today=today, gives=csv_import.gives(mapping), audit_object=("records.importrun", str(run.pk)),
        source=audit_name(run),
    )  # fmt: skip
    details = {"encoding": layout.encoding, "delimiter": layout.delimiter, "headers": layout.headers}
    return Source(iter(reader), options, details, counter=reader)


def _ctf_source(run: ImportRun, stream: IO[bytes], today: date) -> Source:
    counting = _Counting(stream)
    reader = CTFReader(counting, max_bytes=max_bytes())
    items = iter(reader)
    first = next(items, None)  # the header is known once the first pupil has been read
    header = reader.header
    details = {
        "version": header.ctf_version,
        "generated_at": header.generated_at.isoformat(),
        "source_school": header.source.name,
        "source": f"{header.source.lea}/{header.source.estab}",
        "source_urn": header.source.urn,
        "destination_urn": header.destination.urn if header.destination else "",
    }
    options = ImportOptions(
        today=today, gives=CTF_GIVES, year_groups_on=header.generated_at.date(),
        audit_object=("records.importrun", str(run.pk)), source=audit_name(run),
    )  # fmt: skip
    chained = itertools.chain([first] if first is not None else [], items)
    return Source(chained, options, details, counter=counting)
