"""Costs against hand-worked examples. Each test writes the sum out as a SENCO would on paper.

The rules (graduated/provision/costs.py): a week of staff time = sessions × minutes ÷ 60 × the
role's hourly cost ÷ the group size; teaching weeks, where the LA has recorded no term dates (as
here: test_term_weeks.py counts them by term dates) = days the provision ran in the period × 39 ÷
365, to one decimal place; resources = the catalogue item's cost ÷ the group size, counted once.
"""

from datetime import date
from decimal import Decimal

from graduated.lib.testing import World, make_pupil
from graduated.provision.cost_forms import Period
from graduated.provision.costs import pupil_costed_provisions
from graduated.provision.models import CatalogueItem, TierName
from graduated.provision.provision_maps import pupil_map, setting_map, split
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, place, take_register
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus, Provision, Review

YEAR_2026 = Period.academic_year(2026)  # 1 September 2026 to 31 August 2027: 365 days, 39.0 weeks
SPREAD = "no term dates recorded for 2026/27, so 39 weeks a year spread evenly"
AUTUMN_GROUP_WEEKS = f"Weeks counted, 7 September 2026 to 11 December 2026: 96 days × 39 ÷ 365 = 10.3 ({SPREAD})."
WHOLE_YEAR_WEEKS = f"Weeks counted, 1 September 2026 to 31 August 2027: 365 days × 39 ÷ 365 = 39.0 ({SPREAD})."


def _phonics(world: World) -> CatalogueItem:
    return catalogue_item(
        world.setting_a, "Phonics catch-up group", areas=["CL"], group_size=4, sessions_per_week=2,
        minutes_per_session=30, resources_cost=Decimal("60.00"),
    )  # fmt: skip


def _pupils(world: World, count: int) -> list[Pupil]:
    born = date(2018, 1, 10)
    return [make_pupil(world.setting_a, f"Pupil{n}", f"Group{n}", date_of_birth=born) for n in range(count)]


def _costs(pupil: Pupil, period: Period = YEAR_2026) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    costed = pupil_costed_provisions(pupil, period.bounds)
    return [(line.arithmetic, line.staff_cost, line.resources_share, line.total) for _, line in costed.lines]


def _group_of_four(world: World, *, late_joiner: bool = False) -> tuple[list[Pupil], list[Provision]]:
    """Phonics catch-up, Mondays and Thursdays 9:00–9:30, 7 September to 11 December 2026."""
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    group = make_group(_phonics(world))
    pupils = _pupils(world, 4)
    places = [place(group, pupil) for pupil in pupils[:3]]
    places.append(place(group, pupils[3], joined_on=date(2026, 11, 2) if late_joiner else None))
    return pupils, places


def test_a_group_of_four_shares_the_staff_time_and_the_resources(world: World) -> None:
    pupils, _ = _group_of_four(world)
    # 2 sessions a week × 30 minutes = 1 hour a week × £20.00 = £20.00 ÷ 4 pupils = £5.00 a week.
    # 7 September to 11 December 2026: 24 + 31 + 30 + 11 = 96 days × 39 ÷ 365 = 10.26 → 10.3 weeks.
    # Staff time £5.00 × 10.3 = £51.50; resources £60.00 ÷ 4 = £15.00; total £66.50.
    assert _costs(pupils[0]) == [
        (
            "2 sessions a week × 30 minutes × £20.00 an hour (teaching assistant) ÷ 4 pupils = £5.00 a week × "
            f"10.3 weeks = £51.50. {AUTUMN_GROUP_WEEKS} Resources £60.00 ÷ 4 pupils = £15.00.",
            Decimal("51.50"), Decimal("15.00"), Decimal("66.50"),
        )
    ]  # fmt: skip


