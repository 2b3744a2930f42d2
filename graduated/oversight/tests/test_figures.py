"""The dashboard's figures, worked out by hand for the small Northshire of scenario.py on 3 December 2026.

Ash (primary, North Vale): P1 (K, SLCN), P2 (N), Ezra (E, ASD, Year 2), Nia (K, NSA): 4 on roll, 2 on
SEN support, 1 EHC plan. Beech (secondary, Coastal): P3 (K, ASD), Omar (N): 2 on roll, 1 on SEN
support; Lola left in 2024. Southborough's P4 never counts.
"""

from datetime import date
from decimal import Decimal

import pytest

from graduated.ehc.models import Stage
from graduated.lib.testing import World
from graduated.oversight import selectors, summaries
from graduated.oversight.selectors import Filters, Overview
from graduated.oversight.tests.scenario import TODAY, Northshire, build
from graduated.provision.cost_forms import Period
from graduated.provision.provision_maps import setting_map
from graduated.worklists import caseload


@pytest.fixture
def north(world: World) -> Northshire:
    scenario = build(world)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    return scenario


def _overview(north: Northshire, filters: Filters | None = None) -> Overview:
    la = north.world.la_north
    filters = filters or Filters()
    return selectors.overview(la, selectors.settings_for(la, filters), TODAY, whole_la=not filters.active)


def _row(overview: Overview, name: str) -> selectors.SettingFigures:
    [row] = [r for r in overview.settings if r.setting.name == name]
    return row


def test_pupils_and_rates_for_each_setting_and_in_total(north: Northshire) -> None:
    overview = _overview(north)
    ash, beech = _row(overview, "Ash Primary School"), _row(overview, "Beech Academy")
    assert (ash.counts.pupils, ash.counts.sen_support, ash.counts.ehc_plans) == (4, 2, 1)
    assert (ash.counts.sen_support_rate, ash.counts.ehc_plan_rate, ash.counts.register_rate) == (
        Decimal("50.0"), Decimal("25.0"), Decimal("75.0"),
    )  # fmt: skip
    assert (beech.counts.pupils, beech.counts.sen_support, beech.counts.ehc_plans) == (2, 1, 0)
    totals = overview.totals
    assert (totals.pupils, totals.sen_support, totals.ehc_plans, totals.register_rate) == (6, 3, 1, Decimal("66.7"))
    assert (ash.area, beech.area) == ("North Vale", "Coastal")


def test_needs_phases_and_year_groups(north: Northshire) -> None:
    overview = _overview(north)
    needs = {line.sen_type: (line.sen_support, line.ehc_plans) for line in overview.needs if line.pupils}
    assert needs == {"SLCN": (1, 0), "ASD": (1, 1), "NSA": (1, 0)}
    assert [(line.label, line.sen_support, line.ehc_plans) for line in overview.years] == [
        ("Year 2", 0, 1), ("Year 6", 3, 0),
    ]  # fmt: skip
    phases = {line.label: (line.settings, line.counts.pupils, line.counts.on_register) for line in overview.phases}
    assert phases == {"Primary": (1, 4, 3), "Secondary": (1, 2, 1)}


def test_apdr_health_follows_the_caseload_rules(north: Northshire) -> None:
    ash = _row(_overview(north), "Ash Primary School")
    h = ash.health
    assert (h.open_cycles, h.doing, h.incomplete) == (2, 1, 1)  # Nia's: no outcome, no review date
    assert (h.reviews_overdue, h.unacknowledged) == (1, 1)  # P1's: the class teacher has not read it
    assert (h.without_plan, h.short_of_meetings, h.nsa) == (0, 2, 1)  # P1 has 2 parent meetings, Nia 0
    beech = _row(_overview(north), "Beech Academy").health
    assert (beech.open_cycles, beech.without_plan, beech.short_of_meetings) == (0, 1, 0)  # P3: 3 meetings


def test_the_counts_are_the_caseloads_own(north: Northshire) -> None:
    """The LA's figures for a setting are the lengths of its SENCO's caseload lists on the same day."""
    overview = _overview(north)
    for row in overview.settings:
        lists = caseload.caseload(row.setting, TODAY)
        assert row.health.reviews_overdue == len(lists["reviews_overdue"])
        assert row.health.incomplete == len(lists["incomplete_plans"])
        assert row.health.unacknowledged == len(lists["unacknowledged"])
        assert row.health.short_of_meetings == len(lists["short_of_meetings"])


