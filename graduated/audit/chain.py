"""The tamper-evident chain over the audit trail and the security log (decision 0004).

Each seal holds SHA-256(previous seal's hash, newline, the event's canonical form). Seals are
written after the fact by ``seal`` (``graduated audit-seal``, and ``graduated audit-verify``
before it checks), never by the request that wrote the event: a request would otherwise hold a
chain-wide lock until its transaction ends, and every pupil page writes an event.

``verify`` walks events and seals together in id order and names the first broken link: an event
that no longer matches its seal (changed), a seal whose event is gone or a missing seal (deleted),
an event between sealed ones that has no seal (inserted).
"""

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from graduated.audit.models import AuditEvent, AuditSeal, ChainSeal, SecurityEvent, SecurityEventSeal

logger = logging.getLogger("graduated.audit")

GENESIS = "0" * 64
# Events younger than this are left for the next run: on PostgreSQL ids are handed out before
# commit, so a slow transaction can commit a lower id after a higher one. Sealing past it would
# make that event look inserted. No request or task holds an audit write open this long.
DEFAULT_SETTLE = timedelta(minutes=10)
BATCH = 1000
CHUNK = 2000


@dataclass(frozen=True)
class Trail:
    """One chained table: which fields are hashed, in which order, and where its seals go.

    The field list is part of the format ("v1"): a field added to the model later joins the hash
    only under a new version, or every existing seal would stop matching.
    """

    name: str
    model: type[models.Model]
    seal_model: type[ChainSeal]
    fields: tuple[str, ...]
    lock_key: int


AUDIT = Trail(
    "audit trail", AuditEvent, AuditSeal,
    ("id", "occurred_at", "actor_id", "actor_email", "actor_role", "setting_id", "local_authority_id",
     "pupil_id", "action", "object_type", "object_id", "description", "changed_fields", "ip_address",
     "request_id"),
    lock_key=0x6A75_6469_7401,
)  # fmt: skip
SECURITY = Trail(
    "security log", SecurityEvent, SecurityEventSeal,
    ("id", "occurred_at", "kind", "user_id", "email", "local_authority_id", "setting_id", "ip_address",
     "request_id", "method", "path", "status", "detail"),
    lock_key=0x6A75_6469_7402,
)  # fmt: skip
TRAILS = (AUDIT, SECURITY)


def _plain(value: Any) -> Any:
    # Both databases hand back aware datetimes; UTC with microseconds makes them one string.
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def canonical(trail: Trail, row: Sequence[Any]) -> bytes:
    """The row (values in ``trail.fields`` order) as the bytes that are hashed."""
    values = [_plain(value) for value in row]
    return json.dumps(["v1", trail.seal_model._meta.db_table, values], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()  # fmt: skip


def link(previous_hash: str, trail: Trail, row: Sequence[Any]) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(trail, row)).hexdigest()


def head(trail: Trail) -> tuple[int | None, str]:
    last = trail.seal_model._default_manager.order_by("-event_id").values_list("event_id", "chain_hash").first()
    return (last[0], last[1]) if last else (None, GENESIS)


