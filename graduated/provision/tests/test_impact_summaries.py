"""The figures the LA's impact page reads worked out ahead (impact_summaries.py, impact_la.py): they
follow every kind of change to the records, a page that meets them stale works them out itself, the
page reads a fixed number of queries whatever the history, and ``rebuild-impact`` works them all out.

Changes go through the services (and commit, as in use: ``django_capture_on_commit_callbacks``), so
that the background refresh runs as the worker would run it."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated import cli
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.provision import cost_services, group_services, impact_la, services, term_services
from graduated.provision.costs import money
from graduated.provision.impact_summaries import mark_stale, refresh
from graduated.provision.models import CatalogueItem, GroupImpact, HalfTerm, ImpactBlock, InterventionGroup
from graduated.provision.terms import teaching_weeks
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, take_register
from graduated.pupils import services as pupil_services
from graduated.pupils.models import Pupil
from graduated.support.models import Outcome, OutcomeReview, Provision, Review
from graduated.support.tests.factories import ACTOR, agreed_cycle

TODAY = timezone.localdate()
STARTS, ENDS = TODAY - timedelta(days=28), TODAY + timedelta(days=42)
DAY_1, DAY_2 = TODAY - timedelta(days=14), TODAY - timedelta(days=7)
Commit = Callable[..., AbstractContextManager[Any]]


def _item(owner: Any, name: str = "Talk boost") -> CatalogueItem:
    return catalogue_item(owner, name, measure_name="Talk test", measure_unit="", measure_kind="standardised")


@pytest.fixture
def run(world: World, django_capture_on_commit_callbacks: Commit) -> InterventionGroup:
    """Northshire shares Talk boost; Ash adopts it and runs it from four weeks ago, one hour a week
    (two 30-minute slots) of a teaching assistant at £20 an hour, with Priya and Paul from the start."""
    with django_capture_on_commit_callbacks(execute=True):
        hourly_costs(world.setting_a, teaching_assistant="20.00")
        adopted = services.adopt_item(actor=ACTOR, setting=world.setting_a, shared=_item(world.la_north))
        group = make_group(adopted, name="Talk boost group", starts_on=STARTS, ends_on=ENDS)
        for pupil in (world.p1, world.p2):
            agreed_cycle(pupil)
            group_services.place_pupil(actor=ACTOR, group=group, pupil=pupil, joined_on=STARTS)
    return group


def _la_url(world: World) -> str:
    return reverse("provision:la_impact", args=[world.la_north.pk])


def _figures(client: Client, world: World) -> dict[str, str]:
    """The first line of Talk boost on the LA's page, by column."""
    rows = table_rows(client.get(_la_url(world)).content.decode(), "Figures for Talk boost")
    return dict(zip(rows[0], rows[1], strict=True))


def _queries(client: Client, world: World) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_la_url(world)).status_code == 200
    return len(queries.captured_queries)


def _fresh(client: Client, world: World) -> list[list[str]]:
    """The LA page's rows worked out from the records alone (no summary kept)."""
    GroupImpact.objects.all().delete()
    ImpactBlock.objects.all().delete()
    return table_rows(client.get(_la_url(world)).content.decode(), "Figures for Talk boost")


def _places(group: InterventionGroup) -> dict[Pupil, Provision]:
    return {p.cycle.pupil: p for p in Provision.objects.filter(group=group).select_related("cycle__pupil")}


@pytest.fixture
def officer(world: World, client_for: Callable[..., Client], run: InterventionGroup) -> Iterator[Client]:
    client = client_for(world.officer_north)
    client.get(_la_url(world))  # worked out once, as the page leaves it
    yield client


def _kept_up(group: InterventionGroup) -> bool:
    return GroupImpact.objects.filter(group=group, stale=False).exists()


# Each kind of change -----------------------------------------------------------------------------


