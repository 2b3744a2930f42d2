"""Optimistic locking: the one way a record that two people may edit at once is changed.

A ``Versioned`` model counts its saved changes in ``version``. A form carries the version it was
read at; the service names it as ``expected_version``, and a save on top of a newer version is
refused with ``StaleEditError`` (nothing written), never lost. The page then shows what is saved
now beside the person's typing, against the saved version: saving again is their decision.

- ``save_versioned(obj, update_fields=..., expected_version=...)`` writes the fields and the next
  version in one conditional UPDATE (``WHERE pk = ... AND version = expected``), so that of two
  saves on one version only one goes through, on every database, with or without a row lock.
- ``lock_for_edit(obj, expected_version)`` is for a workflow that must read the record afresh
  before deciding (its status, its children): it locks the row for the transaction (where the
  database locks rows), reads it into ``obj`` and compares the version. ``check_version`` compares
  later, for a workflow whose own refusals (already submitted, already published) come first.
- ``delete_versioned`` removes a row only if it is still at the version the person saw.
"""

from collections.abc import Iterable
from typing import Any, ClassVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, router

from graduated.lib.errors import ServiceError


def someone_else_changed(what: str) -> str:
    """The stale-edit message naming the record: ``someone_else_changed("this case")``."""
    return (
        f"Someone else changed {what} while you were editing. What is saved now is shown; your changes are "
        "in the form and have not been saved. Check them and save again."
    )


class StaleEditError(ServiceError):
    """Someone else saved the record after this person's form was read: nothing was saved.

    ``saved_version`` is the version saved now (None when the record is gone, or is not known);
    ``current`` what the service read as saved now (the record itself, or what a view shows of it).
    """

    default_message = someone_else_changed("this record")

    def __init__(self, message: str = "", *, saved_version: int | None = None, current: Any = None) -> None:
        super().__init__(message)
        self.saved_version = saved_version
        self.current = current


class Versioned(models.Model):
    """A record that two people may edit at once; see this module. Every model with a ``version``
    inherits this (a test checks it). A model whose version counts something else may redeclare
    the field with another default (0: "no version written yet")."""

    version = models.PositiveIntegerField(default=1)

    # How the stale-edit message reads for this kind of record.
    stale_message: ClassVar[str] = StaleEditError.default_message

    class Meta:
        abstract = True


def _row(obj: Versioned) -> models.QuerySet[Versioned]:
    """``obj``'s row, in the database ``obj`` came from (as ``Model.save`` writes to)."""
    using = router.db_for_write(type(obj), instance=obj)
    return type(obj)._base_manager.db_manager(using).filter(pk=obj.pk)


def _stale(obj: Versioned) -> StaleEditError:
    """The refusal, with ``obj`` read again so that it shows what is saved now."""
    try:
        obj.refresh_from_db()
    except ObjectDoesNotExist:
        return StaleEditError(obj.stale_message)
    return StaleEditError(obj.stale_message, saved_version=obj.version, current=obj)


def check_version(obj: Versioned, expected_version: int) -> None:
    """Refuse when ``obj`` (read afresh, under ``lock_for_edit``) is no longer at ``expected_version``."""
    if obj.version != expected_version:
        raise StaleEditError(obj.stale_message, saved_version=obj.version, current=obj)


def lock_for_edit[V: Versioned](obj: V, expected_version: int | None = None) -> V:
    """Lock ``obj``'s row for this transaction and read it afresh into ``obj`` (so that the caller
    sees what its change does); refuse if it is gone, or is no longer at ``expected_version``
    (None: compare later with ``check_version``, or not at all for a change that does not depend
    on what the person saw)."""
    if _row(obj).select_for_update().values_list("pk", flat=True).first() is None:
        raise StaleEditError(obj.stale_message)
    obj.refresh_from_db()
    if expected_version is not None:
        check_version(obj, expected_version)
    return obj


def save_versioned(obj: Versioned, *, update_fields: Iterable[str] = (), expected_version: int | None = None) -> None:
    """Write ``update_fields`` of ``obj`` and its next version, only if the stored row is still at
    ``expected_version`` (by default the version ``obj`` was read at). On success ``obj.version``
    is the new version; otherwise StaleEditError, nothing written and ``obj`` read again."""
    expected = obj.version if expected_version is None else expected_version
    values: dict[str, Any] = {}
    for name in update_fields:
        field = obj._meta.get_field(name)
        assert isinstance(field, models.Field) and field.concrete, f"{name} is not a column of {obj._meta.label}"
        # pre_save, as Model.save does: a file is stored, an auto_now date set.
        values[field.attname] = field.pre_save(obj, add=False)
    values["version"] = expected + 1
    if not _row(obj).filter(version=expected).update(**values):
        raise _stale(obj)
    obj.version = expected + 1


def delete_versioned(obj: Versioned, *, expected_version: int | None = None) -> None:
    """Delete ``obj``'s row only if it is still at ``expected_version`` (by default ``obj.version``)."""
    expected = obj.version if expected_version is None else expected_version
    deleted, _ = _row(obj).filter(version=expected).delete()
    if not deleted:
        raise _stale(obj)
