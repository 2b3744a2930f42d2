"""Counting attempts against limits that hold when many requests arrive at once.

An attempt is counted *before* it is checked: ``reserve`` takes a place under every limit it names,
in one short transaction under a lock on those keys, or refuses them all. Only then does the caller
check the password or code, and ``release`` the places when it was right. So 40 wrong passwords sent
at the same moment for one (address, IP address) pair get at most the limit's number of checks:
the others find the places taken. Counting after the check, as a plain "count, check, record"
does, lets every request that starts before the first failure is written through.

The lock is PostgreSQL's transaction-scoped advisory lock on each key (released at commit); SQLite
needs none, because every transaction here begins IMMEDIATE and so takes the database's write lock.
"""

import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from graduated.accounts.models import ThrottleHit


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` counted attempts per key within ``minutes``."""

    scope: str
    attempts: int
    minutes: int

    def window_start(self) -> datetime:
        return timezone.now() - timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Reservation:
    """The places taken by one attempt; ``refused_by`` is the limit that was full, if any."""

    hit_ids: tuple[int, ...] = ()
    refused_by: Limit | None = None

    @property
    def refused(self) -> bool:
        return self.refused_by is not None


def _lock(keys: list[str]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Sorted, so that two attempts naming the same keys take their locks in the same order.
        for lock_id in sorted({zlib.crc32(key.encode()) for key in keys}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def reserve(*wanted: tuple[Limit, str]) -> Reservation:
    """Count one attempt under each (limit, key), or under none if any of them is full."""
    with transaction.atomic():
        _lock([f"{limit.scope}|{key}" for limit, key in wanted])
        for limit, key in wanted:
            # Attempts older than the window no longer count: forget them as new ones come in.
            ThrottleHit.objects.filter(scope=limit.scope, key=key, at__lt=limit.window_start()).delete()
            if ThrottleHit.objects.filter(scope=limit.scope, key=key).count() >= limit.attempts:
                return Reservation(refused_by=limit)
        hits = [ThrottleHit.objects.create(scope=limit.scope, key=key) for limit, key in wanted]
    return Reservation(hit_ids=tuple(hit.pk for hit in hits))


def release(reservation: Reservation) -> None:
    """The attempt was right: it does not count against any limit."""
    if reservation.hit_ids:
        ThrottleHit.objects.filter(pk__in=reservation.hit_ids).delete()


def clear(limit: Limit, key: str) -> None:
    """Forget every counted attempt for ``key`` (after a successful sign-in, say)."""
    ThrottleHit.objects.filter(scope=limit.scope, key=key).delete()
