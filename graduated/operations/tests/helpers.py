"""What the operations tests compare: every row of every table, every stored file."""

from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, models


def concrete_models() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many through tables included."""
    return [
        model for model in apps.get_models(include_auto_created=True) if model._meta.managed and not model._meta.proxy
    ]


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    return {model._meta.label: list(model._base_manager.order_by("pk").values_list()) for model in concrete_models()}


def every_file(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def text_columns() -> list[tuple[type[models.Model], str]]:
    """Every column that can hold words: character, text and JSON fields of every table."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [
        (model, field.name)
        for model in concrete_models()
        for field in model._meta.concrete_fields
        if isinstance(field, kinds)
    ]


def rows_mentioning(needle: str) -> list[str]:
    """Where ``needle`` appears in any text column of any table, case-insensitively."""
    found = []
    for model, name in text_columns():
        field = model._meta.get_field(name)
        # JSON is searched as its stored text, so a name inside a snapshot of a map is found too.
        column = f"{connection.ops.quote_name(model._meta.db_table)}.{connection.ops.quote_name(field.column)}"
        cast = f"CAST({column} AS TEXT)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608 - names from the models
                f"WHERE LOWER({cast}) LIKE %s",
                [f"%{needle.lower()}%"],
            )
            (count,) = cursor.fetchone()
        if count:
            found.append(f"{model._meta.label}.{name} ({count})")
    return found
