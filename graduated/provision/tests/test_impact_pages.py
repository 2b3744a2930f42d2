"""The impact pages as their readers meet them: the figures in the tables, worked by hand here; who
may see what; bad input; the audit trail; and a fixed number of queries whatever the data."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.organisations.models import Setting
from graduated.provision.impact_charts import change_chart
from graduated.provision.models import CatalogueItem, InterventionGroup
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, place, scores, take_register
from graduated.pupils.models import Pupil
from graduated.support.models import Outcome, OutcomeReview, Provision, Review

MON_7, THU_10, MON_14, THU_17, MON_21 = (date(2026, 9, d) for d in (7, 10, 14, 17, 21))


def _standardised(setting: Setting, name: str = "Reading boost", **changes: object) -> CatalogueItem:
    details = {"measure_name": "Reading test", "measure_unit": "", "measure_kind": "standardised"} | changes
    return catalogue_item(setting, name, **details)


def _outcome(place: Provision, position: int, rating: str = "") -> Outcome:
    outcome = Outcome.objects.create(
        cycle=place.cycle, position=position, description=f"Outcome {position}", measure="Check",
        baseline="Now", target="Later", by_when=date(2026, 12, 11), area="CL",
    )  # fmt: skip
    place.outcomes.add(outcome)
    if rating:
        review, _ = Review.objects.get_or_create(
            cycle=place.cycle, defaults={"held_on": date(2026, 12, 11), "decision": "another_cycle"}
        )
        OutcomeReview.objects.create(review=review, outcome=outcome, rating=rating)
    return outcome


def _worked_group(world: World) -> InterventionGroup:
    """Priya and Paul from the start (7 Sep), Lara from 14 Sep; registers Mon/Thu 7–21 Sep, 17 Sep cancelled."""
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    group = make_group(_standardised(world.setting_a))
    lara = make_pupil(world.setting_a, "Lara", "Late")
    priya, paul, late = place(group, world.p1), place(group, world.p2), place(group, lara, joined_on=MON_14)
    take_register(group, MON_7, {priya: True, paul: False})
    take_register(group, THU_10, {priya: True, paul: True})
    take_register(group, MON_14, {priya: True, paul: True, late: True})
    take_register(group, THU_17, {priya: False, paul: False, late: False}, cancelled="Trip")
    take_register(group, MON_21, {priya: False, paul: True, late: False})
    scores(group, world.p1, "80", "86")
    scores(group, world.p2, "84", "88")
    scores(group, lara, "86", None)
    _outcome(priya, 1, "achieved")
    _outcome(priya, 2, "not_achieved")
    _outcome(paul, 1)  # not reviewed yet
    return group


def test_the_group_page_shows_the_hand_worked_figures(world: World, client_for: Callable[..., Client]) -> None:
    group = _worked_group(world)
    response = client_for(world.senco_a).get(reverse("provision:group_impact", args=[group.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    # Attendance (cancelled 17 Sep due to nobody; Lara due from 14 Sep):
    #   Priya due 7, 10, 14, 21 = 4, had 7, 10, 14 = 3 → 75%
    #   Paul  due 4, had 10, 14, 21 = 3 → 75%
    #   Lara  due 14, 21 = 2, had 14 = 1 → 50%
    #   group (3 + 3 + 1) ÷ (4 + 4 + 2) = 7 ÷ 10 = 70%
    # Scores: Priya 80 → 86 (+6), Paul 84 → 88 (+4), Lara 86 → no exit (left out).
    #   mean entry (80 + 84) ÷ 2 = 82; mean exit (86 + 88) ÷ 2 = 87; mean change (6 + 4) ÷ 2 = +5
    #   SD of entries 80, 84: ((−2)² + 2²) ÷ 1 = 8, √8 = 2.8284; d = 5 ÷ 2.8284 = 1.7678
    #   SE = √(1/2 + 1.7678²/4) = √(0.5 + 0.78125) = 1.1319; 1.7678 ± 1.96 × 1.1319 = −0.45 to 3.99
    # Outcomes: Priya's two reviewed (achieved, not achieved), Paul's one not reviewed → 1 of 2 = 50%.
    # Cost: 2 slots × 30 minutes = 1 hour a week × £20, shared by the pupils there at the time.
    #   7–13 Sep, Priya and Paul: 7 days × 39 ÷ 365 = 0.75 → 0.7 weeks × £20 ÷ 2 = £7.00 each
    #   14 Sep–11 Dec, all three: 89 days × 39 ÷ 365 = 9.51 → 9.5 weeks × £20 ÷ 3 = £63.33 each
    #   Priya and Paul £70.33, Lara £63.33: per pupil (70.33 + 70.33 + 63.33) ÷ 3 = 203.99 ÷ 3 = £68.00;
    #   per point 68.00 ÷ 5 = £13.60
    assert table_rows(page, "Summary figures")[1:] == [
        ["Pupils", "3, 2 with both scores"],
        ["Attendance", "70% (7 of 10 sessions)"],
        ["Mean entry score", "82.0"],
        ["Mean exit score", "87.0"],
        ["Mean change", "+5.0"],  # the caution is on the page once, for all 3 pupils
        ["Effect size", "1.77 (95% interval −0.45 to 3.99)"],
        ["Linked outcomes achieved", "50% (1 of 2 reviewed) (1 not yet reviewed)"],
        ["Cost per pupil", "£68.00"],
        ["Cost per unit of progress", "£13.60 per point of progress"],
    ]
    assert table_rows(page, "Each pupil's scores and attendance")[1:] == [
        ["Lara Late", "86.0", "No exit score yet", "Not known", "50% (1 of 2 sessions)"],
        ["Paul Two", "84.0", "88.0", "+4.0", "75% (3 of 4 sessions)"],
        ["Priya One", "80.0", "86.0", "+6.0", "75% (3 of 4 sessions)"],
    ]
    assert "1 pupil has no exit score: left out of the score figures." in page
    assert "Fewer than 5 pupils: treat with caution. This group has 3 pupils." in page
    assert 'role="img"' in page and "Priya One: 80.0 to 86.0" in page  # the chart's description
    assert "How these figures are worked out" in page
    assert AuditEvent.objects.filter(action="view", object_type="provision.interventiongroup").count() == 1


def test_a_group_of_one_says_there_is_no_effect_size(world: World, client_for: Callable[..., Client]) -> None:
    group = make_group(_standardised(world.setting_a))
    place(group, world.p1)
    scores(group, world.p1, "90", "96")
    page = client_for(world.head_a).get(reverse("provision:group_impact", args=[group.pk])).content.decode()
    figures = dict(table_rows(page, "Summary figures")[1:])
    assert figures["Mean change"] == "+6.0"
    assert figures["Effect size"] == "Not enough pupils: only 1 pupil has both scores, and one score has no spread"
    assert figures["Cost per pupil"] == "Not known: no hourly cost set for teaching assistants"
    assert "Fewer than 5 pupils: treat with caution. This group has 1 pupil." in page


def test_lower_is_better_and_age_equivalent_measures_read_the_right_way(
    world: World, client_for: Callable[..., Client]
) -> None:
    item = catalogue_item(
        world.setting_a, "Spelling months", measure_name="Spelling age", measure_unit="months",
        measure_kind="age_equivalent", higher_is_better=False,
    )  # fmt: skip
    group = make_group(item)
    place(group, world.p1)
    # A spelling "gap" in months, lower better: 20 → 14 is 6 months of progress over 7 Sep–11 Dec
    # (95 days ÷ 30.44 = 3.1209 months): ratio gain 6 ÷ 3.1209 = 1.92 → "1.9".
    scores(group, world.p1, "20", "14")
    page = client_for(world.senco_a).get(reverse("provision:group_impact", args=[group.pk])).content.decode()
    figures = dict(table_rows(page, "Summary figures")[1:])
    assert (figures["Mean change"], figures["Ratio gain"]) == ("+6.0", "1.9")
    assert "lower scores are better" in page


def _two_terms(world: World) -> CatalogueItem:
    item = _standardised(world.setting_a)
    autumn = make_group(item, name="Autumn group")
    spring = make_group(item, name="Spring group", starts_on=date(2027, 1, 11), ends_on=date(2027, 3, 26))
    place(autumn, world.p1)
    scores(autumn, world.p1, "80", "86")
    pupil = make_pupil(world.setting_a, "Sam", "Spring")
    place(spring, pupil)
    scores(spring, pupil, "90", "92")
    return item


def test_the_setting_page_compares_runs_across_terms(world: World, client_for: Callable[..., Client]) -> None:
    _two_terms(world)
    client = client_for(world.senco_a)
    page = client.get(reverse("provision:setting_impact", args=[world.setting_a.pk])).content.decode()
    rows = table_rows(page, "Figures for Reading boost")
    assert [row[:3] for row in rows[1:]] == [
        ["Autumn 2026", "Autumn group", "1 1 with both scores Fewer than 5 pupils: treat with caution"],
        ["Spring 2027", "Spring group", "1 1 with both scores Fewer than 5 pupils: treat with caution"],
        ["All terms shown", "All runs together", "2 2 with both scores Fewer than 5 pupils: treat with caution"],
    ]
    # Pooled: changes +6 and +2, mean +4; entries 80 and 90, SD √50 = 7.0711, d = 4 ÷ 7.0711 = 0.57.
    assert [row[6] for row in rows[1:]] == ["+6.0", "+2.0", "+4.0"]
    assert rows[3][7].startswith("0.57 (95% interval")
    assert "Mean change in Reading boost: Autumn 2026: Autumn group: +6.0 (1 pupil)" in page  # the chart
    assert "Priya" not in page  # runs only; pupils are on the group pages
    spring = client.get(
        reverse("provision:setting_impact", args=[world.setting_a.pk]), {"year": "2026", "term": "spring"}
    )
    assert [row[1] for row in table_rows(spring.content.decode(), "Figures for Reading boost")[1:]] == ["Spring group"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "Choose an academic year from the list"),
        ({"year": "1999"}, "Choose an academic year from the list"),
        ({"term": "winter"}, "Choose autumn, spring or summer, or all terms"),
    ],
)
def test_a_bad_filter_is_refused_with_a_message(
    world: World, client_for: Callable[..., Client], query: dict[str, str], message: str
) -> None:
    _two_terms(world)
    for url, user in [
        (reverse("provision:setting_impact", args=[world.setting_a.pk]), world.senco_a),
        (reverse("provision:la_impact", args=[world.la_north.pk]), world.officer_north),
    ]:
        response = client_for(user).get(url, query)
        assert response.status_code == 400
        assert message in response.content.decode()


def test_groups_out_of_reach_are_not_found(world: World, client_for: Callable[..., Client]) -> None:
    foreign = make_group(_standardised(world.setting_c))
    assert client_for(world.senco_a).get(reverse("provision:group_impact", args=[foreign.pk])).status_code == 404
    assert client_for(world.senco_a).get("/provision/groups/999999/impact/").status_code == 404
    own = make_group(_standardised(world.setting_a))
    assert client_for(world.teacher_a).get(reverse("provision:group_impact", args=[own.pk])).status_code == 404
    assert client_for(world.officer_north).get(reverse("provision:group_impact", args=[own.pk])).status_code == 404


def _shared_runs(world: World, *, b_measure: str = "Reading test") -> None:
    shared = _standardised(world.la_north, "Talk boost")  # type: ignore[arg-type]
    for setting, pupil, (entry, exit) in [
        (world.setting_a, world.p1, ("80", "86")),
        (world.setting_b, world.p3, ("90", "92")),
    ]:
        adopted = _standardised(
            setting, "Talk boost", measure_name=b_measure if setting == world.setting_b else "Reading test"
        )
        adopted.adopted_from = shared
        adopted.save()
        group = make_group(adopted, name=f"Talk boost at {setting.name}")
        place(group, pupil)
        scores(group, pupil, entry, exit)
    south = _standardised(world.la_south, "Talk boost")  # type: ignore[arg-type]
    theirs = _standardised(world.setting_c, "Talk boost")
    theirs.adopted_from = south
    theirs.save()
    place(make_group(theirs, name="Cedar talk"), world.p4)


def test_the_la_page_pools_settings_and_names_no_pupil(world: World, client_for: Callable[..., Client]) -> None:
    _shared_runs(world)
    page = (
        client_for(world.officer_north).get(reverse("provision:la_impact", args=[world.la_north.pk])).content.decode()
    )
    rows = table_rows(page, "Figures for Talk boost")
    # A: +6 (80 → 86); B: +2 (90 → 92); together mean +4. Cedar (another LA) is not here.
    assert [(row[0], row[1], row[6]) for row in rows[1:]] == [
        ("Autumn 2026", "Ash Primary School", "+6.0"),
        ("Autumn 2026", "Beech Academy", "+2.0"),
        ("All terms shown", "All settings together", "+4.0"),
    ]
    assert all("Fewer than 5 pupils: treat with caution" in row[2] for row in rows[1:])
    for name in ("Priya", "Petra", "Piotr", "Cedar"):
        assert name not in page
    assert not AuditEvent.objects.filter(action="view").exists()  # aggregates only: no pupil data shown


def test_the_la_page_does_not_pool_different_measures(world: World, client_for: Callable[..., Client]) -> None:
    _shared_runs(world, b_measure="Sentence test")
    page = (
        client_for(world.officer_north).get(reverse("provision:la_impact", args=[world.la_north.pk])).content.decode()
    )
    pooled = table_rows(page, "Figures for Talk boost")[-1]
    assert pooled[6].startswith("Not pooled: these runs measure progress in different ways")


def _grow(world: World, groups: int, pupils_each: int) -> None:
    """More groups, pupils, registers, scores and outcomes, in setting A and (adopting the LA's item) B."""
    shared = CatalogueItem.objects.filter(local_authority=world.la_north).first() or _standardised(
        world.la_north,  # type: ignore[arg-type]
        "Talk boost",
    )
    for setting in (world.setting_a, world.setting_b):
        item = CatalogueItem.objects.filter(setting=setting, adopted_from=shared).first()
        if item is None:
            item = _standardised(setting, "Talk boost")
            item.adopted_from = shared
            item.save()
        start = InterventionGroup.objects.filter(setting=setting).count()
        for number in range(start, start + groups):
            group = make_group(item, name=f"Group {number}", starts_on=date(2026, 9 + number % 4, 1))
            for n in range(pupils_each):
                pupil: Pupil = make_pupil(setting, "Extra", f"Pupil{number}x{n}")
                seat = place(group, pupil)
                take_register(group, date(2026, 12, 1 + n), {seat: True})
                scores(group, pupil, "80", str(85 + n))
                _outcome(seat, 1, "achieved")


@pytest.mark.parametrize("page", ["group", "setting", "la"])
def test_each_page_runs_a_fixed_number_of_queries(
    world: World, client_for: Callable[..., Client], page: str, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    _grow(world, groups=1, pupils_each=1)
    first = InterventionGroup.objects.filter(setting=world.setting_a).order_by("pk").first()
    assert first is not None
    url, user = {
        "group": (reverse("provision:group_impact", args=[first.pk]), world.senco_a),
        "setting": (reverse("provision:setting_impact", args=[world.setting_a.pk]), world.senco_a),
        "la": (reverse("provision:la_impact", args=[world.la_north.pk]), world.officer_north),
    }[page]
    client = client_for(user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    # Committed, as in use: the LA's figures are then worked out again in the background (impact_la.py).
    with django_capture_on_commit_callbacks(execute=True):
        _grow(world, groups=3, pupils_each=3)
        for n in range(4):  # more pupils in the first group too, for the group page
            seat = place(first, make_pupil(world.setting_a, "More", f"Pupil{n}"))
            take_register(first, date(2026, 10, 5 + n), {seat: True})
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert ("More Pupil3" in body) if page == "group" else ("Group 3" in body or "Beech Academy" in body)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_change_chart_draws_losses_left_of_zero_and_says_every_figure() -> None:
    # Values +5 and −2 (and a run with no figure): the axis runs −2 to 6 in steps of 2, so 0 sits
    # 2 ÷ 8 of the way along the 360-pixel plot after the 200-pixel labels: x = 200 + 90 = 290.
    chart = change_chart("c", "Mean change", [("Autumn", 5.0, 4), ("Spring", -2.0, 1), ("Summer", None, 0)])
    assert chart is not None and chart.zero_x == 290
    gain, loss, unknown = chart.bars
    assert (gain.x, gain.width) == (290, 225)  # 5 × 45 pixels a point
    assert (loss.x, loss.width) == (200, 90)
    assert unknown.width == 0  # no bar, only its words
    assert [tick.label for tick in chart.ticks] == ["−2", "0", "2", "4", "6"]
    assert (
        chart.summary
        == "Mean change: Autumn: +5.0 (4 pupils); Spring: −2.0 (1 pupil); Summer: no mean change (0 pupils)."
    )
    assert change_chart("c", "Mean change", [("Autumn", None, 0)]) is None


def test_a_group_with_no_measure_or_no_pupils_still_reads_plainly(
    world: World, client_for: Callable[..., Client]
) -> None:
    unmeasured = make_group(catalogue_item(world.setting_a, "Lego therapy", measure_name="", measure_kind=""))
    place(unmeasured, world.p1)
    page = client_for(world.senco_a).get(reverse("provision:group_impact", args=[unmeasured.pk])).content.decode()
    figures = dict(table_rows(page, "Summary figures")[1:])
    assert figures["Pupils"] == "1"
    assert figures["Mean change"] == "No entry and exit measure is set for this intervention"
    assert figures["Attendance"] == "No sessions held yet"
    empty = make_group(_standardised(world.setting_a), name="Empty group")
    page = client_for(world.senco_a).get(reverse("provision:group_impact", args=[empty.pk])).content.decode()
    assert "No pupil has a place in this group yet." in page
    assert dict(table_rows(page, "Summary figures")[1:])["Cost per pupil"] == "Not known: no pupils"
