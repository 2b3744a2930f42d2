from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from graduated.audit import triggers
from graduated.audit.models import AppendOnlyError, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.pupils import services
from graduated.pupils.models import ChronologyEntry, Need, SENStatusPeriod

ACTOR = Actor.system("test")


def test_changing_status_closes_the_old_period_and_keeps_the_history(world: World) -> None:
    pupil = world.p2  # N since 1 Sep 2023
    services.change_sen_status(actor=ACTOR, pupil=pupil, status="K", start_date=date(2024, 3, 4))
    services.change_sen_status(actor=ACTOR, pupil=pupil, status="E", start_date=date(2025, 6, 2))
    periods = list(SENStatusPeriod.objects.filter(pupil=pupil).order_by("start_date"))
    assert [(p.status, p.start_date, p.end_date) for p in periods] == [
        ("N", date(2023, 9, 1), date(2024, 3, 3)),
        ("K", date(2024, 3, 4), date(2025, 6, 1)),
        ("E", date(2025, 6, 2), None),
    ]
    summaries = list(
        ChronologyEntry.objects.filter(pupil=pupil, kind="status_changed").values_list("summary", flat=True)
    )
    assert "SEN status changed from SEN support to EHC plan" in summaries


def test_status_change_must_start_after_the_current_period(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.change_sen_status(actor=ACTOR, pupil=world.p1, status="E", start_date=date(2024, 1, 8))
    assert "start_date" in caught.value.message_dict
    assert SENStatusPeriod.objects.filter(pupil=world.p1).count() == 2


def test_same_status_twice_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.change_sen_status(actor=ACTOR, pupil=world.p1, status="K", start_date=date(2025, 1, 6))
    assert "already" in caught.value.message_dict["status"][0]


def test_the_database_allows_only_one_current_status(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SENStatusPeriod.objects.create(pupil=world.p1, status="E", start_date=date(2025, 1, 1))


def test_nsa_only_with_sen_support(world: World) -> None:
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="NSA", rank=1, start_date=date(2024, 2, 1))
    with pytest.raises(ValidationError) as caught:
        services.change_sen_status(actor=ACTOR, pupil=world.p1, status="E", start_date=date(2025, 1, 6))
    assert "NSA" in caught.value.message_dict["status"][0]
    services.change_sen_status(actor=ACTOR, pupil=world.p3, status="E", start_date=date(2025, 1, 6))
    with pytest.raises(ValidationError):
        services.record_need(actor=ACTOR, pupil=world.p3, sen_type="NSA", rank=1, start_date=date(2025, 2, 1))


def test_needs_need_the_register_and_distinct_ranks(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_need(actor=ACTOR, pupil=world.p2, sen_type="SLCN", rank=1, start_date=date(2024, 2, 1))
    assert "SEN support or an EHC plan" in caught.value.message_dict["sen_type"][0]
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 2, 1))
    with pytest.raises(ValidationError) as caught:
        services.record_need(actor=ACTOR, pupil=world.p1, sen_type="ASD", rank=1, start_date=date(2024, 2, 1))
    assert "ranked 1" in caught.value.message_dict["rank"][0]
    need = services.record_need(actor=ACTOR, pupil=world.p1, sen_type="ASD", rank=2, start_date=date(2024, 2, 1))
    assert need.broad_area == "Communication and interaction"


def test_coming_off_the_register_ends_current_needs(world: World) -> None:
    services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SPLD", rank=1, start_date=date(2024, 2, 1))
    services.change_sen_status(actor=ACTOR, pupil=world.p1, status="N", start_date=date(2025, 7, 1), reason="Caught up")
    need = Need.objects.get(pupil=world.p1)
    assert need.end_date == date(2025, 6, 30)


def test_ending_a_need_before_it_started_is_refused(world: World) -> None:
    need = services.record_need(actor=ACTOR, pupil=world.p1, sen_type="SPLD", rank=1, start_date=date(2024, 2, 1))
    with pytest.raises(ValidationError):
        services.end_need(actor=ACTOR, need=need, end_date=date(2024, 1, 1))
    need.refresh_from_db()
    assert need.end_date is None


def test_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    pupil = world.p1
    services.update_pupil_details(actor=ACTOR, pupil=pupil, changes={"preferred_first_name": "Pri"}, expected_version=1)
    with pytest.raises(StaleEditError):
        services.update_pupil_details(
            actor=ACTOR, pupil=pupil, changes={"preferred_first_name": "Ya"}, expected_version=1
        )
    pupil.refresh_from_db()
    assert (pupil.preferred_first_name, pupil.version) == ("Pri", 2)


def test_audit_events_cannot_be_changed_or_deleted(world: World) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(actor_role="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_change_audit_rows(world: World) -> None:
    # The migration installs these triggers; installing again is harmless and makes this test
    # independent of tests that remove them around a flush.
    triggers.install(connection)
    for statement in ("UPDATE audit_auditevent SET actor_role = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.exclude(actor_role="x").count() == AuditEvent.objects.count() > 0
