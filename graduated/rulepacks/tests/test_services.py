"""Versions of a rule pack: drafts copied from the latest version, stale saves refused, publishing
with a date, the version in force on a date; and the LA's pathway stages."""

from datetime import date

import pytest

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.pathway.models import Stage, StageKey
from graduated.pathway.services import stages_for
from graduated.rulepacks import selectors, services
from graduated.rulepacks.models import LocalRule, PackStatus, RuleKind, Step
from graduated.rulepacks.tests.factories import ACTOR, published, rule


def test_the_first_draft_has_the_usual_words_and_no_rules(world: World) -> None:
    draft, made = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    assert made and draft.number == 1 and draft.status == PackStatus.DRAFT
    assert draft.response_name == "Graduated Response" and draft.person_centred_plan_name == "My Support Plan"
    assert not draft.rules.exists()
    assert services.start_draft(actor=ACTOR, local_authority=world.la_north) == (draft, False)  # one draft at a time


def test_a_new_draft_copies_the_latest_published_version_which_stays_as_it_was(world: World) -> None:
    first = published(world.la_north, [rule(RuleKind.MIN_COMPLETED_CYCLES, 2)], response_name="Graduated Approach")
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    assert draft.number == 2 and draft.response_name == "Graduated Approach"
    (copied,) = draft.rules.all()
    assert (copied.kind, copied.parameter, copied.source_name) == (
        RuleKind.MIN_COMPLETED_CYCLES,
        2,
        "Northshire Graduated Approach",
    )
    services.change_rule(
        actor=ACTOR, rule=copied, details=rule(RuleKind.MIN_COMPLETED_CYCLES, 3), expected_version=draft.version
    )
    assert LocalRule.objects.get(pack=first).parameter == 2  # the published version is untouched


def test_a_published_version_cannot_be_changed(world: World) -> None:
    pack = published(world.la_north, [])
    with pytest.raises(services.RulePackError, match="has been published"):
        services.add_rule(
            actor=ACTOR, pack=pack, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=pack.version
        )


def test_a_stale_save_is_refused_and_changes_nothing(world: World) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    opened_on = draft.version
    services.add_rule(actor=ACTOR, pack=draft, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=opened_on)
    details = {name: getattr(draft, name) for name in services.WORD_FIELDS} | {"change_note": "", "response_name": "X"}
    with pytest.raises(StaleEditError):
        services.save_words(actor=ACTOR, pack=draft, details=details, expected_version=opened_on)
    draft.refresh_from_db()
    assert draft.response_name == "Graduated Response"


def test_a_number_is_needed_for_kinds_that_count(world: World) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    with pytest.raises(services.RulePackError, match="Enter the number"):
        services.add_rule(actor=ACTOR, pack=draft, details=rule(RuleKind.EVIDENCE_TERMS), expected_version=1)
    added = services.add_rule(
        actor=ACTOR, pack=draft, details=rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST, 5), expected_version=1
    )
    assert added.parameter is None  # a met-or-not rule keeps no number


def test_the_version_in_force_is_the_latest_published_whose_date_has_come(world: World) -> None:
    one = published(world.la_north, [], effective_from=date(2025, 9, 1))
    two = published(world.la_north, [], effective_from=date(2026, 1, 5))
    services.start_draft(actor=ACTOR, local_authority=world.la_north)  # a draft is never in force
    assert selectors.in_force(world.la_north, date(2025, 8, 31)) is None
    assert selectors.in_force(world.la_north, date(2025, 9, 1)) == one
    assert selectors.in_force(world.la_north, date(2026, 1, 4)) == one
    assert selectors.in_force(world.la_north, date(2026, 1, 5)) == two
    assert selectors.in_force(world.la_south, date(2026, 1, 5)) is None  # another LA's versions do not count


def test_two_versions_from_the_same_day_the_later_number_wins(world: World) -> None:
    published(world.la_north, [], effective_from=date(2026, 1, 5))
    later = published(world.la_north, [], effective_from=date(2026, 1, 5))
    assert selectors.in_force(world.la_north, date(2026, 1, 5)) == later


def test_publishing_refuses_a_date_before_the_latest_published_version(world: World) -> None:
    published(world.la_north, [], effective_from=date(2026, 1, 5))
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    with pytest.raises(services.RulePackError, match="on or after 5 January 2026, when version 1 came into force"):
        services.publish(
            actor=ACTOR, pack=draft, effective_from=date(2025, 12, 1), change_note="", expected_version=draft.version
        )
    draft.refresh_from_db()
    assert draft.is_draft


def test_each_change_writes_one_audit_event(world: World) -> None:
    before = AuditEvent.objects.count()
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    added = services.add_rule(actor=ACTOR, pack=draft, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=1)
    services.remove_rule(actor=ACTOR, rule=added, expected_version=2)
    services.publish(actor=ACTOR, pack=draft, effective_from=date(2026, 9, 1), change_note="First", expected_version=3)
    events = list(AuditEvent.objects.order_by("id")[before:].values_list("action", "description"))
    assert [action for action, _ in events] == ["create", "create", "delete", "change"]
    assert events[-1][1] == "Version 1 of the rule pack published, in force from 1 September 2026"


def test_the_stages_are_renamed_and_reordered(world: World) -> None:
    stages = stages_for(world.la_north)
    seen = services.stages_token(stages)
    names = {stage.key: stage.name for stage in stages} | {StageKey.MY_SUPPORT_PLAN: "Individual Support Plan"}
    order = [s.key for s in stages]
    order.remove(StageKey.MY_SUPPORT_PLAN)
    order.insert(3, StageKey.MY_SUPPORT_PLAN)  # before specialist involvement
    services.arrange_stages(actor=ACTOR, local_authority=world.la_north, names=names, order=order, seen=seen)
    saved = list(Stage.objects.filter(local_authority=world.la_north).order_by("order"))
    assert [s.key for s in saved] == order and saved[3].name == "Individual Support Plan"
    with pytest.raises(services.RulePackError, match="Someone else changed the stages"):
        services.arrange_stages(actor=ACTOR, local_authority=world.la_north, names=names, order=order, seen=seen)
    assert stages_for(world.la_south)[3].name == "SEN support with specialist involvement"  # other LAs unchanged


def test_stage_rules_need_every_stage_once(world: World) -> None:
    stages = stages_for(world.la_north)
    names = {stage.key: stage.name for stage in stages}
    order = [*(s.key for s in stages[:-1]), stages[0].key]
    with pytest.raises(services.RulePackError, match="different place"):
        services.arrange_stages(
            actor=ACTOR, local_authority=world.la_north, names=names, order=order, seen=services.stages_token(stages)
        )


def test_rules_are_checked_before_the_step_they_guard(world: World) -> None:
    pack = published(world.la_north, [rule(RuleKind.SPECIALIST_BEFORE_PCP, step=Step.PCP)])
    (only,) = pack.rules.all()
    assert only.step_name(pack) == "a person-centred planning meeting"
    assert str(only) == "A specialist involved before a person-centred planning meeting"


def test_the_plan_review_interval_comes_from_the_pack_in_force(world: World) -> None:
    assert selectors.plan_review_months(world.la_north, date(2026, 1, 1)) == 4  # no pack: the usual four months
    published(world.la_north, [], effective_from=date(2025, 9, 1), plan_review_months=3)
    assert selectors.plan_review_months(world.la_north, date(2026, 1, 1)) == 3
