"""Writing millions of rows through the models, fast: a ``Table`` per model, rows given as tuples.

``Model.objects.bulk_create`` costs about 60 µs a row here (measured on this project's
``DeliveryRecord``: model instances, then ``pre_save`` and ``get_db_prep_save`` for every value),
which would put the LA scale's ten million rows past the 15-minute budget on its own. A ``Table``
instead hands its rows to ``graduated.lib.bulk.insert``, the helper the pupil import uses: one
``executemany`` per batch, each value converted for the database by its model field. What the
model would fill in itself (a default, an ``auto_now`` time) is filled in here from the model's own
fields, so a column added with a default is picked up without a change here.

So that the rows are what the app itself would have saved, the first rows of every table, and one
in every few thousand after them, are built as model instances and ``full_clean()``-ed (choices,
lengths, validators such as the URN's and the UPN's); the database checks the rest as the rows go
in (NOT NULL, CHECK and UNIQUE constraints, and the foreign keys when each stage commits).

Primary keys are given, counted per table from 1 on an empty database, so that rows can point at
each other before they are written and the same seed always gives the same ids.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models

from graduated.lib.bulk import insert

BATCH = 20_000
CHECKED_FIRST = 200  # rows of each table built as model instances and validated
CHECK_EVERY = 5_000  # and one in this many after those


class Table:
    """The rows of one model, written in batches. ``add`` returns the new row's primary key."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], *, now: datetime, dry: bool = False) -> None:
        self.model, self.dry = model, dry
        meta = model._meta
        given = set(fields)
        pk = meta.pk
        assert pk is not None
        self.fields = [pk.attname, *fields]
        # Every other column gets what a new instance would have: its default, or now for auto_now.
        self.extra_fields: list[str] = []
        extra: list[Any] = []
        for field in meta.concrete_fields:
            if field.primary_key or field.attname in given or field.name in given:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            else:  # what Model() gives it: the default, "" for a text field, else None
                value = field.get_default()
                if value is None and not field.null:
                    raise ValueError(f"{meta.label}.{field.name} has no default: give it a value")
            self.extra_fields.append(field.attname)
            extra.append(value)
        self.extra = tuple(extra)
        self._foreign_keys = [f.name for f in meta.concrete_fields if f.is_relation]
        self._nullable = [f.attname for f in meta.concrete_fields if f.null]
        # graduated.lib.bulk converts dates, datetimes and JSON; times and decimals are converted here.
        by_column = {f.attname: f for f in meta.concrete_fields} | {f.name: f for f in meta.concrete_fields}
        columns = [by_column[name] for name in [*self.fields, *self.extra_fields]]
        self._adapt = [
            (index, connection.ops.adapt_timefield_value if isinstance(f, models.TimeField) else _decimal(f))
            for index, f in enumerate(columns)
            if isinstance(f, models.TimeField | models.DecimalField)
        ]
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 1
        self.written = 0

    def add(self, *values: Any) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows.append((pk, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def reserve(self) -> int:
        """A primary key for a row that ``put`` will add later (rows that point at each other)."""
        pk = self.next_id
        self.next_id += 1
        return pk

    def put(self, pk: int, *values: Any) -> None:
        self.rows.append((pk, *values))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.dry:  # counting only (a trial run): nothing is written
            self.written += len(self.rows)
            self.rows = []
            return
        self._check(self.rows)
        rows = [row + self.extra for row in self.rows] if self.extra else self.rows
        if self._adapt:
            rows = [self._adapted(row) for row in rows]
        insert(self.model, [*self.fields, *self.extra_fields], rows)
        self.written += len(self.rows)
        self.rows = []

    def _adapted(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for index, adapt in self._adapt:
            if values[index] is not None:
                values[index] = adapt(values[index])
        return tuple(values)

    def _check(self, rows: Sequence[tuple[Any, ...]]) -> None:
        names = [*self.fields, *self.extra_fields]
        for index, row in enumerate(rows):
            position = self.written + index
            if position >= CHECKED_FIRST and position % CHECK_EVERY:
                continue
            values = dict(zip(names, row + self.extra, strict=True))
            instance = self.model(**values)
            # Foreign keys are checked by the database at commit, uniqueness as the rows go in; a null
            # where the column allows one is what the app itself writes (blank is for forms).
            exclude = [*self._foreign_keys, *(name for name in self._nullable if values.get(name) is None)]
            try:
                instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                raise ValueError(f"{self.model._meta.label} row {row!r} is not valid: {error.message_dict}") from error


def _decimal(field: Any) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        return connection.ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)

    return adapt


class Store:
    """The tables being written in one run, so that they can all be flushed at the end of a stage."""

    def __init__(self, now: datetime, *, dry: bool = False) -> None:
        self.now, self.dry = now, dry
        self.tables: dict[type[models.Model], Table] = {}

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = Table(model, fields, now=self.now, dry=self.dry)
        elif table.fields[1:] != list(fields):
            raise ValueError(f"{model._meta.label} is written with two sets of fields")
        return table

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def counts(self) -> dict[str, int]:
        return {model._meta.label: table.written for model, table in sorted(self.tables.items(), key=_label)}


def _label(item: tuple[type[models.Model], Table]) -> str:
    return item[0]._meta.label


def tune_for_loading() -> None:
    """Faster writes while the data is built: nothing here needs to survive a power cut midway."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-500000")  # 500 MB of page cache, in KiB
            cursor.execute("PRAGMA temp_store=MEMORY")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit = off")


def finish(models_written: Iterable[type[models.Model]]) -> None:
    """After the last stage: statistics for the query planner, sequences past the given ids, and on
    SQLite the write-ahead log folded back into the database file."""
    written = list(models_written)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(statement)
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
