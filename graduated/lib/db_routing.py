"""Read replicas for the LA's read-heavy pages (docs/scaling.md).

With ``DATABASE_REPLICA_URL`` set, the reads made inside ``with from_replica():`` go to the
``replica`` database; every write, and every read anywhere else, goes to ``default``. The LA-wide
figures and exports use it around the reads that aggregate the LA's records. A replica lags its
primary by a moment, which a report of the whole LA can bear and a form the person has just saved
could not: that is why the choice is made around those reads, not per model. The access check
before them always reads the primary, so a membership just removed takes effect at once. Without
the setting there is no ``replica`` alias and nothing changes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def from_replica() -> Iterator[None]:
    """Reads inside the block may come from the replica (when one is configured)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads inside ``from_replica()`` go to the replica; everything else to ``default``."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None  # the default database

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"  # the replica follows the primary's schema by replication
