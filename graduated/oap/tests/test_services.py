"""The OAP's services: versions, items, links and self-reviews, as the rules say."""

from datetime import date

import pytest

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.oap import selectors, services
from graduated.oap.models import Level, OAPVersion, ProvisionStrategy, Rating, SelfReview, Strategy
from graduated.oap.tests.factories import ACTOR, published, strategy
from graduated.pupils.codes import BroadArea
from graduated.support.models import CycleStatus
from graduated.support.tests.factories import draft_cycle


def test_a_draft_is_copied_from_the_latest_version_and_publishing_keeps_the_old_one(world: World) -> None:
    first = published(world.la_north)
    draft, made = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    assert made and draft.number == 2
    assert [s.title for s in draft.strategies.all()] == [s.title for s in first.strategies.all()]
    again, made_again = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    assert again.pk == draft.pk and not made_again  # one draft at a time

    services.add_item(
        actor=ACTOR, version=draft, kind="strategies", details=strategy("Word mat"), expected_version=draft.version
    )
    draft.refresh_from_db()
    services.publish(
        actor=ACTOR,
        version=draft,
        effective_from=date(2026, 9, 1),
        change_note="Word mat",
        expected_version=draft.version,
    )
    assert Strategy.objects.filter(version=first).count() == 4  # the published one is as it was
    assert selectors.in_force(world.la_north, date(2026, 8, 31)).number == 1  # type: ignore[union-attr]
    assert selectors.in_force(world.la_north, date(2026, 9, 1)).number == 2  # type: ignore[union-attr]


def test_a_stale_edit_and_a_published_version_are_refused_and_change_nothing(world: World) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    seen = draft.version
    services.add_item(actor=ACTOR, version=draft, kind="strategies", details=strategy("A"), expected_version=seen)
    events = AuditEvent.objects.count()
    with pytest.raises(StaleEditError):
        services.add_item(actor=ACTOR, version=draft, kind="strategies", details=strategy("B"), expected_version=seen)
    assert list(draft.strategies.values_list("title", flat=True)) == ["A"] and AuditEvent.objects.count() == events
    draft.refresh_from_db()
    services.publish(
        actor=ACTOR, version=draft, effective_from=date(2025, 9, 1), change_note="", expected_version=draft.version
    )
    with pytest.raises(services.OAPError, match="has been published"):
        services.add_item(
            actor=ACTOR, version=draft, kind="strategies", details=strategy("C"), expected_version=draft.version
        )


def test_publishing_before_the_previous_version_or_empty_is_refused(world: World) -> None:
    published(world.la_north, effective_from=date(2026, 1, 1))
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    with pytest.raises(services.OAPError, match="on or after 1 January 2026"):
        services.publish(
            actor=ACTOR, version=draft, effective_from=date(2025, 9, 1), change_note="", expected_version=draft.version
        )
    empty, _ = services.start_draft(actor=ACTOR, local_authority=world.la_south)
    with pytest.raises(services.OAPError, match="at least one"):
        services.publish(
            actor=ACTOR, version=empty, effective_from=date(2025, 9, 1), change_note="", expected_version=empty.version
        )
    assert OAPVersion.objects.get(pk=empty.pk).is_draft


def test_one_audit_event_per_change(world: World) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    before = AuditEvent.objects.count()
    item = services.add_item(
        actor=ACTOR, version=draft, kind="expectations", expected_version=draft.version,
        details={"theme": "Knowing the pupils", "title": "Staff know the register", "description": ""},
    )  # fmt: skip
    draft.refresh_from_db()
    services.change_item(
        actor=ACTOR, item=item, kind="expectations", expected_version=draft.version,
        details={"theme": "Knowing the pupils", "title": "Staff know the SEN register", "description": ""},
    )  # fmt: skip
    draft.refresh_from_db()
    services.remove_item(actor=ACTOR, item=item, expected_version=draft.version)
    actions = list(AuditEvent.objects.filter(pk__gt=0).order_by("pk").values_list("action", flat=True))[before:]
    assert actions == ["create", "change", "delete"]


