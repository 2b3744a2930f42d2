from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graduated.records.census import (
    CensusInput,
    CensusRow,
    NeedPeriod,
    StatusPeriod,
    census_days,
    census_problems,
    census_view,
    season_of,
)
from graduated.records.record import NeedEntry, PupilRecord, SENStatusEntry

SPRING_2026 = date(2026, 1, 15)
AUTUMN_2025 = date(2025, 10, 2)


# Census days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "autumn", "spring", "summer"),
    [
        (2024, date(2024, 10, 3), date(2025, 1, 16), date(2025, 5, 15)),
        (2025, date(2025, 10, 2), date(2026, 1, 15), date(2026, 5, 21)),
        (2026, date(2026, 10, 1), date(2027, 1, 21), date(2027, 5, 20)),
    ],
)
def test_census_days_known_dates(year: int, autumn: date, spring: date, summer: date) -> None:
    assert census_days(year) == {"autumn": autumn, "spring": spring, "summer": summer}


@given(st.integers(min_value=2000, max_value=2100))
def test_census_days_are_the_right_thursdays(year: int) -> None:
    days = census_days(year)
    assert all(day.weekday() == 3 for day in days.values())
    assert days["autumn"].month == 10 and days["autumn"].day <= 7  # the first Thursday
    assert days["spring"].month == 1 and 15 <= days["spring"].day <= 21  # the third
    assert days["summer"].month == 5 and 15 <= days["summer"].day <= 21
    assert days["autumn"].year == year and days["spring"].year == days["summer"].year == year + 1


@pytest.mark.parametrize(
    ("day", "season"),
    [(date(2025, 9, 1), "autumn"), (date(2025, 12, 31), "autumn"), (date(2026, 1, 1), "spring"),
     (date(2026, 4, 30), "spring"), (date(2026, 5, 1), "summer"), (date(2026, 8, 31), "summer")],
)  # fmt: skip
def test_season_of(day: date, season: str) -> None:
    assert season_of(day) == season


# The view --------------------------------------------------------------------------------------


def pupil(*statuses: StatusPeriod, needs: tuple[NeedPeriod, ...] = (), **indicators: bool) -> CensusInput:
    return CensusInput(statuses=statuses, needs=needs, **indicators)


def test_provision_on_the_day() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2), date(2026, 1, 14)),
        StatusPeriod("E", date(2026, 1, 16)),
        needs=(NeedPeriod("ASD", 1, date(2024, 9, 2)),),
    )
    assert census_view(history, SPRING_2026 - timedelta(days=1)).provision == "K"  # ends on the 14th: counted
    assert census_view(history, SPRING_2026).provision == "N"  # the E starts the day after census day
    assert census_view(history, SPRING_2026 + timedelta(days=1)).provision == "E"


def test_a_status_ending_on_census_day_is_counted() -> None:
    assert census_view(pupil(StatusPeriod("K", date(2025, 9, 1), SPRING_2026)), SPRING_2026).provision == "K"


def test_no_status_is_n() -> None:
    assert census_view(pupil(), SPRING_2026) == CensusRow(SPRING_2026, "N", None, None, False, False)


def test_needs_current_on_the_day() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2)),
        needs=(
            NeedPeriod("SLCN", 1, date(2024, 9, 2), date(2026, 1, 14)),
            NeedPeriod("SEMH", 1, SPRING_2026),  # starts on census day: counted
            NeedPeriod("MLD", 2, None),  # no start date: counted
            NeedPeriod("HI", 2, SPRING_2026 + timedelta(days=1)),  # starts the day after: not counted
            NeedPeriod("VI", 3, date(2024, 9, 2)),  # rank 3: the census has no place for it
        ),
    )
    row = census_view(history, SPRING_2026)
    assert (row.primary_need, row.secondary_need) == ("SEMH", "MLD")


def test_an_n_pupil_has_no_needs_in_the_view() -> None:
    history = pupil(StatusPeriod("N", date(2024, 9, 2)), needs=(NeedPeriod("SLCN", 1, date(2024, 9, 2)),))
    assert census_view(history, SPRING_2026).primary_need is None


def test_indicators_pass_through() -> None:
    row = census_view(pupil(StatusPeriod("E", date(2024, 9, 2)), sen_unit=True), SPRING_2026)
    assert (row.sen_unit, row.resourced_provision) == (True, False)


