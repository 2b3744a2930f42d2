"""The tamper-evident chain: an untouched trail verifies; a row changed, deleted or slipped in with
the append-only triggers dropped is found, at the right event, by ``graduated audit-verify``."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from graduated.audit import chain, triggers
from graduated.audit.context import RequestContext, reset_context, set_context
from graduated.audit.models import AuditAction, AuditEvent, AuditSeal, SecurityEvent, SecurityEventKind
from graduated.audit.security import record_security_event
from graduated.audit.services import Actor, record

NOW = timedelta(0)


@pytest.fixture
def trail(db: None) -> list[int]:
    """Seven audit events (the ids), sealed, with two security events beside them."""
    actor = Actor.system("test")
    ids = [
        record(actor, AuditAction.VIEW, object_type="pupil record", pupil_id=n, description=f"Look {n}",
               changed_fields=["b", "a"]).pk
        for n in range(6)
    ]  # fmt: skip
    token = set_context(RequestContext(ip_address="192.0.2.7"))  # an inet column on PostgreSQL
    try:
        ids.append(record(actor, AuditAction.EXPORT, object_type="register", description="Ünïcode “quotes”").pk)
        record_security_event(SecurityEventKind.SIGN_IN_FAILED, email="someone@example.org")
    finally:
        reset_context(token)
    record_security_event(SecurityEventKind.DENIED, email="other@example.org", detail="pupils:detail (pupil_id=4)")
    assert chain.seal(chain.AUDIT, settle=NOW) == 7 and chain.seal(chain.SECURITY, settle=NOW) == 2
    return ids


def _sql(statement: str, params: list[object]) -> None:
    """As someone with the database's password would: the triggers dropped, then put back."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    triggers.install(connection)


def _verify(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _broken(*args: str) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit_verify", *args, stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    return err.getvalue()


def test_an_untouched_trail_verifies(trail: list[int]) -> None:
    result = chain.verify(chain.AUDIT)
    assert result.ok and result.verified == 7 and result.unsealed == 0 and result.head_event_id == trail[-1]
    out, err = _verify()
    assert "audit trail: all 7 events verified" in out and "security log: all 2 events verified" in out
    assert err == ""


def test_sealing_again_adds_only_new_events_and_leaves_young_ones(trail: list[int]) -> None:
    assert chain.seal(chain.AUDIT, settle=NOW) == 0
    record(Actor.system("test"), AuditAction.EXPORT, object_type="register")
    assert chain.seal(chain.AUDIT) == 0  # younger than the default ten minutes
    out, _ = _verify()
    assert "all 7 events verified (1 newer event not sealed yet)" in out
    assert chain.seal(chain.AUDIT, settle=NOW, now=timezone.now()) == 1
    assert chain.verify(chain.AUDIT).verified == 8


def test_a_changed_row_is_found(trail: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET actor_role = %s WHERE id = %s", ["senco", trail[3]])

    result = chain.verify(chain.AUDIT)
    assert (result.broken_event_id, result.problem, result.verified) == (trail[3], "changed", 3)
    assert f"broken at event {trail[3]} (changed)" in _broken()


def test_a_changed_json_field_or_timestamp_is_found(trail: list[int]) -> None:
    _sql("UPDATE audit_auditevent SET changed_fields = %s WHERE id = %s", ['["a"]', trail[1]])
    assert chain.verify(chain.AUDIT).broken_event_id == trail[1]
    later = AuditEvent.objects.get(pk=trail[4]).occurred_at + timedelta(microseconds=1)
    _sql("UPDATE audit_auditevent SET changed_fields = %s WHERE id = %s", ['["a", "b"]', trail[1]])
    _sql("UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s", [later, trail[4]])
    assert chain.verify(chain.AUDIT).broken_event_id == trail[4]


def test_a_deleted_row_is_found(trail: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [trail[2]])

    result = chain.verify(chain.AUDIT)
    assert (result.broken_event_id, result.problem) == (trail[2], "deleted")
    assert f"broken at event {trail[2]} (deleted)" in _broken()


def test_the_last_row_deleted_is_found(trail: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1]])
    assert (chain.verify(chain.AUDIT).broken_event_id, chain.verify(chain.AUDIT).problem) == (trail[-1], "deleted")


