"""Terms as the impact pages count them (graduated/provision/impact.py): autumn 1 September to
31 December, spring 1 January to 31 March, summer 1 April to 31 August."""

from datetime import date

from graduated.provision.impact import Term, academic_year_label, term_of
from graduated.pupils.year_groups import academic_year_start

__all__ = ["Term", "academic_year_label", "academic_year_start", "term_of"]

SEASON_OF_MONTH = {month: (0 if month >= 9 else 1 if month <= 3 else 2) for month in range(1, 13)}


def bounds(term: Term) -> tuple[date, date]:
    """The term's first and last days."""
    year = term.year
    return [
        (date(year, 9, 1), date(year, 12, 31)),
        (date(year + 1, 1, 1), date(year + 1, 3, 31)),
        (date(year + 1, 4, 1), date(year + 1, 8, 31)),
    ][term.season_index]


def previous(term: Term) -> Term:
    if term.season_index:
        return Term(term.year, term.season_index - 1)
    return Term(term.year - 1, 2)


def ended_terms(today: date, count: int = 3) -> list[Term]:
    """The last ``count`` terms that have ended by ``today``, oldest first."""
    terms = []
    term = term_of(today)
    for _ in range(count):
        term = previous(term)
        terms.append(term)
    return terms[::-1]


def terms_of_year(year_starting: int) -> list[Term]:
    return [Term(year_starting, index) for index in range(3)]