def test_overlapping_statuses_show_the_latest() -> None:
    history = pupil(StatusPeriod("K", date(2024, 9, 2)), StatusPeriod("E", date(2025, 3, 3)))
    assert census_view(history, SPRING_2026).provision == "E"


def test_a_record_can_be_viewed_directly() -> None:
    record = PupilRecord(
        upn="",
        legal_first_name="A",
        legal_last_name="B",
        date_of_birth=date(2015, 1, 1),
        sex="F",
        sen_history=(SENStatusEntry(date(2024, 9, 2), "K"), SENStatusEntry(date(2026, 1, 16), "E")),
        needs=(NeedEntry("SPLD", 1, date(2024, 9, 2)),),
        resourced_provision=True,
    )
    assert CensusInput.from_record(record).statuses == (
        StatusPeriod("K", date(2024, 9, 2), date(2026, 1, 15)),
        StatusPeriod("E", date(2026, 1, 16)),
    )
    row = census_view(record, SPRING_2026)
    assert (row.provision, row.primary_need, row.resourced_provision) == ("K", "SPLD", True)
    assert census_view(record, SPRING_2026 + timedelta(days=1)).provision == "E"
    assert census_problems(record, SPRING_2026) == []


# Problems --------------------------------------------------------------------------------------


def test_a_clean_pupil_has_no_problems() -> None:
    history = pupil(
        StatusPeriod("E", date(2024, 9, 2)),
        needs=(NeedPeriod("ASD", 1, date(2024, 9, 2)), NeedPeriod("SLCN", 2, date(2025, 1, 6))),
    )
    assert census_problems(history, SPRING_2026) == []


@pytest.mark.parametrize(("provision", "what"), [("K", "SEN support (K)"), ("E", "an EHC plan (E)")])
def test_no_primary_need_in_spring(provision: str, what: str) -> None:
    history = pupil(StatusPeriod(provision, date(2024, 9, 2)))
    assert census_problems(history, SPRING_2026) == [
        f"The pupil has {what} on 15/01/2026 but no primary need (rank 1): the spring census needs one for every "
        "pupil with SEN support or an EHC plan."
    ]
    assert census_problems(history, AUTUMN_2025) == []
    assert census_problems(history, AUTUMN_2025, season="spring") != []


def test_a_primary_need_starting_after_census_day_is_not_counted() -> None:
    history = pupil(StatusPeriod("K", date(2024, 9, 2)), needs=(NeedPeriod("MLD", 1, date(2026, 1, 16)),))
    assert any("no primary need" in problem for problem in census_problems(history, SPRING_2026))


def test_a_secondary_need_without_a_primary_one() -> None:
    history = pupil(StatusPeriod("K", date(2024, 9, 2)), needs=(NeedPeriod("MLD", 2, date(2024, 9, 2)),))
    assert census_problems(history, AUTUMN_2025) == [
        "A secondary need (MLD) is current on 02/10/2025 without a primary need (rank 1): record the primary need "
        "first."
    ]


def test_nsa_with_an_ehc_plan() -> None:
    history = pupil(StatusPeriod("E", date(2024, 9, 2)), needs=(NeedPeriod("NSA", 1, date(2024, 9, 2)),))
    assert census_problems(history, SPRING_2026) == [
        "NSA (SEN support without a specialist assessment of the type of need) is only valid with SEN support (K), "
        "but the provision on 15/01/2026 is E."
    ]
    with_k = pupil(StatusPeriod("K", date(2024, 9, 2)), needs=(NeedPeriod("NSA", 1, date(2024, 9, 2)),))
    assert census_problems(with_k, SPRING_2026) == []


def test_needs_for_an_n_pupil() -> None:
    history = pupil(
        StatusPeriod("K", date(2023, 9, 4), date(2025, 7, 18)),
        needs=(NeedPeriod("SLCN", 1, date(2023, 9, 4)), NeedPeriod("HI", 1, date(2023, 9, 4), date(2025, 7, 18))),
    )
    assert census_problems(history, SPRING_2026) == [
        "Needs are current on 15/01/2026 (SLCN) but the pupil has no SEN provision (N): the census takes needs only "
        "for pupils with SEN support or an EHC plan, so end the needs or record the provision."
    ]