def test_a_register_taken_and_corrected_changes_the_attendance(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    queries = _queries(officer, world)
    assert _figures(officer, world)["Attendance"] == "No sessions held yet"
    places = _places(run)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.take_register(actor=ACTOR, group=run, on=DAY_1, present={p.pk: True for p in places.values()})
    assert _kept_up(run)
    assert _figures(officer, world)["Attendance"] == "100% (2 of 2 sessions)"
    with django_capture_on_commit_callbacks(execute=True):  # Paul was away after all
        present = {p.pk: pupil != world.p2 for pupil, p in places.items()}
        group_services.take_register(actor=ACTOR, group=run, on=DAY_1, present=present)
    assert _figures(officer, world)["Attendance"] == "50% (1 of 2 sessions)"
    assert _queries(officer, world) == queries  # worked out in the background: the page only reads


def test_scores_entered_change_the_mean_change(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    def entry(pupil: Pupil, entry: str, exit: str | None, version: int = 0) -> group_services.ScoreEntry:
        return group_services.ScoreEntry(
            pupil.pk, version, Decimal(entry), STARTS, Decimal(exit) if exit else None, DAY_2 if exit else None
        )

    assert _figures(officer, world)["Mean change"].startswith("No pupil has both scores")
    with django_capture_on_commit_callbacks(execute=True):
        group_services.record_scores(actor=ACTOR, group=run, entries=[entry(world.p1, "80", "86")])
    assert _figures(officer, world)["Mean change"].startswith("+6.0")
    with django_capture_on_commit_callbacks(execute=True):  # a versioned save: no signal, the service marks it
        group_services.record_scores(
            actor=ACTOR, group=run, entries=[entry(world.p1, "80", "90", version=1), entry(world.p2, "84", "88")]
        )
    # (10 + 4) ÷ 2 = +7.0
    assert _figures(officer, world)["Mean change"].startswith("+7.0")


def test_a_place_added_and_ended_changes_the_pupils_the_cost_and_the_attendance(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    # 1 hour a week × £20 shared by 2 = £10 a week each, over the group's teaching weeks.
    weeks = teaching_weeks(STARTS, ENDS)
    assert _figures(officer, world)["Cost per pupil"] == money(Decimal(10) * weeks)
    lara = make_pupil(world.setting_a, "Lara", "Late")
    with django_capture_on_commit_callbacks(execute=True):
        agreed_cycle(lara)
        group_services.place_pupil(actor=ACTOR, group=run, pupil=lara, joined_on=STARTS)
    figures = _figures(officer, world)
    assert figures["Pupils"].startswith("3")
    # £20 ÷ 3 a week each: one sum, to the penny at the end.
    assert figures["Cost per pupil"] == money(Decimal(20) / 3 * weeks)
    places = _places(run)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.take_register(actor=ACTOR, group=run, on=DAY_1, present={p.pk: True for p in places.values()})
        # A later register that leaves Lara out: she is due at it while her place lasts.
        take_register(run, DAY_2, {places[world.p1]: True, places[world.p2]: True})
    assert _figures(officer, world)["Attendance"] == "83% (5 of 6 sessions)"
    with django_capture_on_commit_callbacks(execute=True):
        group_services.end_place(actor=ACTOR, place=places[lara], left_on=DAY_1)
    assert _figures(officer, world)["Attendance"] == "100% (5 of 5 sessions)"
    assert table_rows(officer.get(_la_url(world)).content.decode(), "Figures for Talk boost") == _fresh(officer, world)


def test_a_staff_cost_changed_changes_the_cost_per_pupil(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    weeks = teaching_weeks(STARTS, ENDS)
    queries = _queries(officer, world)
    with django_capture_on_commit_callbacks(execute=True):
        cost_services.save_cost_settings(
            actor=ACTOR, setting=world.setting_a, hourly={"teaching_assistant": Decimal("40.00")}, budgets={},
            versions={cost_services.role_key("teaching_assistant"): 1},
        )  # fmt: skip
    assert _kept_up(run)
    # £40 ÷ 2 = £20 a week each.
    assert _figures(officer, world)["Cost per pupil"] == money(Decimal(20) * weeks)
    assert _queries(officer, world) == queries


def test_term_dates_recorded_change_the_weeks_costed(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    before = _figures(officer, world)["Cost per pupil"]
    year = STARTS.year if STARTS.month >= 9 else STARTS.year - 1
    first = date(year, 9, 1)
    # Six half terms with a fortnight off after the first, which the group's weeks then skip.
    blocks = {
        code: (first + timedelta(weeks=8 * n + (2 if n else 0)), first + timedelta(weeks=8 * n + 7 + (2 if n else 0)))
        for n, code in enumerate(HalfTerm.values)
    }
    blocks[HalfTerm.SUMMER_2] = (blocks[HalfTerm.SUMMER_2][0], date(year + 1, 7, 20))
    with django_capture_on_commit_callbacks(execute=True):
        term_services.save_term_dates(
            actor=ACTOR, local_authority=world.la_north, year_starting=year, blocks=blocks, expected_version=0
        )
    assert _kept_up(run)
    after = _figures(officer, world)["Cost per pupil"]
    assert after != before
    assert table_rows(officer.get(_la_url(world)).content.decode(), "Figures for Talk boost") == _fresh(officer, world)


def test_an_outcome_reviewed_changes_the_outcomes_achieved(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    place = _places(run)[world.p1]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = Outcome.objects.create(
            cycle=place.cycle, position=2, description="Talks in class", measure="Check", baseline="Now",
            target="Later", by_when=ENDS, area="CL",
        )  # fmt: skip
        place.outcomes.add(outcome)
    assert _figures(officer, world)["Outcomes achieved"] == "No linked outcomes reviewed yet"
    with django_capture_on_commit_callbacks(execute=True):
        review = Review.objects.create(cycle=place.cycle, held_on=TODAY, decision="another_cycle")
        OutcomeReview.objects.create(review=review, outcome=outcome, rating="achieved")
    assert _figures(officer, world)["Outcomes achieved"] == "100% (1 of 1 reviewed)"


def test_the_measure_changed_on_the_catalogue_item_changes_the_score_figures(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    item = run.catalogue_item
    details = {"name": item.name, "measure_name": "", "measure_unit": "", "measure_kind": ""}
    with django_capture_on_commit_callbacks(execute=True):
        services.update_item(actor=ACTOR, item=item, details=details, expected_version=item.version)
    assert _figures(officer, world)["Mean change"] == "No entry and exit measure is set for this intervention"


def test_a_pupil_renamed_marks_their_groups_for_the_order_scores_are_added_in(
    world: World, run: InterventionGroup, officer: Client
) -> None:
    pupil_services.update_pupil_details(
        actor=ACTOR, pupil=world.p1, changes={"preferred_first_name": "Pri"}, expected_version=world.p1.version
    )
    assert GroupImpact.objects.get(group=run).stale


# Stale, missing, and changed while being worked out ------------------------------------------------


def test_a_page_that_meets_a_stale_group_works_it_out(world: World, run: InterventionGroup, officer: Client) -> None:
    places = _places(run)
    # Not committed (no background refresh): the page works the group out itself.
    group_services.take_register(actor=ACTOR, group=run, on=DAY_1, present={p.pk: True for p in places.values()})
    assert GroupImpact.objects.get(group=run).stale
    assert _figures(officer, world)["Attendance"] == "100% (2 of 2 sessions)"
    assert _kept_up(run)  # and saved it


def test_a_page_that_meets_a_group_with_no_figures_works_it_out(
    world: World, run: InterventionGroup, officer: Client
) -> None:
    figures = _figures(officer, world)
    GroupImpact.objects.all().delete()
    assert _figures(officer, world) == figures
    assert _kept_up(run)


def test_figures_worked_out_while_a_change_commits_are_not_saved_over_it(run: InterventionGroup) -> None:
    read = GroupImpact.objects.get(group=run).generation
    mark_stale([run.pk])  # a change commits after the generation was read, before the figures are saved
    refresh([run.pk], seen={run.pk: read})
    row = GroupImpact.objects.get(group=run)
    assert row.stale and row.generation == read + 1
    refresh([run.pk])
    assert not GroupImpact.objects.get(group=run).stale


def test_when_too_many_groups_are_stale_the_page_says_so_and_works_out_some(
    world: World, run: InterventionGroup, officer: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(2):
        make_group(run.catalogue_item, name=f"Another group {n}", starts_on=STARTS, ends_on=ENDS)
    monkeypatch.setattr(impact_la, "IN_PAGE", 1)
    page = officer.get(_la_url(world)).content.decode()
    assert "These figures are being worked out again" in page and "1 group still to do" in page
    assert GroupImpact.objects.filter(stale=False).count() == 2
    assert "Figures for Talk boost" in officer.get(_la_url(world)).content.decode()


# A fixed number of queries, and the rebuild ------------------------------------------------------


def _history(world: World, groups: int, pupils_each: int, registers: int) -> None:
    """More runs of the shared item in Ash and Beech, with registers and scores."""
    shared = CatalogueItem.objects.get(local_authority=world.la_north)
    beech = CatalogueItem.objects.filter(setting=world.setting_b, adopted_from=shared).first()
    if beech is None:
        beech = services.adopt_item(actor=ACTOR, setting=world.setting_b, shared=shared)
    ash = CatalogueItem.objects.get(setting=world.setting_a, adopted_from=shared)
    start = InterventionGroup.objects.count()
    for number in range(start, start + groups):
        item = (ash, beech)[number % 2]
        group = make_group(item, name=f"Group {number}", starts_on=STARTS - timedelta(weeks=13 * (number % 4)),
                           ends_on=ENDS)  # fmt: skip
        for n in range(pupils_each):
            pupil = make_pupil(item.setting, "Extra", f"Pupil{number}x{n}")  # type: ignore[arg-type]
            agreed_cycle(pupil)
            group_services.place_pupil(actor=ACTOR, group=group, pupil=pupil, joined_on=group.starts_on)
        places = {p.pk: True for p in Provision.objects.filter(group=group)}
        for day in range(registers):
            group_services.take_register(actor=ACTOR, group=group, on=DAY_1 - timedelta(days=day), present=places)


def test_the_la_page_reads_a_fixed_number_of_queries_at_two_sizes(
    world: World, run: InterventionGroup, officer: Client, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _history(world, groups=1, pupils_each=1, registers=1)
    small = _queries(officer, world)
    with django_capture_on_commit_callbacks(execute=True):
        _history(world, groups=6, pupils_each=3, registers=4)
    assert _queries(officer, world) == small
    page = officer.get(_la_url(world)).content.decode()
    assert "Beech Academy" in page and "All settings together" in page
    # The same figures as worked out from the records alone.
    shown = table_rows(page, "Figures for Talk boost")
    assert shown == _fresh(officer, world)


def test_rebuild_works_out_every_group_and_line(
    world: World, run: InterventionGroup, client_for: Callable[..., Client]
) -> None:
    _history(world, groups=3, pupils_each=2, registers=2)  # not committed: nothing worked out yet
    GroupImpact.objects.all().delete()
    out = StringIO()
    call_command("rebuild_impact", stdout=out)
    assert "Worked out the impact figures of 4 groups and of 1 shared intervention" in out.getvalue()
    assert GroupImpact.objects.filter(stale=False).count() == 4
    assert ImpactBlock.objects.filter(local_authority=world.la_north).exists()
    client = client_for(world.officer_north)
    with CaptureQueriesContext(connection) as queries:
        client.get(_la_url(world))
    assert not [q for q in queries.captured_queries if "support_deliveryrecord" in q["sql"]]  # read nothing behind
    mark_stale([run.pk])
    call_command("rebuild_impact", "--stale", "--la", str(world.la_north.pk), stdout=out)
    assert "of 1 group and" in out.getvalue()
    with pytest.raises(CommandError, match="No local authority has the id 999999"):
        call_command("rebuild_impact", "--la", "999999")
    assert cli.COMMANDS["rebuild-impact"] == ["rebuild_impact"]