def test_a_pupil_who_joins_late_pays_for_the_weeks_they_were_in_the_group(world: World) -> None:
    pupils, _ = _group_of_four(world, late_joiner=True)
    # The late joiner came on 2 November: 2 to 30 November (29 days) + 1 to 11 December (11) = 40
    # days × 39 ÷ 365 = 4.27 → 4.3 weeks, shared by four: £20.00 ÷ 4 = £5.00 × 4.3 = £21.50; and a
    # full quarter of the resources, £15.00 (they use the same books): £36.50.
    assert _costs(pupils[3])[0][1:] == (Decimal("21.50"), Decimal("15.00"), Decimal("36.50"))
    # The three there from the start shared the adult's time three ways until then: 7 September to
    # 1 November = 24 + 31 + 1 = 56 days × 39 ÷ 365 = 5.98 → 6.0 weeks × £20.00 ÷ 3 = £40.00; then
    # four ways, £21.50 as above. Staff time £61.50 + resources £15.00 = £76.50.
    [(arithmetic, staff, resources, total)] = _costs(pupils[0])
    assert (staff, resources, total) == (Decimal("61.50"), Decimal("15.00"), Decimal("76.50"))
    assert arithmetic == (
        "2 sessions a week × 30 minutes × £20.00 an hour (teaching assistant) = £20.00 a week for the group, "
        "shared by the pupils there at the time: 7 September 2026 to 1 November 2026 ÷ 3 pupils × 6.0 weeks "
        "= £40.00; 2 November 2026 to 11 December 2026 ÷ 4 pupils × 4.3 weeks = £21.50; together £61.50. "
        f"{AUTUMN_GROUP_WEEKS} Resources £60.00 ÷ 4 pupils = £15.00."
    )
    # All the adult's time is paid for, no more: 3 × £61.50 + £21.50 = £206.00 = £20.00 × 10.3 weeks.
    assert 3 * staff + Decimal("21.50") == Decimal("20.00") * Decimal("10.3")


def test_a_cancelled_session_does_not_change_the_cost(world: World) -> None:
    # Planned provision is costed from the plan: the adult's time was set aside for the session,
    # so calling one off does not make the provision cheaper. £66.50 before, £66.50 after.
    pupils, places = _group_of_four(world)
    before = _costs(pupils[0])
    take_register(places[0].group, date(2026, 10, 5), dict.fromkeys(places, True), cancelled="Staff training")
    take_register(places[0].group, date(2026, 10, 8), {places[0]: False, places[1]: True})  # an absence, too
    assert _costs(pupils[0]) == before
    assert before[0][3] == Decimal("66.50")


def test_a_group_of_one_pays_for_all_of_the_adults_time(world: World) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    item = catalogue_item(world.setting_a, "Speech sound practice", group_size=1, sessions_per_week=3)
    slots = [(0, "10:00", "10:20"), (2, "10:00", "10:20"), (4, "10:00", "10:20")]
    [pupil] = _pupils(world, 1)
    place(make_group(item, name="Speech sounds", slots=slots), pupil)
    # 3 sessions a week × 20 minutes = 1 hour × £20.00 = £20.00 a week, shared with nobody;
    # 10.3 weeks (7 September to 11 December, as above) × £20.00 = £206.00; no resources.
    assert _costs(pupil) == [
        (
            "3 sessions a week × 20 minutes × £20.00 an hour (teaching assistant) = £20.00 a week × 10.3 weeks "
            f"= £206.00. {AUTUMN_GROUP_WEEKS}",
            Decimal("206.00"), Decimal("0.00"), Decimal("206.00"),
        )
    ]  # fmt: skip


def test_provision_carried_into_the_next_cycle_does_not_buy_its_resources_again(world: World) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    item = catalogue_item(
        world.setting_a, "Narrative therapy", group_size=1, sessions_per_week=1, minutes_per_session=30,
        resources_cost=Decimal("40.00"),
    )  # fmt: skip
    [pupil] = _pupils(world, 1)
    first = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.CLOSED, started_on=date(2026, 9, 1)
    )
    Review.objects.create(cycle=first, held_on=date(2026, 11, 30), decision="another_cycle")
    second = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=2, previous=first, status=CycleStatus.DO,
        started_on=date(2026, 12, 1),
    )  # fmt: skip
    fields = {"catalogue_item": item, "kind": "intervention", "description": "Narrative therapy"}
    old = Provision.objects.create(cycle=first, **fields)
    Provision.objects.create(cycle=second, carried_from=old, ends_on=date(2027, 3, 31), **fields)
    # 1 × 30 minutes × £20.00 = £10.00 a week, one to one.
    # Cycle 1, 1 September to its review on 30 November: 30 + 31 + 30 = 91 days × 39 ÷ 365 = 9.72
    # → 9.7 weeks × £10.00 = £97.00, and the £40.00 of resources, bought now: £137.00.
    # Cycle 2, 1 December to 31 March: 31 + 31 + 28 + 31 = 121 days × 39 ÷ 365 = 12.93 → 12.9 weeks
    # × £10.00 = £129.00, and no resources: the same materials carry on. Year: £266.00.
    costs = _costs(pupil)
    assert [(staff, resources, total) for _, staff, resources, total in costs] == [
        (Decimal("97.00"), Decimal("40.00"), Decimal("137.00")),
        (Decimal("129.00"), Decimal("0.00"), Decimal("129.00")),
    ]
    assert pupil_map(pupil, YEAR_2026).total == Decimal("266.00")


