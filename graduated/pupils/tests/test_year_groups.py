from datetime import date

import pytest

from graduated.pupils.year_groups import census_year_code, year_group_for, year_group_label


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2015, 9, 1), date(2020, 9, 1), 0),  # oldest in the cohort starts Reception at 5
        (date(2016, 8, 31), date(2020, 9, 1), 0),  # youngest in the same cohort, just 4
        (date(2016, 9, 1), date(2020, 9, 1), -1),  # a day younger: nursery
        (date(2015, 9, 1), date(2021, 8, 31), 0),  # still Reception on the last day of the year
        (date(2014, 3, 14), date(2026, 11, 22), 8),  # 12 years old: Year 8
        (date(2008, 12, 25), date(2026, 11, 22), 13),
    ],
)
def test_year_group_from_date_of_birth(born: date, on: date, expected: int) -> None:
    assert year_group_for(born, on) == expected


def test_labels_and_census_codes() -> None:
    assert [year_group_label(y) for y in (-3, -2, -1, 0, 1, 11)] == [
        "Early years (under 3)", "Nursery 1", "Nursery 2", "Reception", "Year 1", "Year 11",
    ]  # fmt: skip
    assert [census_year_code(y) for y in (-3, -2, -1, 0, 6, 14, 15)] == ["X", "N1", "N2", "R", "6", "14", "X"]
