"""Costs counted in teaching weeks by the LA's term dates, against weeks counted by hand.

Northshire's 2026/27 half terms (the demo's), with a calendar to count on:

    autumn 1  Thu 3 September – Fri 23 October 2026     37 days   (October half term 26–30 October)
    autumn 2  Mon 2 November  – Fri 18 December 2026    35 days   (Christmas 21 December – 1 January)
    spring 1  Mon 4 January   – Fri 12 February 2027    30 days   (February half term 15–19 February)
    spring 2  Mon 22 February – Thu 25 March 2027       24 days   (Easter 26 March – 9 April)
    summer 1  Mon 12 April    – Fri 28 May 2027         35 days   (May half term 31 May – 4 June)
    summer 2  Mon 7 June      – Thu 22 July 2027        34 days   (summer from 23 July)
                                                       195 days = 39.0 weeks

Teaching weeks = the school days (Monday to Friday inside a half term) ÷ 5; a year with no term
dates recorded (2027/28 here) spreads 39 weeks over its 365 days, as before.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.lib.testing import World, make_pupil
from graduated.organisations.models import Setting
from graduated.provision.cost_forms import Period
from graduated.provision.costs import pupil_costed_provisions
from graduated.provision.demo import TERM_DATES
from graduated.provision.models import HalfTerm, TermBlock, TermDates
from graduated.provision.provision_maps import pupil_map
from graduated.provision.terms import Block, TermCalendar, end_of_weeks, teaching_weeks, weekdays
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, place
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, CycleStatus, Provision

YEAR_2026 = Period.academic_year(2026)
NORTHSHIRE_2026 = TermCalendar.of(
    [Block(code, first, last) for code, (first, last) in zip(HalfTerm.values, TERM_DATES[2026], strict=True)],
    "Northshire's",
)


def _record_terms(world: World, *years: int) -> None:
    for year in years or (2026,):
        term_dates = TermDates.objects.create(local_authority=world.la_north, year_starting=year)
        for code, (first, last) in zip(HalfTerm.values, TERM_DATES[year], strict=True):
            TermBlock.objects.create(term_dates=term_dates, half_term=code, starts_on=first, ends_on=last)


def _pupil(world: World, name: str = "Pupil") -> Pupil:
    return make_pupil(world.setting_a, name, "Weeks", date_of_birth=date(2018, 1, 10))


def _one_to_one(pupil: Pupil, setting: Setting, **dates: date) -> Provision:
    """An hour a week with a teaching assistant at £20.00 an hour: £20.00 a week, one to one."""
    hourly_costs(setting, teaching_assistant="20.00")
    cycle = Cycle.objects.create(
        pupil=pupil, setting=setting, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    return Provision.objects.create(
        cycle=cycle, kind="intervention", description="Reading with an adult", staff_role="teaching_assistant",
        sessions_per_week=1, minutes_per_session=60, group_size=1, **dates,
    )  # fmt: skip


def _line(pupil: Pupil, period: Period = YEAR_2026) -> tuple[str, Decimal, Decimal]:
    [(_, line)] = pupil_costed_provisions(pupil, period.bounds).lines
    return line.arithmetic, line.weeks, line.total


# -- Counting on the calendar alone ---------------------------------------------------------------------


def test_weeks_are_school_days_in_term_divided_by_five() -> None:
    # Monday 7 December to Friday 15 January: 7–18 December = 10 days; 21 December – 1 January is
    # Christmas, not charged; 4–15 January = 10 days. 20 days ÷ 5 = 4.0 weeks (the even spread would
    # have charged 40 days × 39 ÷ 365 = 4.3, holidays and all).
    assert teaching_weeks(date(2026, 12, 7), date(2027, 1, 15), NORTHSHIRE_2026) == Decimal("4.0")
    assert teaching_weeks(date(2026, 12, 7), date(2027, 1, 15)) == Decimal("4.3")
    # The October half term, Monday 26 to Friday 30 October: no school days, 0 weeks.
    assert teaching_weeks(date(2026, 10, 26), date(2026, 10, 30), NORTHSHIRE_2026) == Decimal("0.0")
    # A weekend in term: no school days either.
    assert teaching_weeks(date(2026, 9, 12), date(2026, 9, 13), NORTHSHIRE_2026) == Decimal("0.0")
    # The whole year: 195 days ÷ 5 = 39.0, the yardstick.
    assert teaching_weeks(date(2026, 9, 1), date(2027, 8, 31), NORTHSHIRE_2026) == Decimal("39.0")
    assert weekdays(date(2026, 9, 3), date(2026, 10, 23)) == 37  # Thu 3 and Fri 4 September, then 7 weeks


def test_twelve_teaching_weeks_end_on_the_sixtieth_school_day() -> None:
    # From Monday 7 September: 7 September – 23 October = 7 weeks = 35 days; the half term is skipped;
    # 2 November – 4 December = 5 weeks = 25 days. Day 60 is Friday 4 December.
    assert end_of_weeks(date(2026, 9, 7), 12, NORTHSHIRE_2026) == date(2026, 12, 4)
    # With no term dates, 12 weeks of the even spread: 112 days (112 × 39 ÷ 365 = 11.97 → 12.0),
    # 7 September to 27 December.
    assert end_of_weeks(date(2026, 9, 7), 12) == date(2026, 12, 27)
    assert teaching_weeks(date(2026, 9, 7), date(2026, 12, 27)) == Decimal("12.0")


# -- Costs ------------------------------------------------------------------------------------------


def test_a_range_across_christmas_is_not_charged_for_the_holidays(world: World) -> None:
    _record_terms(world)
    pupil = _pupil(world)
    _one_to_one(pupil, world.setting_a, starts_on=date(2026, 12, 7), ends_on=date(2027, 1, 15))
    # 20 school days ÷ 5 = 4.0 weeks (see above) × £20.00 = £80.00.
    assert _line(pupil) == (
        "1 session a week × 60 minutes × £20.00 an hour (teaching assistant) = £20.00 a week × 4.0 weeks = £80.00. "
        "Weeks counted, 7 December 2026 to 15 January 2027: 20 school days in Northshire's terms ÷ 5 = 4.0 "
        "(not charged: the Christmas holidays).",
        Decimal("4.0"), Decimal("80.00"),
    )  # fmt: skip


def test_a_range_inside_half_term_counts_no_weeks(world: World) -> None:
    _record_terms(world)
    pupil = _pupil(world)
    _one_to_one(pupil, world.setting_a, starts_on=date(2026, 9, 7))
    half_term = Period(date(2026, 10, 26), date(2026, 10, 30))
    assert _line(pupil, half_term) == (
        "1 session a week × 60 minutes × £20.00 an hour (teaching assistant) = £20.00 a week × 0.0 weeks = £0.00. "
        "Weeks counted, 26 October 2026 to 30 October 2026: 0 school days in Northshire's terms ÷ 5 = 0.0 "
        "(not charged: the October half term).",
        Decimal("0.0"), Decimal("0.00"),
    )  # fmt: skip


def test_a_provision_of_twelve_teaching_weeks_costs_twelve_weeks(world: World) -> None:
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    item = catalogue_item(
        world.setting_a, "Phonics catch-up", group_size=1, sessions_per_week=4, minutes_per_session=15,
        typical_weeks=12,
    )  # fmt: skip
    pupil = _pupil(world)
    cycle = Cycle.objects.create(
        pupil=pupil, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, catalogue_item=item, kind="intervention", description="Phonics catch-up",
        starts_on=date(2026, 9, 7),
    )  # fmt: skip
    # 4 × 15 minutes = 1 hour × £20.00 = £20.00 a week; no end date, so the catalogue's 12 teaching
    # weeks: with no term dates, 12.0 weeks of the spread (to 27 December) × £20.00 = £240.00.
    assert _line(pupil)[1:] == (Decimal("12.0"), Decimal("240.00"))
    # With Northshire's terms: to Friday 4 December, 60 school days ÷ 5 = 12.0 weeks: £240.00 again,
    # the same 12 weeks of sessions however the holidays fall.
    _record_terms(world)
    assert _line(pupil) == (
        "4 sessions a week × 15 minutes × £20.00 an hour (teaching assistant) = £20.00 a week × 12.0 weeks "
        "= £240.00. Weeks counted, 7 September 2026 to 4 December 2026: 60 school days in Northshire's terms "
        "÷ 5 = 12.0 (not charged: the October half term).",
        Decimal("12.0"), Decimal("240.00"),
    )  # fmt: skip
    [line] = pupil_map(pupil, YEAR_2026).lines
    assert line.dates_text == "7 September 2026 to 4 December 2026 (12 teaching weeks)"
    # A range that stops part-way counts only its own school days: in September the provision ran
    # from Monday 7th to Wednesday 30th, 3 weeks and 3 days = 18 school days ÷ 5 = 3.6 weeks: £72.00.
    assert _line(pupil, Period(date(2026, 9, 1), date(2026, 9, 30)))[1:] == (Decimal("3.6"), Decimal("72.00"))


def test_a_range_partly_covered_by_term_dates_spreads_the_rest(world: World) -> None:
    _record_terms(world)  # 2026/27 only: 2027/28 has none
    pupil = _pupil(world)
    _one_to_one(pupil, world.setting_a, starts_on=date(2027, 6, 1), ends_on=date(2027, 10, 31))
    # 1–4 June is the May half term; 7 June – 22 July = 6 weeks + 4 days = 34 school days; then the
    # summer holidays to 31 August. 1 September – 31 October 2027 has no term dates: 30 + 31 = 61
    # days × 39 ÷ 365 = 6.52. 34 ÷ 5 + 6.52 = 6.8 + 6.52 = 13.32 → 13.3 weeks × £20.00 = £266.00.
    assert _line(pupil, Period(date(2027, 6, 1), date(2027, 10, 31))) == (
        "1 session a week × 60 minutes × £20.00 an hour (teaching assistant) = £20.00 a week × 13.3 weeks "
        "= £266.00. Weeks counted, 1 June 2027 to 31 October 2027: 34 school days in Northshire's terms ÷ 5 "
        "+ 61 days × 39 ÷ 365 = 13.3 (not charged: the May half term and the summer holidays; no term dates "
        "recorded for 2027/28, so 39 weeks a year spread evenly).",
        Decimal("13.3"), Decimal("266.00"),
    )  # fmt: skip


def test_a_whole_year_still_counts_39_weeks_and_another_la_keeps_the_spread(world: World) -> None:
    _record_terms(world)
    north, south = _pupil(world), make_pupil(world.setting_c, "Southern", "Pupil", date_of_birth=date(2018, 1, 10))
    _one_to_one(north, world.setting_a)
    _one_to_one(south, world.setting_c, starts_on=date(2026, 12, 7), ends_on=date(2027, 1, 15))
    # Running all year in Northshire: 195 school days ÷ 5 = 39.0 weeks × £20.00 = £780.00.
    assert _line(north)[1:] == (Decimal("39.0"), Decimal("780.00"))
    # Southborough has recorded no term dates: 7 December – 15 January is 40 days × 39 ÷ 365 = 4.27 →
    # 4.3 weeks, holidays and all: £86.00.
    assert _line(south)[1:] == (Decimal("4.3"), Decimal("86.00"))


def test_a_group_of_four_in_term_time_pays_for_its_thirteen_weeks(world: World) -> None:
    _record_terms(world)
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    item = catalogue_item(
        world.setting_a, "Phonics catch-up group", group_size=4, sessions_per_week=2, minutes_per_session=30,
        resources_cost=Decimal("60.00"),
    )  # fmt: skip
    group = make_group(item)  # Mondays and Thursdays, 7 September to 11 December 2026
    pupils = [_pupil(world, f"Pupil{n}") for n in range(4)]
    for pupil in pupils:
        place(group, pupil)
    # 7 September – 23 October = 35 school days; 2 November – 11 December = 30: 65 ÷ 5 = 13.0 weeks
    # (was 10.3 by the even spread). £20.00 ÷ 4 = £5.00 a week × 13.0 = £65.00 + £15.00 resources = £80.00.
    assert _line(pupils[0]) == (
        "2 sessions a week × 30 minutes × £20.00 an hour (teaching assistant) ÷ 4 pupils = £5.00 a week × "
        "13.0 weeks = £65.00. Weeks counted, 7 September 2026 to 11 December 2026: 65 school days in "
        "Northshire's terms ÷ 5 = 13.0 (not charged: the October half term). Resources £60.00 ÷ 4 pupils = £15.00.",
        Decimal("13.0"), Decimal("80.00"),
    )  # fmt: skip


def test_the_pupil_map_page_names_the_weeks_and_reads_as_many_queries_with_term_dates(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.senco_a)
    url = reverse("provision:pupil_map", args=[world.p1.pk])
    _one_to_one(world.p1, world.setting_a, starts_on=date(2026, 12, 7), ends_on=date(2027, 1, 15))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"year": "2026"}).status_code == 200
        return len(captured.captured_queries)

    queries()  # the first request of a session reads more
    without = queries()
    _record_terms(world, 2025, 2026, 2027)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url, {"year": "2026"}).content.decode()
    assert len(captured.captured_queries) == without  # one read of the term dates, however many years
    assert "20 school days in Northshire&#x27;s terms ÷ 5 = 4.0 (not charged: the Christmas holidays)" in page
    assert "Teaching weeks are counted from the local authority&#x27;s school term dates" in page
