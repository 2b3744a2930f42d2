"""Inserting many rows fast: one ``executemany`` of plain tuples, without building model instances.

``Model.objects.bulk_create`` spends most of its time per value (model instances, ``pre_save``,
``get_db_prep_save`` for every field of every row): for an import of 130,000 pupils, a million
rows, that is most of the time budget. ``insert`` takes rows as tuples in the order of ``fields``
and converts only the values that need it for the database (dates, datetimes, JSON), once each.
The caller gives every value itself, defaults and ``auto_now`` fields included: nothing of the
model's own saving logic runs (no signals, no ``save()``), so this is for rows of plain data.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router

Adapt = Callable[[Any], Any]


def _remembered(adapt: Adapt) -> Adapt:
    """``adapt`` for a value that repeats (an import's rows share one timestamp and few dates)."""
    seen: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = found = adapt(value)
            return found

    return adapted


def _adapter(field: models.Field[Any, Any], connection: Any) -> Adapt | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _remembered(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _remembered(ops.adapt_datefield_value)
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.GenericIPAddressField):
        return ops.adapt_ipaddressfield_value
    return None


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples of values for ``fields``, by field name; a foreign key by its
    ``_id``) into ``model``'s table in one statement per batch. Returns how many rows were given."""
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [_field(meta, name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column or field.name) for field in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    # Names come from the model, quoted; every value is a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES ({placeholders})"  # noqa: S608
    todo = [(i, adapt) for i, field in enumerate(columns) if (adapt := _adapter(field, connection)) is not None]
    params: list[Sequence[Any]] = rows
    if todo:
        params = []
        for row in rows:
            values = list(row)
            for i, adapt in todo:
                if values[i] is not None:
                    values[i] = adapt(values[i])
            params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)


def _field(meta: Any, name: str) -> models.Field[Any, Any]:
    """The field by its name, or a foreign key by its column's name (``pupil_id``)."""
    try:
        found = meta.get_field(name)
    except FieldDoesNotExist:
        found = meta.get_field(name.removesuffix("_id"))
        if not isinstance(found, models.ForeignKey):
            raise
    return found


def update(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, increment: Sequence[str] = ()
) -> int:
    """Set ``fields`` on many rows, each to its own values: rows are ``(pk, value, value, …)``, one
    ``UPDATE … WHERE pk = %s`` run with ``executemany``. Each field named in ``increment`` goes up
    by one as well (a version). ``bulk_update`` builds a CASE expression of every row for every
    field, which costs far more than the update itself for a thousand rows."""
    rows = list(rows)
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [_field(meta, name) for name in fields]
    quote = connection.ops.quote_name
    assignments = [f"{quote(field.column or field.name)} = %s" for field in columns]
    for name in increment:
        column = quote(_field(meta, name).column or name)
        assignments.append(f"{column} = {column} + 1")
    key = quote(meta.pk.column if meta.pk and meta.pk.column else "id")
    # Names come from the model, quoted; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} WHERE {key} = %s"  # noqa: S608
    todo = [(i + 1, adapt) for i, field in enumerate(columns) if (adapt := _adapter(field, connection)) is not None]
    params = []
    for row in rows:
        values = list(row)
        for i, adapt in todo:
            if values[i] is not None:
                values[i] = adapt(values[i])
        params.append([*values[1:], values[0]])
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)