def test_a_row_deleted_with_its_seal_is_found(trail: list[int]) -> None:
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [trail[2]])
    _sql("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[2]])

    result = chain.verify(chain.AUDIT)
    assert (result.broken_event_id, result.problem) == (trail[2], "deleted")
    assert "and its seal were deleted" in result.explanation


def test_a_rewritten_or_shortened_chain_is_found_against_a_head_kept_elsewhere(trail: list[int]) -> None:
    out, _ = _verify()
    head = out.split("audit trail: ", 1)[1].split("head event ", 1)[1].split("\n", 1)[0]
    event_id, digest = head.split(", hash ")
    _verify("--expect-head", f"{event_id}:{digest}")
    # Cut the last event and its seal off: the chain that remains is whole, but short of the head.
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1]])
    _sql("DELETE FROM audit_auditseal WHERE event_id = %s", [trail[-1]])
    assert chain.verify(chain.AUDIT).ok
    assert "it was cut short or rewritten" in _broken("--expect-head", f"{event_id}:{digest}")


def test_an_inserted_row_is_found(db: None) -> None:
    actor = Actor.system("test")
    ids = [record(actor, AuditAction.VIEW, object_type="pupil record", pupil_id=n).pk for n in range(4)]
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [ids[1]])  # a gap, as a rolled-back id leaves
    chain.seal(chain.AUDIT, settle=NOW)
    assert chain.verify(chain.AUDIT).ok
    # bulk_create, because save() refuses a row that already has an id.
    AuditEvent.objects.bulk_create([AuditEvent(id=ids[1], action=AuditAction.VIEW, object_type="forged")])

    result = chain.verify(chain.AUDIT)
    assert (result.broken_event_id, result.problem) == (ids[1], "inserted")


def test_a_changed_security_event_is_found(trail: list[int]) -> None:
    first = SecurityEvent.objects.order_by("id").first()
    assert first is not None
    _sql("UPDATE audit_securityevent SET email = %s WHERE id = %s", ["nobody@example.org", first.pk])

    assert (chain.verify(chain.SECURITY).problem, chain.verify(chain.AUDIT).ok) == ("changed", True)
    assert f"security log: broken at event {first.pk} (changed)" in _broken()


def test_seals_are_append_only(trail: list[int]) -> None:
    triggers.install(connection)
    with pytest.raises(DatabaseError), transaction.atomic():
        connection.cursor().execute("UPDATE audit_auditseal SET chain_hash = 'x'")
    assert AuditSeal.objects.count() == 7


def test_sealing_in_several_batches_makes_the_same_chain(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    actor = Actor.system("test")
    for n in range(7):
        record(actor, AuditAction.VIEW, object_type="pupil record", pupil_id=n)
    monkeypatch.setattr(chain, "BATCH", 3)
    assert chain.seal(chain.AUDIT, settle=NOW) == 7
    result = chain.verify(chain.AUDIT)
    assert result.ok and result.verified == 7
    assert list(AuditSeal.objects.values_list("previous_event_id", flat=True)) == [
        None,
        *AuditEvent.objects.order_by("id").values_list("id", flat=True)[:6],
    ]


def test_two_sealers_at_once_make_one_chain(transactional_db: None) -> None:
    """On PostgreSQL the advisory lock keeps two sealers (two cron runs, or a verify beside a seal)
    from both extending the chain from the same head. SQLite queues writers at BEGIN anyway."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite has one writer at a time")
    actor = Actor.system("test")
    for n in range(40):
        record(actor, AuditAction.VIEW, object_type="pupil record", pupil_id=n)

    def seal_in_own_connection(_: int) -> int:
        try:
            return chain.seal(chain.AUDIT, settle=NOW)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sealed = list(pool.map(seal_in_own_connection, range(4)))
    assert sum(sealed) == 40
    result = chain.verify(chain.AUDIT)
    assert result.ok and result.verified == 40
