"""National Curriculum year groups from a date of birth.

A child enters Reception in the September after their fourth birthday, so everyone born between
1 September and the next 31 August shares a year group.
"""

from datetime import date


def academic_year_start(on: date) -> int:
    """The calendar year in which the academic year containing ``on`` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def year_group_for(date_of_birth: date, on: date) -> int:
    """0 is Reception, 1–13 are Years 1–13, -1 and -2 are the two nursery years, below is younger."""
    birth_cohort = academic_year_start(date_of_birth)
    return academic_year_start(on) - birth_cohort - 5


def year_group_label(year: int) -> str:
    if year <= -3:
        return "Early years (under 3)"
    if year == -2:
        return "Nursery 1"
    if year == -1:
        return "Nursery 2"
    if year == 0:
        return "Reception"
    if year <= 14:
        return f"Year {year}"
    return "Post-19"


def census_year_code(year: int) -> str:
    """The school census's NC year code: N1, N2, R, 1–14, X outside those."""
    return {-2: "N1", -1: "N2", 0: "R"}.get(year, str(year) if 1 <= year <= 14 else "X")