def _lock(trail: Trail) -> None:
    """Only one sealer extends a chain at a time (the seal's primary key is the backstop)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [trail.lock_key])
    # SQLite: the project opens every transaction IMMEDIATE, so writers queue at BEGIN already.


def seal(trail: Trail, *, settle: timedelta = DEFAULT_SETTLE, now: datetime | None = None) -> int:
    """Seal the trail's settled events after its last seal, in id order; the number sealed.

    Works in batches, each its own short transaction, so the lock is never held for long.
    """
    cutoff = (now or timezone.now()) - settle
    total = 0
    while True:
        with transaction.atomic():
            _lock(trail)
            head_id, head_hash = head(trail)
            everything = trail.model._base_manager.all()
            after = everything.filter(pk__gt=head_id) if head_id is not None else everything
            rows = list(after.order_by("pk").values_list(*trail.fields)[:BATCH])
            seals = []
            for row in rows:
                if row[1] > cutoff:  # occurred_at: stop at the first event that may not have settled
                    break
                head_hash = link(head_hash, trail, row)
                seals.append(trail.seal_model(event_id=row[0], previous_event_id=head_id, chain_hash=head_hash))
                head_id = row[0]
            trail.seal_model._default_manager.bulk_create(seals)
        total += len(seals)
        if len(seals) < BATCH:
            break
    if total:
        # The head in the application log is an anchor kept outside the database: a chain
        # rewritten from scratch no longer reaches the heads logged before.
        logger.info("%s sealed: %d events, head event %s hash %s", trail.name, total, head_id, head_hash)
    return total


@dataclass(frozen=True)
class Verification:
    trail: Trail
    verified: int
    unsealed: int
    head_event_id: int | None
    head_hash: str
    broken_event_id: int | None = None
    problem: str = ""  # "changed", "deleted" or "inserted"
    explanation: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _stream(queryset: models.QuerySet[Any], fields: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    return iter(queryset.order_by(fields[0]).values_list(*fields).iterator(chunk_size=CHUNK))


def _events(trail: Trail, *, up_to: int | None) -> models.QuerySet[Any]:
    everything = trail.model._base_manager.all()
    return everything.filter(pk__lte=up_to) if up_to is not None else everything.none()


def verify(trail: Trail, *, expected_head: tuple[int, str] | None = None) -> Verification:
    """Walk the trail and its seals in id order; the first broken link, or how many were verified.

    ``expected_head`` is an (event id, hash) pair recorded earlier, outside the database: checking
    it finds a chain that was rewritten or cut short after that point.
    """
    # The seals are read first and bounded by the head: every sealed event committed before its
    # seal, so it is in the events read afterwards unless someone removed it.
    top_id, top_hash = head(trail)
    sealed = trail.seal_model._default_manager.filter(event_id__lte=top_id or 0)
    seals = _stream(sealed, ("event_id", "chain_hash", "previous_event_id"))
    current = next(seals, None)
    events = _stream(_events(trail, up_to=top_id), trail.fields)
    event = next(events, None)
    previous_id: int | None = None
    previous_hash, verified, expected_seen = GENESIS, 0, False

    def broken(event_id: int, problem: str, explanation: str) -> Verification:
        return Verification(trail, verified, 0, top_id, top_hash, event_id, problem, explanation)

    while current is not None:
        sealed_id, sealed_hash, sealed_previous = current
        if sealed_previous != previous_id:
            missing = sealed_previous if sealed_previous is not None else sealed_id
            kept = event is not None and event[0] == missing
            what = f"the seal of event {missing} was deleted" if kept else f"event {missing} and its seal were deleted"
            return broken(missing, "deleted", f"{what}: the seal of event {sealed_id} follows it.")
        if event is None or event[0] > sealed_id:
            return broken(sealed_id, "deleted", f"event {sealed_id} was sealed but is no longer in the {trail.name}.")
        if event[0] < sealed_id:
            return broken(event[0], "inserted", f"event {event[0]} has no seal: it was added between sealed events.")
        if link(previous_hash, trail, event) != sealed_hash:
            explanation = f"event {sealed_id} no longer matches its seal: it or its seal was changed."
            return broken(sealed_id, "changed", explanation)
        if expected_head is not None and expected_head == (sealed_id, sealed_hash):
            expected_seen = True
        previous_id, previous_hash, verified = sealed_id, sealed_hash, verified + 1
        current, event = next(seals, None), next(events, None)
    if expected_head is not None and not expected_seen:
        return broken(expected_head[0], "changed", f"the chain no longer passes through event {expected_head[0]} "
                      f"with hash {expected_head[1]}: it was cut short or rewritten.")  # fmt: skip
    later = trail.model._base_manager.filter(pk__gt=top_id) if top_id is not None else trail.model._base_manager.all()
    return Verification(trail, verified, later.count(), top_id, top_hash)
