from datetime import date
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.organisations.models import LocalAuthority
from graduated.pathway import services
from graduated.pathway.models import Concern, PupilStage, Stage, StageKey
from graduated.pupils.models import ChronologyEntry, Pupil, SENStatusPeriod

ACTOR = Actor.system("test")


def _raise(pupil: Pupil, raised_on: date = date(2025, 1, 13)) -> Concern:
    return services.raise_concern(
        actor=ACTOR, pupil=pupil, raised_on=raised_on, areas=["SEMH", "CL"],
        what_is_seen="Not settling to work; reading age 2 years behind.", already_tried="Visual timetable.",
    )  # fmt: skip


def _stages(pupil: Pupil) -> list[tuple[str, date, date | None]]:
    periods = PupilStage.objects.filter(pupil=pupil).select_related("stage").order_by("start_date", "id")
    return [(p.stage.key, p.start_date, p.end_date) for p in periods]


def _statuses(pupil: Pupil) -> list[tuple[str, date, date | None]]:
    periods = SENStatusPeriod.objects.filter(pupil=pupil).order_by("start_date", "id")
    return [(p.status, p.start_date, p.end_date) for p in periods]


def test_a_new_la_gets_the_default_stages_once_in_order(world: World) -> None:
    la = LocalAuthority.objects.create(name="Westmoor", code="999")
    stages = services.stages_for(la)
    assert [s.name for s in stages] == [
        "Quality First Teaching", "Monitoring", "SEN support", "SEN support with specialist involvement",
        "My Support Plan", "EHC needs assessment requested", "EHC plan",
    ]  # fmt: skip
    assert [s.order for s in stages] == list(range(1, 8))
    services.stages_for(la)
    assert Stage.objects.filter(local_authority=la).count() == 7


def test_an_la_keeps_its_own_wording(world: World) -> None:
    stages = services.stages_for(world.la_north)
    Stage.objects.filter(pk=stages[1].pk).update(name="Cause for concern")
    assert services.stages_for(world.la_north)[1].name == "Cause for concern"
    assert services.stages_for(world.la_south)[1].name == "Monitoring"


def test_the_data_migration_gives_existing_las_the_defaults(world: World) -> None:
    migration = import_module("graduated.pathway.migrations.0002_default_stages")
    Stage.objects.filter(local_authority=world.la_south, key=StageKey.EHC_PLAN).delete()
    migration.create_default_stages(apps, None)  # it uses no schema editor
    assert Stage.objects.filter(local_authority=world.la_north).count() == 7
    assert Stage.objects.filter(local_authority=world.la_south).count() == 7


def test_changing_stage_closes_the_old_period_the_day_before(world: World) -> None:
    pupil = world.p1
    assert services.current_stage(pupil) is None  # no history: Quality First Teaching
    services.change_stage(actor=ACTOR, pupil=pupil, stage_key="sen_support", start_date=date(2024, 1, 8))
    services.change_stage(
        actor=ACTOR, pupil=pupil, stage_key="specialist_involvement", start_date=date(2025, 2, 3), reason="SALT"
    )
    assert _stages(pupil) == [
        ("sen_support", date(2024, 1, 8), date(2025, 2, 2)),
        ("specialist_involvement", date(2025, 2, 3), None),
    ]
    entries = ChronologyEntry.objects.filter(pupil=pupil, kind="stage_changed").values_list("summary", flat=True)
    assert set(entries) == {
        "Stage changed from Quality First Teaching to SEN support",
        "Stage changed from SEN support to SEN support with specialist involvement: SALT",
    }
    assert AuditEvent.objects.filter(pupil_id=pupil.pk, object_type="pathway.pupilstage").count() == 2


def test_a_same_day_change_ends_the_earlier_stage_that_day(world: World) -> None:
    services.change_stage(actor=ACTOR, pupil=world.p2, stage_key="monitoring", start_date=date(2025, 3, 3))
    services.change_stage(actor=ACTOR, pupil=world.p2, stage_key="sen_support", start_date=date(2025, 3, 3))
    assert _stages(world.p2) == [
        ("monitoring", date(2025, 3, 3), date(2025, 3, 3)),
        ("sen_support", date(2025, 3, 3), None),
    ]