def test_a_pupil_over_6000_is_flagged_with_the_amount_above_it(world: World) -> None:
    hourly_costs(world.setting_a, specialist_teacher="50.00")
    [pupil] = _pupils(world, 1)
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Daily one-to-one teaching", staff_role="specialist_teacher",
        sessions_per_week=5, minutes_per_session=60, group_size=1,
    )  # fmt: skip
    # 5 × 60 minutes = 5 hours a week × £50.00 = £250.00 a week, one to one; still running, so the
    # whole year: 365 days × 39 ÷ 365 = 39.0 weeks × £250.00 = £9,750.00.
    # £9,750.00 − £6,000.00 met from the notional SEN budget = £3,750.00 above it.
    costed = pupil_map(pupil, YEAR_2026)
    assert costed.total == Decimal("9750.00")
    assert costed.over_element_2 and costed.above_threshold == Decimal("3750.00")
    # Half that (2 hours 30 a week) would be £4,875.00: under the threshold, so not flagged.
    Provision.objects.filter(cycle=cycle).update(minutes_per_session=30)
    assert not pupil_map(pupil, YEAR_2026).over_element_2


def test_a_custom_date_range_counts_only_its_own_weeks(world: World) -> None:
    pupils, _ = _group_of_four(world)
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    # 31 days × 39 ÷ 365 = 3.31 → 3.3 weeks × £5.00 = £16.50. The resources are counted in any
    # period the provision runs in (they were bought for it): £15.00. Total £31.50.
    assert _costs(pupils[0], october)[0][1:] == (Decimal("16.50"), Decimal("15.00"), Decimal("31.50"))
    # A range the group never met in has nothing on the map.
    assert _costs(pupils[0], Period(date(2027, 1, 1), date(2027, 3, 31))) == []


def test_provision_that_cannot_be_priced_says_why_and_counts_nothing(world: World) -> None:
    [pupil] = _pupils(world, 1)
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    base = {"cycle": cycle, "kind": "intervention", "sessions_per_week": 2, "minutes_per_session": 15}
    Provision.objects.create(description="Reading with a volunteer", **base)  # nobody said which role
    Provision.objects.create(description="Maths with the class teacher", staff_role="teacher", **base)  # no £ set
    Provision.objects.create(cycle=cycle, kind="strategy", description="Seat near the front", staff_role="teacher")
    costed = pupil_map(pupil, YEAR_2026)
    assert [line.cost.arithmetic for line in costed.lines] == [
        "Staff time not costed: no staff role given.",
        "Staff time not costed: no hourly cost set for teachers.",
        "Staff time not costed: sessions a week not given; minutes a session not given; no hourly cost set for "
        "teachers.",
    ]
    assert costed.total == Decimal(0) and costed.not_costed == 3


def test_the_setting_map_adds_up_by_pupil_intervention_area_year_group_tier_and_role(world: World) -> None:
    """Four pupils in the phonics group (one joined late) and one pupil with one-to-one speech work."""
    TierName.objects.create(local_authority=world.la_north, tier="targeted", name="Targeted support")
    _group_of_four(world, late_joiner=True)
    hourly_costs(world.setting_a, teacher="40.00")
    talk = catalogue_item(
        world.setting_a, "Talk and draw", areas=["CI", "SEMH"], tier="specialist", delivered_by_role="teacher",
        group_size=1, sessions_per_week=1, minutes_per_session=45, resources_cost=Decimal("0.01"),
    )  # fmt: skip
    year_two = make_pupil(world.setting_a, "Zara", "Zed", date_of_birth=date(2019, 5, 1))
    place(make_group(talk, name="Talk and draw, Tuesdays", slots=[(1, "13:00", "13:45")], role="teacher"), year_two)
    costed = setting_map(world.setting_a, YEAR_2026)

    # Phonics: three pupils at £76.50 and the late joiner at £36.50 = £266.00 (see the late joiner's test).
    # Talk and draw: 1 × 45 minutes × £40.00 = £30.00 a week × 10.3 weeks = £309.00 + 1p resources = £309.01.
    assert [(c.label, c.pupils, c.cost) for c in costed.interventions] == [
        ("Phonics catch-up group", 4, Decimal("266.00")),
        ("Talk and draw", 1, Decimal("309.01")),
    ]
    assert costed.total == Decimal("575.01")
    assert [row.total for row in costed.rows] == [Decimal("76.50")] * 3 + [Decimal("36.50"), Decimal("309.01")]
    # Areas: phonics is all cognition and learning; talk and draw is split between two areas, the
    # odd penny to the first in census order: £154.51 and £154.50.
    assert [(t.label, t.cost) for t in costed.by_area] == [
        ("Communication and interaction", Decimal("154.51")),
        ("Cognition and learning", Decimal("266.00")),
        ("Social, emotional and mental health", Decimal("154.50")),
    ]
    # Born January 2018, so in the 2017/18 cohort: 2026 − 2017 − 5 = Year 4 in 2026/27. Born May 2019: Year 3.
    assert [(t.label, t.pupils, t.cost) for t in costed.by_year_group] == [
        ("Year 3", 1, Decimal("309.01")),
        ("Year 4", 4, Decimal("266.00")),
    ]
    # Tiers carry the LA's own names.
    assert [(t.label, t.cost) for t in costed.by_tier] == [
        ("Targeted support", Decimal("266.00")),
        ("Specialist", Decimal("309.01")),
    ]
    # Staff hours are each pupil's share, as the cost is: phonics 1 hour a week ÷ 3 × 6.0 weeks + ÷ 4
    # × 4.3 weeks = 3.075 for each of three pupils, and 1.075 for the late joiner: 10.3 hours of TA
    # time, which is the adult's whole 1 hour × 10.3 weeks. Talk and draw: 0.75 hours × 10.3 weeks
    # = 7.725 → 7.7 hours of teacher time. Together 18.025 → 18.0.
    assert [(t.label, t.staff_hours, t.cost) for t in costed.by_role] == [
        ("Teacher", Decimal("7.7"), Decimal("309.01")),
        ("Teaching assistant", Decimal("10.3"), Decimal("266.00")),
    ]
    assert costed.staff_hours == Decimal("18.0")
    assert costed.not_costed == 0 and costed.over_element_2 == []


