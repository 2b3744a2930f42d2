"""A pupil's provision links to a group, a staff role for costs, and the outcomes it works towards."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.lib.testing import World
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import make_group
from graduated.support import reviews, services
from graduated.support.forms import ProvisionForm
from graduated.support.models import Cycle, Outcome, Provision
from graduated.support.tests.factories import ACTOR, AGREED, REVIEW_DUE, draft_cycle

TODAY = timezone.localdate()


def test_provision_can_name_a_running_group_of_the_setting_and_a_staff_role(
    world: World, client_for: Callable[..., Client]
) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching")
    running = make_group(
        item, name="Running now", starts_on=TODAY - timedelta(days=5), ends_on=TODAY + timedelta(days=5)
    )
    make_group(item, name="Ended", starts_on=TODAY - timedelta(days=90), ends_on=TODAY - timedelta(days=30))
    foreign = make_group(catalogue_item(world.setting_c, "Theirs"), name="Another school's",
                         starts_on=TODAY - timedelta(days=5), ends_on=TODAY + timedelta(days=5))  # fmt: skip
    cycle = draft_cycle(world.p1)
    client = client_for(world.senco_a)
    url = reverse("support:provision_add", args=[world.p1.pk, cycle.pk])
    page = client.get(url).content.decode()
    assert "Running now" in page and "Ended" not in page and "Another school" not in page
    assert "Staff role (for costs)" in page
    data = {"kind": "intervention", "description": "Sight words", "staff_role": "teacher"}
    assert client.post(url, {**data, "version": cycle.version, "group": foreign.pk}).status_code == 400
    assert client.post(url, {**data, "version": cycle.version, "staff_role": "wizard"}).status_code == 400
    assert client.post(url, {**data, "version": cycle.version, "group": running.pk}).status_code == 302
    provision = Provision.objects.get(description="Sight words")
    assert (provision.group, provision.staff_role, provision.catalogue_item) == (running, "teacher", item)
    # The group's slots time it: the catalogue's figures are not copied in.
    assert provision.sessions_per_week is None
    # Changing it later, after the group ended, keeps the group choosable.
    running.ends_on = running.starts_on = TODAY - timedelta(days=20)
    running.save()
    cycle.refresh_from_db()
    edit = reverse("support:provision_edit", args=[world.p1.pk, cycle.pk, provision.pk])
    assert "Running now" in client.get(edit).content.decode()
    assert client.post(edit, {**data, "version": cycle.version, "group": running.pk}).status_code == 302


def test_the_form_offers_the_cycles_outcomes_and_ticks_the_linked_ones(world: World) -> None:
    cycle = draft_cycle(world.p1, outcomes=2)
    first, second = cycle.outcomes.order_by("position")
    other = draft_cycle(world.p3).outcomes.get()
    form = ProvisionForm(
        {"version": cycle.version, "kind": "strategy", "description": "Visual timetable", "outcomes": [second.pk]},
        setting=world.setting_a, cycle=cycle,
    )  # fmt: skip
    assert form.fields["outcomes"].label == "Which outcomes does this work towards?"
    assert form.is_valid(), form.errors
    provision = services.save_provision(actor=ACTOR, cycle=cycle, data=form.changes(), expected_version=cycle.version)
    assert list(provision.outcomes.all()) == [second]
    assert ProvisionForm(initial={}, setting=world.setting_a, cycle=cycle, provision=provision).initial["outcomes"] == [
        second.pk
    ]
    bad = ProvisionForm(
        {"version": cycle.version, "kind": "strategy", "description": "x", "outcomes": [other.pk]},
        setting=world.setting_a, cycle=cycle,
    )  # fmt: skip
    assert not bad.is_valid() and "outcomes" in bad.errors
    cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="this cycle's outcomes only"):
        services.save_provision(
            actor=ACTOR, cycle=cycle, provision=provision, data={"outcomes": [other]}, expected_version=cycle.version
        )
    # A form that offers no outcomes (no cycle given) leaves the links alone.
    cycle.refresh_from_db()
    services.save_provision(
        actor=ACTOR, cycle=cycle, provision=provision, data={"description": "Now and next board"},
        expected_version=cycle.version,
    )  # fmt: skip
    assert list(provision.outcomes.all()) == [second]
    assert first.provisions.count() == 0


def test_the_provision_page_asks_which_outcomes_it_works_towards(
    world: World, client_for: Callable[..., Client]
) -> None:
    cycle = draft_cycle(world.p1)
    page = (
        client_for(world.senco_a).get(reverse("support:provision_add", args=[world.p1.pk, cycle.pk])).content.decode()
    )
    assert "Which outcomes does this work towards?" in page


def test_the_next_cycle_carries_the_group_the_role_and_the_outcome_links(world: World) -> None:
    item = catalogue_item(world.setting_a, "Precision teaching")
    group = make_group(item, name="Reading group", starts_on=date(2024, 9, 2), ends_on=date(2025, 7, 18))
    cycle = draft_cycle(world.p1, outcomes=2)
    first, second = cycle.outcomes.order_by("position")
    provision = cycle.provisions.get()
    services.save_provision(
        actor=ACTOR, cycle=cycle, provision=provision, expected_version=cycle.version,
        data={"group": group, "staff_role": "teaching_assistant", "outcomes": [first, second]},
    )  # fmt: skip
    cycle.refresh_from_db()
    _review(cycle)  # outcome 1 achieved (not carried), outcome 2 partly (carried)
    nxt = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2024, 12, 3))
    carried = Provision.objects.get(cycle=nxt)
    assert (carried.carried_from, carried.group, carried.staff_role) == (provision, group, "teaching_assistant")
    assert [o.carried_from for o in carried.outcomes.all()] == [second]


def _review(cycle: Cycle) -> None:
    """Agree and review ``cycle``: its first outcome achieved, the rest partly; every provision continues."""
    services.agree_plan(
        actor=ACTOR, cycle=cycle, plan_agreed_on=AGREED, review_date=REVIEW_DUE, parents_notified_on=AGREED,
        parents_notified_how="meeting", expected_version=cycle.version,
    )  # fmt: skip
    cycle.refresh_from_db()
    first, *rest = Outcome.objects.filter(cycle=cycle).order_by("position")
    ratings = {first.pk: "achieved", **{o.pk: "partly_achieved" for o in rest}}
    reviews.record_review(
        actor=ACTOR, cycle=cycle,
        review={"held_on": REVIEW_DUE, "parents_views_on_progress": "", "pupil_views_on_progress": "",
                "decision": "another_cycle", "notes": ""},
        outcome_ratings={pk: {"rating": rating, "evidence": "", "measure_now": ""} for pk, rating in ratings.items()},
        provision_judgements={p.pk: {"judgement": "continue", "note": ""} for p in cycle.provisions.all()},
        expected_version=cycle.version,
    )  # fmt: skip
