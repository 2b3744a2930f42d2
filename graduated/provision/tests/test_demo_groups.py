"""The demo's provision mapping data: costs, budgets, and Millbeck's groups with places, registers and scores."""

import itertools
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from graduated.audit.models import AuditEvent
from graduated.demo.catalogue import TEACHING_ASSISTANT
from graduated.demo.data import LATEST_EVENT
from graduated.organisations.models import Setting
from graduated.provision import demo_groups
from graduated.provision.models import (
    DeliveryRole,
    GroupScore,
    GroupSession,
    InterventionGroup,
    SenBudget,
    SessionStatus,
    StaffCost,
)
from graduated.support.models import CycleStatus, DeliveryRecord, MissedReason, Provision


def _term(day: date) -> str:
    return {1: "spring", 2: "spring", 3: "spring", 9: "autumn", 10: "autumn", 11: "autumn", 12: "autumn"}.get(
        day.month, "summer"
    ) + f" {day.year}"


def _clashes(groups: list[InterventionGroup]) -> list[tuple[str, str]]:
    """Pairs of slots one person is down to deliver at the same time, on dates both groups run."""
    found = []
    for a, b in itertools.combinations(groups, 2):
        if a.deliverer_id != b.deliverer_id or a.ends_on < b.starts_on or b.ends_on < a.starts_on:
            continue
        for x, y in itertools.product(a.slots.all(), b.slots.all()):
            if x.weekday == y.weekday and x.starts_at < y.ends_at and y.starts_at < x.ends_at:
                found.append((f"{a} {x}", f"{b} {y}"))
    return found


def _counts() -> dict[str, int]:
    models = [StaffCost, SenBudget, InterventionGroup, GroupSession, GroupScore, Provision, DeliveryRecord, AuditEvent]
    return {model.__name__: model.objects.count() for model in models}


def test_groups_meet_on_school_days_only() -> None:
    mondays = list(demo_groups.meeting_days(date(2026, 10, 19), date(2026, 11, 9), {0}))
    assert mondays == [date(2026, 10, 19), date(2026, 11, 2), date(2026, 11, 9)]  # not in October half term


@pytest.mark.django_db
def test_demo_groups_have_registers_scores_and_places_inside_their_cycles() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())

    for setting in Setting.objects.all():
        costs = dict(StaffCost.objects.filter(setting=setting).values_list("role", "hourly_cost"))
        assert set(costs) == set(DeliveryRole.values)
        assert costs[DeliveryRole.TEACHING_ASSISTANT] < costs[DeliveryRole.TEACHER] < costs[DeliveryRole.THERAPIST]
        budgets = dict(SenBudget.objects.filter(setting=setting).values_list("year_starting", "amount"))
        assert set(budgets) == {2025, 2026} and 0 < budgets[2025] <= budgets[2026]

    groups = list(InterventionGroup.objects.filter(setting__urn="146208").prefetch_related("slots"))
    assert 8 <= len(groups) <= 12
    finished = [g for g in groups if g.ends_on < LATEST_EVENT]
    scored_terms = {
        _term(g.starts_on)
        for g in finished
        if g.sessions.filter(status=SessionStatus.HELD).exists()
        and g.scores.filter(entry_score__isnull=False, exit_score__isnull=False).exists()
    }
    assert {"spring 2026", "summer 2026"} <= scored_terms
    running = [g for g in groups if g.starts_on <= LATEST_EVENT < g.ends_on]
    assert running and all(g.sessions.exists() for g in running)
    assert GroupScore.objects.filter(group__in=running, entry_score__isnull=False).exists()
    assert not GroupScore.objects.filter(group__in=running, exit_score__isnull=False).exists()
    assert GroupScore.objects.filter(group__in=finished, exit_score__isnull=True).exists()  # a test never done
    assert any(g.deliverer and g.deliverer.email == TEACHING_ASSISTANT for g in running + finished)
    assert len(_clashes(groups)) == 1

    places = (
        Provision.objects.filter(group__in=groups).select_related("cycle__review", "group").prefetch_related("outcomes")
    )
    assert places.count() >= 20
    for place in places:
        group, cycle = place.group, place.cycle
        assert group is not None and place.starts_on is not None
        assert place.catalogue_item_id == group.catalogue_item_id and cycle.setting_id == group.setting_id
        assert max(group.starts_on, cycle.started_on) <= place.starts_on
        if cycle.status == CycleStatus.CLOSED:
            assert place.ends_on is not None and place.ends_on <= cycle.review.held_on
        if group.ends_on < LATEST_EVENT:
            assert place.ends_on is not None and place.ends_on <= group.ends_on
        assert all(outcome.area in group.catalogue_item.areas for outcome in place.outcomes.all())
    assert any(place.starts_on > place.group.starts_on for place in places)  # type: ignore[operator, union-attr]
    assert places.filter(outcomes__isnull=False, cycle__status=CycleStatus.CLOSED).exists()

    records = DeliveryRecord.objects.filter(provision__in=places)
    assert not records.filter(on__gt=LATEST_EVENT).exists()
    cancelled = GroupSession.objects.filter(group__in=groups, status=SessionStatus.CANCELLED)
    assert 0 < cancelled.count() < GroupSession.objects.filter(group__in=groups).count() / 10
    session = cancelled.first()
    assert session is not None
    assert set(records.filter(on=session.on, provision__group=session.group).values_list("missed_reason", "note")) <= {
        (MissedReason.CANCELLED, session.cancelled_reason)
    }
    present = records.filter(status="delivered").count() / records.count()
    assert 0.75 < present < 0.95

    before = _counts()
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    assert demo_groups.load_demo_data() == {}
    assert _counts() == before