def test_the_map_sets_the_total_against_the_years_budget(world: World) -> None:
    from graduated.provision.models import SenBudget

    _group_of_four(world)
    SenBudget.objects.create(setting=world.setting_a, year_starting=2026, amount=Decimal("1064.00"))
    costed = setting_map(world.setting_a, YEAR_2026)
    # Four pupils × £66.50 = £266.00 of a £1,064.00 budget: 266 ÷ 1,064 = 25.0%.
    assert costed.total == Decimal("266.00") and costed.share_of_budget == Decimal("25.0")
    assert not costed.over_budget
    # A term has no budget of its own to compare with.
    assert setting_map(world.setting_a, Period(date(2026, 9, 1), date(2026, 12, 31))).budget is None


def test_shares_split_to_the_penny_add_up() -> None:
    assert split(Decimal("309.01"), 2) == [Decimal("154.51"), Decimal("154.50")]
    assert split(Decimal("10.00"), 3) == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]


def test_the_working_reads_as_english_for_one_session_and_for_the_senco(world: World) -> None:
    hourly_costs(world.setting_a, senco="45.00")
    [pupil] = _pupils(world, 1)
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Weekly check-in with the SENCO", staff_role="senco",
        sessions_per_week=1, minutes_per_session=60, group_size=1,
    )  # fmt: skip
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Lunchtime club", staff_role="therapist",
        sessions_per_week=1, minutes_per_session=30,
    )  # fmt: skip
    # 1 × 60 minutes × £45.00 = £45.00 a week × 39.0 weeks = £1,755.00.
    assert [line.cost.arithmetic for line in pupil_map(pupil, YEAR_2026).lines] == [
        f"1 session a week × 60 minutes × £45.00 an hour (SENCO) = £45.00 a week × 39.0 weeks = £1,755.00. "
        f"{WHOLE_YEAR_WEEKS}",
        "Staff time not costed: no hourly cost set for therapists.",
    ]


def test_a_week_that_is_not_whole_pence_is_written_as_one_sum_a_calculator_repeats(world: World) -> None:
    hourly_costs(world.setting_a, teacher="40.00")
    [pupil] = _pupils(world, 1)
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Lego club", staff_role="teacher", sessions_per_week=1,
        minutes_per_session=30, group_size=3,
    )  # fmt: skip
    # 1 × 30 minutes × £40.00 ÷ 3 = £6.666… a week. Written "£6.67 a week × 39.0 weeks" it would
    # make £260.13 on a calculator, not the £260.00 that 39 weeks of £6.666… come to; so the sum
    # is written in one go: 1 × 0.5 hours × £40.00 ÷ 3 × 39.0 = £260.00.
    [line] = pupil_map(pupil, YEAR_2026).lines
    assert line.cost.arithmetic == (
        "1 session a week × 30 minutes × £40.00 an hour (teacher) ÷ 3 pupils × 39.0 weeks = £260.00 "
        f"(about £6.67 a week). {WHOLE_YEAR_WEEKS}"
    )