def test_a_stage_cannot_start_before_the_current_one_or_repeat_it(world: World) -> None:
    services.change_stage(actor=ACTOR, pupil=world.p1, stage_key="sen_support", start_date=date(2024, 1, 8))
    with pytest.raises(ValidationError) as caught:
        services.change_stage(actor=ACTOR, pupil=world.p1, stage_key="ehc_plan", start_date=date(2024, 1, 7))
    assert "start_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.change_stage(actor=ACTOR, pupil=world.p1, stage_key="sen_support", start_date=date(2025, 1, 7))
    assert "stage_key" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.change_stage(
            actor=ACTOR, pupil=world.p2, stage_key="quality_first_teaching", start_date=date(2025, 1, 7)
        )
    with pytest.raises(ValidationError):
        services.change_stage(actor=ACTOR, pupil=world.p2, stage_key="not_a_stage", start_date=date(2025, 1, 7))
    assert _stages(world.p1) == [("sen_support", date(2024, 1, 8), None)]
    assert _stages(world.p2) == []


def test_the_database_refuses_two_current_stages_and_backwards_periods(world: World) -> None:
    stage = services.stage_for(world.la_north, "monitoring")
    PupilStage.objects.create(pupil=world.p1, stage=stage, start_date=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilStage.objects.create(pupil=world.p1, stage=stage, start_date=date(2025, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PupilStage.objects.create(pupil=world.p2, stage=stage, start_date=date(2025, 2, 1), end_date=date(2025, 1, 1))


def test_raising_a_concern_goes_on_the_chronology(world: World) -> None:
    concern = _raise(world.p2)
    assert concern.areas == ["CL", "SEMH"]  # stored in a fixed order
    assert concern.is_open
    entry = ChronologyEntry.objects.get(pupil=world.p2, kind="concern_raised")
    assert (entry.occurred_on, entry.summary) == (
        date(2025, 1, 13), "Concern raised: cognition and learning, social, emotional and mental health"
    )  # fmt: skip
    assert AuditEvent.objects.filter(object_type="pathway.concern", action="create").count() == 1


def test_a_concern_needs_a_known_area(world: World) -> None:
    with pytest.raises(ValidationError):
        services.raise_concern(
            actor=ACTOR, pupil=world.p2, raised_on=date(2025, 1, 1), areas=["XX"], what_is_seen="a", already_tried="b"
        )
    assert not Concern.objects.exists()


def test_deciding_to_monitor_moves_the_pupil_to_monitoring(world: World) -> None:
    concern = _raise(world.p2)
    with pytest.raises(ValidationError) as caught:
        services.decide_concern(actor=ACTOR, concern=concern, decision="monitor", decided_on=date(2025, 1, 20), note="")
    assert "look_again_on" in caught.value.message_dict
    services.decide_concern(
        actor=ACTOR, concern=concern, decision="monitor", decided_on=date(2025, 1, 20), note="Watch half a term",
        look_again_on=date(2025, 3, 3),
    )  # fmt: skip
    concern.refresh_from_db()
    assert (concern.decision, concern.look_again_on, concern.version) == ("monitor", date(2025, 3, 3), 2)
    assert _stages(world.p2) == [("monitoring", date(2025, 1, 20), None)]
    assert _statuses(world.p2) == [("N", date(2023, 9, 1), None)]
    assert ChronologyEntry.objects.filter(pupil=world.p2, kind="concern_decided").count() == 1


def test_starting_sen_support_sets_stage_status_k_and_records_parents_told(world: World) -> None:
    concern = _raise(world.p2)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.decide_concern(
            actor=ACTOR, concern=concern, decision="start_sen_support", decided_on=date(2025, 1, 20), note=""
        )
    assert "parents_notified_on" in caught.value.message_dict
    services.decide_concern(
        actor=ACTOR, concern=concern, decision="start_sen_support", decided_on=date(2025, 1, 20),
        note="Needs a plan", parents_notified_on=date(2025, 1, 17),
    )  # fmt: skip
    assert _stages(world.p2) == [("sen_support", date(2025, 1, 20), None)]
    assert _statuses(world.p2) == [("N", date(2023, 9, 1), date(2025, 1, 19)), ("K", date(2025, 1, 20), None)]
    told = ChronologyEntry.objects.get(pupil=world.p2, kind="parents_notified")
    assert told.occurred_on == date(2025, 1, 17)
    # One event per record written: the concern, the stage period and the status period.
    assert AuditEvent.objects.count() - before == 3


def test_a_pupil_already_on_k_keeps_their_status_period(world: World) -> None:
    concern = _raise(world.p1)
    services.decide_concern(
        actor=ACTOR, concern=concern, decision="start_sen_support", decided_on=date(2025, 1, 20), note="",
        parents_notified_on=date(2025, 1, 20),
    )  # fmt: skip
    assert _statuses(world.p1) == [("N", date(2023, 9, 1), date(2024, 1, 7)), ("K", date(2024, 1, 8), None)]
    assert _stages(world.p1) == [("sen_support", date(2025, 1, 20), None)]


def test_a_decided_concern_cannot_be_decided_again(world: World) -> None:
    concern = _raise(world.p2)
    services.decide_concern(
        actor=ACTOR, concern=concern, decision="no_further_action", decided_on=date(2025, 1, 20), note="Fine"
    )
    before = (AuditEvent.objects.count(), ChronologyEntry.objects.count())
    with pytest.raises(services.AlreadyDecidedError):
        services.decide_concern(
            actor=ACTOR, concern=concern, decision="start_sen_support", decided_on=date(2025, 1, 21), note="",
            parents_notified_on=date(2025, 1, 21),
        )  # fmt: skip
    concern.refresh_from_db()
    assert concern.decision == "no_further_action"
    assert (AuditEvent.objects.count(), ChronologyEntry.objects.count()) == before
    assert _stages(world.p2) == []


def test_a_decision_cannot_come_before_the_concern(world: World) -> None:
    concern = _raise(world.p2)
    with pytest.raises(ValidationError) as caught:
        services.decide_concern(
            actor=ACTOR, concern=concern, decision="no_further_action", decided_on=date(2025, 1, 1), note=""
        )
    assert "decided_on" in caught.value.message_dict


def test_removing_from_sen_support_sets_n_and_quality_first_teaching(world: World) -> None:
    services.change_stage(actor=ACTOR, pupil=world.p1, stage_key="sen_support", start_date=date(2024, 1, 8))
    with pytest.raises(ValidationError) as caught:
        services.remove_from_sen_support(actor=ACTOR, pupil=world.p1, on=date(2025, 7, 1), reason="  ")
    assert "reason" in caught.value.message_dict
    services.remove_from_sen_support(actor=ACTOR, pupil=world.p1, on=date(2025, 7, 1), reason="Caught up")
    assert _statuses(world.p1)[-1] == ("N", date(2025, 7, 1), None)
    assert SENStatusPeriod.objects.get(pupil=world.p1, end_date__isnull=True).reason == "Caught up"
    assert _stages(world.p1)[-1] == ("quality_first_teaching", date(2025, 7, 1), None)


def test_only_a_pupil_with_sen_support_can_be_removed_from_it(world: World) -> None:
    with pytest.raises(ValidationError):
        services.remove_from_sen_support(actor=ACTOR, pupil=world.p2, on=date(2025, 7, 1), reason="No")
    assert _statuses(world.p2) == [("N", date(2023, 9, 1), None)]


def test_a_decision_on_a_stale_form_is_refused(world: World) -> None:
    concern = _raise(world.p2)
    with pytest.raises(StaleEditError):
        services.decide_concern(
            actor=ACTOR, concern=concern, decision="no_further_action", decided_on=date(2025, 1, 20), note="",
            expected_version=7,
        )  # fmt: skip
    concern.refresh_from_db()
    assert concern.is_open


def test_no_further_action_ends_monitoring(world: World) -> None:
    first = _raise(world.p2)
    services.decide_concern(
        actor=ACTOR, concern=first, decision="monitor", decided_on=date(2025, 1, 20), note="",
        look_again_on=date(2025, 3, 3),
    )  # fmt: skip
    second = _raise(world.p2, date(2025, 3, 3))
    services.decide_concern(
        actor=ACTOR, concern=second, decision="no_further_action", decided_on=date(2025, 3, 4), note="Caught up"
    )
    assert _stages(world.p2) == [
        ("monitoring", date(2025, 1, 20), date(2025, 3, 3)),
        ("quality_first_teaching", date(2025, 3, 4), None),
    ]