def test_a_strategy_goes_on_a_plan_once_and_never_on_a_closed_cycle(world: World) -> None:
    version = published(world.la_north)
    chunked = version.strategies.get(title="Chunked instructions")
    cycle = draft_cycle(world.p1)
    link = services.add_strategy_to_plan(actor=ACTOR, cycle=cycle, strategy=chunked, expected_version=cycle.version)
    assert link.provision.kind == "strategy" and link.provision.description == chunked.description
    cycle.refresh_from_db()
    with pytest.raises(services.OAPError, match="already has"):
        services.add_strategy_to_plan(actor=ACTOR, cycle=cycle, strategy=chunked, expected_version=cycle.version)
    other = version.strategies.get(title="Movement breaks")
    with pytest.raises(StaleEditError):
        services.add_strategy_to_plan(actor=ACTOR, cycle=cycle, strategy=other, expected_version=cycle.version - 1)
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    with pytest.raises(services.OAPError, match="closed"):
        services.add_strategy_to_plan(actor=ACTOR, cycle=cycle, strategy=other, expected_version=cycle.version)
    assert ProvisionStrategy.objects.filter(cycle=cycle).count() == 1
    assert cycle.provisions.count() == 2  # the factory's own and the strategy


def test_strategies_for_areas_come_quality_first_teaching_first(world: World) -> None:
    version = published(world.la_north)
    found = selectors.strategies_for_areas(version.pk, [BroadArea.COGNITION_LEARNING, BroadArea.SEMH])
    assert [(s.title, s.level) for s in found] == [
        ("Chunked instructions", Level.QUALITY_FIRST), ("Movement breaks", Level.QUALITY_FIRST),
        ("Pre-teaching vocabulary", Level.SEN_SUPPORT),
    ]  # fmt: skip


def test_a_self_review_is_saved_in_draft_then_completed_only_when_every_expectation_is_answered(world: World) -> None:
    version = published(world.la_north)
    first, second = version.expectations.all()
    review = services.save_self_review(
        actor=ACTOR, setting=world.setting_a, academic_year=2026, version=version, expected_version=0,
        answers={first.pk: (Rating.MET, "Register shared each term"), second.pk: ("", "")},
    )  # fmt: skip
    with pytest.raises(services.IncompleteReviewError, match="Parents are met"):
        services.save_self_review(
            actor=ACTOR, setting=world.setting_a, academic_year=2026, version=version, expected_version=review.version,
            answers={first.pk: (Rating.MET, "")}, complete=True,
        )  # fmt: skip
    assert SelfReview.objects.get(pk=review.pk).answers.get(expectation=first).note == "Register shared each term"
    with pytest.raises(StaleEditError):  # a second person who opened the page before the first saved
        services.save_self_review(
            actor=ACTOR, setting=world.setting_a, academic_year=2026, version=version, expected_version=0,
            answers={first.pk: (Rating.NOT_YET, "")},
        )  # fmt: skip
    done = services.save_self_review(
        actor=ACTOR, setting=world.setting_a, academic_year=2026, version=version, expected_version=review.version,
        answers={second.pk: (Rating.PARTLY, "Twice so far")}, complete=True,
    )  # fmt: skip
    assert done.is_complete and done.completed_at is not None
    with pytest.raises(services.OAPError, match="marked complete"):
        services.save_self_review(
            actor=ACTOR, setting=world.setting_a, academic_year=2026, version=version, expected_version=done.version,
            answers={second.pk: (Rating.MET, "")},
        )  # fmt: skip


def test_many_items_added_at_once_are_one_change_in_order(world: World) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    before = AuditEvent.objects.count()
    made = services.add_items(
        actor=ACTOR,
        version=draft,
        kind="strategies",
        items=[strategy("A"), strategy("B")],
        expected_version=draft.version,
    )
    assert made == 2 and AuditEvent.objects.count() == before + 1
    assert list(draft.strategies.order_by("position").values_list("title", flat=True)) == ["A", "B"]
    with pytest.raises(StaleEditError):
        services.add_items(actor=ACTOR, version=draft, kind="strategies", items=[strategy("C")], expected_version=1)