def test_two_needs_with_the_same_rank() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2)),
        needs=(NeedPeriod("SLCN", 1, date(2024, 9, 2)), NeedPeriod("ASD", 1, date(2025, 6, 2))),
    )
    assert census_problems(history, SPRING_2026) == [
        "Two needs have rank 1 on 15/01/2026 (SLCN and ASD): the census takes one of each rank."
    ]
    ended = pupil(
        StatusPeriod("K", date(2024, 9, 2)),
        needs=(NeedPeriod("SLCN", 1, date(2024, 9, 2), date(2025, 6, 1)), NeedPeriod("ASD", 1, date(2025, 6, 2))),
    )
    assert census_problems(ended, SPRING_2026) == []


def test_the_same_type_as_primary_and_secondary() -> None:
    history = pupil(StatusPeriod("K", date(2024, 9, 2)), needs=(NeedPeriod("ASD", 1, None), NeedPeriod("ASD", 2, None)))
    assert census_problems(history, SPRING_2026) == [
        "The primary and the secondary need are both ASD: record a different secondary need, or none."
    ]


def test_a_rank_the_census_does_not_take() -> None:
    history = pupil(StatusPeriod("K", date(2024, 9, 2)), needs=(NeedPeriod("SLCN", 1, None), NeedPeriod("VI", 3, None)))
    assert census_problems(history, SPRING_2026) == [
        "The VI need has rank 3: the census takes a primary need (rank 1) and a secondary need (rank 2) only."
    ]


@pytest.mark.parametrize(("code", "label"), [("S", "Statement (before 2014)"), ("A", "School Action (before 2014)")])
def test_legacy_codes(code: str, label: str) -> None:
    history = pupil(StatusPeriod(code, date(2012, 9, 3)), needs=(NeedPeriod("MLD", 1, date(2012, 9, 3)),))
    assert census_problems(history, SPRING_2026) == [
        f"The SEN provision on 15/01/2026 is {code} ({label}), a code from before the 2014 reforms that the "
        "census no longer accepts: record K (SEN support) or E (EHC plan) instead."
    ]


def test_unknown_codes() -> None:
    history = pupil(StatusPeriod("Q", date(2024, 9, 2)), needs=(NeedPeriod("XYZ", 1, None),))
    assert census_problems(history, SPRING_2026) == [
        "“Q” is not a census SEN provision: record N, K or E.",
        "“XYZ” is not a census SEN type.",
    ]


def test_overlapping_statuses() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2)),
        StatusPeriod("E", date(2025, 3, 3)),
        needs=(NeedPeriod("ASD", 1, None),),
    )
    assert census_problems(history, SPRING_2026) == [
        "Two SEN provisions cover 15/01/2026 (K from 02/09/2024 and E from 03/03/2025): the census takes one, so end "
        "the earlier one."
    ]


def test_periods_ending_before_they_start() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2), date(2024, 8, 1)),
        needs=(NeedPeriod("ASD", 1, date(2024, 9, 2), date(2024, 1, 1)),),
    )
    assert census_problems(history, SPRING_2026) == [
        "The K provision from 02/09/2024 ends before it starts (01/08/2024).",
        "The ASD need from 02/09/2024 ends before it starts (01/01/2024).",
    ]


def test_indicators_without_sen_provision() -> None:
    assert census_problems(pupil(sen_unit=True), SPRING_2026) == [
        "The pupil is recorded in a SEN unit but has no SEN provision (N) on 15/01/2026: a place there is for a "
        "pupil with SEN support or an EHC plan."
    ]
    assert (
        "resourced provision but has no SEN provision"
        in census_problems(pupil(resourced_provision=True), SPRING_2026)[0]
    )


def test_both_indicators() -> None:
    history = pupil(
        StatusPeriod("E", date(2024, 9, 2)),
        needs=(NeedPeriod("HI", 1, None),),
        sen_unit=True,
        resourced_provision=True,
    )
    assert census_problems(history, SPRING_2026) == [
        "The pupil is recorded both in a SEN unit and in resourced provision: the census allows one or the other."
    ]


def test_the_day_after_a_status_ends() -> None:
    history = pupil(
        StatusPeriod("K", date(2024, 9, 2), SPRING_2026 - timedelta(days=1)),
        needs=(NeedPeriod("SPLD", 1, date(2024, 9, 2), SPRING_2026 - timedelta(days=1)),),
    )
    assert census_view(history, SPRING_2026).provision == "N"
    assert census_problems(history, SPRING_2026) == []