def test_interventions_costs_and_sessions(north: Northshire) -> None:
    overview = _overview(north)
    ash = _row(overview, "Ash Primary School")
    # Talk Boost: 5 × 10 minutes a week ÷ 60 × £20.00 an hour, one to one, for its 10 weeks = £166.67;
    # P1's other provision and Nia's (the factory's precision teaching) name no staff role, so they
    # cannot be costed: 3 lines for 2 pupils, 2 of them not costed.
    assert (ash.costs.known, ash.costs.total, ash.costs.pupils, ash.costs.provisions, ash.costs.not_costed) == (
        True, Decimal("166.67"), 2, 3, 2,
    )  # fmt: skip
    costed = setting_map(north.world.setting_a, Period.academic_year(2026))
    assert ash.costs.total == costed.total  # the setting's own provision map, to the penny
    assert (ash.delivery.delivered, ash.delivery.missed, ash.delivery.rate) == (3, 1, Decimal("75.0"))
    items = {item.name: item for item in overview.items}
    talk = items["Talk boost"]
    assert (talk.adopted_by, talk.settings_using, talk.pupils, talk.provisions, talk.cost) == (
        1, 1, 1, 1, Decimal("166.67"),
    )  # fmt: skip
    assert (talk.delivery.delivered, talk.delivery.missed) == (3, 1)
    precision = items["Precision teaching"]
    assert (precision.adopted_by, precision.pupils, precision.delivery.recorded) == (0, 0, 0)
    assert overview.costs.total == Decimal("166.67") and overview.costs.settings_missing == 0


def test_requests_by_setting_and_outcome(north: Northshire) -> None:
    overview = _overview(north)
    ash, beech = _row(overview, "Ash Primary School"), _row(overview, "Beech Academy")
    # Ezra's (made by Ash) waits for a decision; Nia's (her parent's, while on roll at Ash) was refused.
    assert ash.requests.by_stage == {Stage.RECEIVED: 1, Stage.NOT_ASSESSING: 1}
    assert beech.requests.received == 0  # P3's was received in June: last academic year
    assert overview.requests.received == 2


def test_figures_at_the_end_of_the_last_three_terms(north: Northshire) -> None:
    overview = _overview(north)
    labels = [column.label for column in overview.terms]
    assert labels == [
        "End of autumn 2025 term", "End of spring 2026 term", "End of summer 2026 term",
        "Now (autumn 2026 term so far)",
    ]  # fmt: skip
    summer = overview.terms[2]
    assert summer.taken_on == "31 August 2026"
    assert summer.counts is not None
    assert (summer.counts.pupils, summer.counts.sen_support, summer.counts.ehc_plans) == (6, 3, 1)
    assert summer.reviews_overdue == 1  # P1's review was due on 2 December 2024
    assert (summer.delivery.delivered, summer.requests_received) == (2, 1)  # two June sessions; P3's request
    now = overview.terms[3]
    assert (now.delivery.delivered, now.delivery.missed, now.requests_received) == (3, 1, 2)


def test_filters_by_phase_and_area(north: Northshire) -> None:
    primary = _overview(north, Filters(phase="primary"))
    assert [row.setting.name for row in primary.settings] == ["Ash Primary School"]
    assert (primary.totals.pupils, primary.totals.on_register) == (4, 3)
    coastal = _overview(north, Filters(area="Coastal"))
    assert [row.setting.name for row in coastal.settings] == ["Beech Academy"]
    assert not _overview(north, Filters(phase="special")).settings
    assert selectors.la_areas(north.world.la_north) == ["Coastal", "North Vale"]


def test_a_pupil_on_roll_at_two_settings_counts_in_each_and_once_in_all(north: Northshire) -> None:
    from graduated.pupils.models import Enrolment

    Enrolment.objects.create(pupil=north.world.p3, setting=north.world.setting_a, start_date=date(2025, 9, 1))
    overview = _overview(north)
    assert _row(overview, "Ash Primary School").counts.sen_support == 3
    assert (overview.totals.pupils, overview.totals.sen_support) == (6, 3)
