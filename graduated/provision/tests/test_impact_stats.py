"""The impact statistics against examples worked by hand; each test writes out its arithmetic.

No database: impact.py works on plain numbers.
"""

from datetime import date
from decimal import Decimal

import pytest

from graduated.provision.impact import (
    CAUTION,
    Attendance,
    Measure,
    PupilResult,
    Scores,
    Term,
    attendance,
    change,
    effect_size,
    fixed,
    percent,
    ratio_gain,
    sample_sd,
    signed_fixed,
    summarise,
    term_of,
)

STANDARDISED = Measure("Reading age test", "", "standardised", higher_is_better=True)
ERRORS = Measure("Errors in a 100-word passage", "errors", "raw", higher_is_better=False)
AGE = Measure("Reading age", "months", "age_equivalent", higher_is_better=True)
START, END = date(2026, 9, 7), date(2026, 12, 11)
NO_SESSIONS = Attendance(0, 0)


def pupil(
    entry: float | None,
    exit: float | None,
    *,
    cost: str | None = "120.00",
    ratings: tuple[str, ...] = (),
    unreviewed: int = 0,
    present: Attendance = NO_SESSIONS,
) -> PupilResult:
    return PupilResult(
        scores=Scores(entry, exit, START if entry is not None else None, END if exit is not None else None),
        attendance=present,
        cost=Decimal(cost) if cost is not None else None,
        cost_missing=() if cost is not None else ("no hourly cost set for teaching assistants",),
        ratings=ratings,
        unreviewed_outcomes=unreviewed,
    )


# Attendance: due = held sessions inside the pupil's place; attended = due sessions marked delivered.

# The group's registers: Mon 7, Thu 10, Mon 14 Sep held; Thu 17 Sep cancelled; Mon 21 Sep held.
REGISTERS = [
    (date(2026, 9, 7), True),
    (date(2026, 9, 10), True),
    (date(2026, 9, 14), True),
    (date(2026, 9, 17), False),
    (date(2026, 9, 21), True),
]


def test_a_cancelled_session_is_due_to_nobody() -> None:
    # Placed all term. Held sessions: 7, 10, 14, 21 = 4 due (17th cancelled, so not due).
    # Marked delivered on 7, 10, 21 (and, wrongly, on the cancelled 17th: not counted) = 3.
    # 3 ÷ 4 = 75%.
    got = attendance(
        REGISTERS, [(START, END)], [date(2026, 9, 7), date(2026, 9, 10), date(2026, 9, 17), date(2026, 9, 21)]
    )
    assert got == Attendance(due=4, attended=3)
    assert got.text == "75% (3 of 4 sessions)"


def test_a_late_joiner_is_due_only_from_the_day_they_joined() -> None:
    # Joined Mon 14 Sep. Due: 14 and 21 (7 and 10 came before; 17 was cancelled) = 2.
    # Attended 14 only = 1. 1 ÷ 2 = 50%.
    got = attendance(REGISTERS, [(date(2026, 9, 14), END)], [date(2026, 9, 14)])
    assert got == Attendance(due=2, attended=1)
    assert got.rate == 0.5


def test_a_pupil_who_left_and_came_back_is_due_in_both_places_only() -> None:
    # Places 7–10 Sep and 21 Sep–end: due 7, 10, 21 = 3 (not 14). Attended 7 and 21 = 2 → 67%.
    spans = [(date(2026, 9, 7), date(2026, 9, 10)), (date(2026, 9, 21), END)]
    got = attendance(REGISTERS, spans, [date(2026, 9, 7), date(2026, 9, 14), date(2026, 9, 21)])
    assert got == Attendance(due=3, attended=2)
    assert got.text == "67% (2 of 3 sessions)"


def test_the_group_rate_pools_every_pupils_sessions() -> None:
    # The 75% pupil (3 of 4) and the late joiner (1 of 2): (3 + 1) ÷ (4 + 2) = 4 ÷ 6 = 66.7% → 67%,
    # not the mean of 75% and 50% (62.5%).
    impact = summarise([pupil(None, None, present=Attendance(4, 3)), pupil(None, None, present=Attendance(2, 1))], None)
    assert impact.attendance == Attendance(due=6, attended=4)
    assert impact.attendance.text == "67% (4 of 6 sessions)"


def test_no_sessions_yet_says_so() -> None:
    assert attendance([], [(START, END)], []).text == "No sessions held yet"


# Scores, change, effect size.


def test_a_standardised_group_worked_by_hand() -> None:
    # Four pupils with both scores, and a fifth with no exit score yet (entry 82).
    #   entry 80 → exit 86: change +6
    #   entry 84 → exit 88: change +4
    #   entry 86 → exit 95: change +9
    #   entry 90 → exit 91: change +1
    # mean entry = (80 + 84 + 86 + 90) ÷ 4 = 340 ÷ 4 = 85; mean exit = (86 + 88 + 95 + 91) ÷ 4 = 90
    # mean change = (6 + 4 + 9 + 1) ÷ 4 = 20 ÷ 4 = 5 (= 90 − 85); the fifth pupil is left out.
    # SD of entry scores (n − 1): deviations −5, −1, +1, +5; squares 25 + 1 + 1 + 25 = 52;
    #   52 ÷ 3 = 17.333; √17.333 = 4.1633.
    # d = 5 ÷ 4.1633 = 1.2010.
    # SE = √(1/n + d²/(2n)) = √(1/4 + 1.4423/8) = √(0.25 + 0.1803) = √0.4303 = 0.6560.
    # 95% interval = 1.2010 ± 1.96 × 0.6560 = 1.2010 ± 1.2857 = −0.0847 to 2.4867.
    # Cost: £120.00 each for 5 pupils → £120.00 a pupil; ÷ mean change 5 = £24.00 a point.
    pupils = [pupil(80, 86), pupil(84, 88), pupil(86, 95), pupil(90, 91), pupil(82, None)]
    impact = summarise(pupils, STANDARDISED)
    assert (impact.pupils, impact.scored, impact.no_exit, impact.no_entry) == (5, 4, 1, 0)
    assert impact.mean_entry == 85 and impact.mean_exit == 90 and impact.mean_change == 5
    assert impact.effect.d == pytest.approx(1.2010, abs=1e-4)
    assert impact.effect.low == pytest.approx(-0.0847, abs=1e-4)
    assert impact.effect.high == pytest.approx(2.4867, abs=1e-4)
    assert impact.effect.text == "1.20 (95% interval −0.08 to 2.49)"
    assert impact.missing_scores_text == "1 pupil has no exit score: left out of the score figures."
    assert impact.cost_per_pupil == Decimal("120.00")
    assert impact.cost_per_unit == Decimal("24.00")
    assert impact.cost_per_unit_text == "£24.00 per point of progress"
    assert not impact.few_pupils and impact.few_scored  # 5 pupils, but only 4 with both scores


def test_the_sd_is_of_the_entry_scores_with_n_minus_1() -> None:
    # 80, 84, 86, 90: Σ(x − 85)² = 52; 52 ÷ (4 − 1) = 17.333; √ = 4.1633 (not √(52 ÷ 4) = 3.6056).
    assert sample_sd([80, 84, 86, 90]) == pytest.approx(4.1633, abs=1e-4)
    assert sample_sd([90]) is None


def test_when_lower_is_better_the_change_is_turned_round() -> None:
    # Errors in a passage: fewer is better.
    #   entry 12 → exit 7: 12 − 7 = +5;   entry 10 → exit 8: 10 − 8 = +2
    # mean change = (5 + 2) ÷ 2 = 3.5 (progress, so positive).
    # SD of entries 12, 10: mean 11; (1² + 1²) ÷ 1 = 2; √2 = 1.4142.
    # d = 3.5 ÷ 1.4142 = 2.4749; SE = √(1/2 + 2.4749²/4) = √(0.5 + 1.5313) = √2.0313 = 1.4252
    # interval 2.4749 ± 1.96 × 1.4252 = 2.4749 ± 2.7934 = −0.3186 to 5.2683.
    assert change(Scores(12, 7), higher_is_better=False) == 5
    impact = summarise([pupil(12, 7), pupil(10, 8)], ERRORS)
    assert impact.mean_change == 3.5
    assert impact.score_text(impact.mean_change, signed=True) == "+3.5"
    assert impact.effect.d == pytest.approx(2.4749, abs=1e-4)
    assert impact.effect.low == pytest.approx(-0.3186, abs=1e-4)
    assert impact.effect.high == pytest.approx(5.2683, abs=1e-4)
    assert impact.few_pupils  # 2 pupils


def test_a_group_going_backwards_has_no_cost_per_unit_of_progress() -> None:
    # entry 90 → exit 88 and entry 85 → exit 84: changes −2 and −1, mean −1.5.
    impact = summarise([pupil(90, 88), pupil(85, 84)], STANDARDISED)
    assert impact.mean_change == -1.5
    assert impact.score_text(impact.mean_change, signed=True) == "−1.5"
    assert impact.cost_per_unit is None
    assert impact.cost_per_unit_text.startswith("None: the mean change is not above 0")


def test_a_group_of_one_has_no_effect_size_and_says_why() -> None:
    # One pupil: entry 90, exit 96, change +6. An SD needs 2 or more scores, so no d.
    impact = summarise([pupil(90, 96)], STANDARDISED)
    assert impact.mean_change == 6
    assert impact.effect.d is None
    assert impact.effect.text == "Not enough pupils: only 1 pupil has both scores, and one score has no spread"
    assert impact.few_pupils and CAUTION == "fewer than 5 pupils: treat with caution"


def test_no_effect_size_when_every_pupil_started_level() -> None:
    # Entries 85, 85: SD 0, so change ÷ SD has no meaning.
    assert effect_size([85, 85], [3, 5]).text.startswith("No effect size: every pupil started on the same score")


def test_missing_exit_and_entry_scores_are_left_out_and_counted() -> None:
    # Only the first pupil has both: mean change = 96 − 90 = 6; 2 have no exit, 1 no entry.
    impact = summarise([pupil(90, 96), pupil(80, None), pupil(None, None), pupil(None, 70)], STANDARDISED)
    assert (impact.scored, impact.no_exit, impact.no_entry) == (1, 2, 2)
    assert impact.mean_change == 6 and impact.mean_entry == 90
    assert impact.missing_scores_text == (
        "2 pupils have no exit score and 2 pupils have no entry score: left out of the score figures."
    )


def test_ratio_gain_is_months_gained_over_months_elapsed() -> None:
    # Entry 7 Sep 2026, exit 11 Dec 2026: 95 days ÷ 30.44 = 3.1209 months.
    #   72 → 78 months: 6 ÷ 3.1209 = 1.9225
    #   80 → 82 months: 2 ÷ 3.1209 = 0.6408
    # mean ratio gain = (1.9225 + 0.6408) ÷ 2 = 1.2817 → "1.3"
    assert ratio_gain(Scores(72, 78, START, END)) == pytest.approx(1.9225, abs=1e-4)
    impact = summarise([pupil(72, 78), pupil(80, 82)], AGE)
    assert impact.ratio_gain == pytest.approx(1.2817, abs=1e-4)
    assert impact.ratio_gain_text == "1.3"
    assert impact.cost_per_unit_text == "£30.00 per month of progress"  # £120 ÷ mean change 4 months


def test_ratio_gain_needs_an_age_equivalent_measure_and_a_day_between() -> None:
    assert summarise([pupil(72, 78)], STANDARDISED).ratio_gain_text == "Not an age-equivalent measure"
    assert ratio_gain(Scores(72, 78, START, START)) is None


def test_outcomes_share_counts_only_reviewed_outcomes() -> None:
    # Reviewed: achieved, partly achieved | achieved, no longer relevant = 4, of which 2 achieved;
    # 1 outcome not yet reviewed is left out. 2 ÷ 4 = 50%.
    impact = summarise(
        [
            pupil(None, None, ratings=("achieved", "partly_achieved")),
            pupil(None, None, ratings=("achieved", "no_longer_relevant"), unreviewed=1),
        ],
        STANDARDISED,
    )
    assert (impact.outcomes_achieved, impact.outcomes_reviewed, impact.outcomes_unreviewed) == (2, 4, 1)
    assert impact.outcomes_text == "50% (2 of 4 reviewed)"


def test_cost_per_pupil_is_the_mean_and_unknown_when_any_is_unpriced() -> None:
    # (£100.00 + £50.00 + £45.01) ÷ 3 = £195.01 ÷ 3 = £65.003 → £65.00
    assert summarise([pupil(None, None, cost=c) for c in ("100.00", "50.00", "45.01")], None).cost_per_pupil == (
        Decimal("65.00")
    )
    unpriced = summarise([pupil(90, 96), pupil(90, 95, cost=None)], STANDARDISED)
    assert unpriced.cost_per_pupil is None
    assert unpriced.cost_text == "Not known: no hourly cost set for teaching assistants"
    assert unpriced.cost_per_unit_text == "Not known: the cost per pupil is not known"


def test_runs_without_one_measure_give_no_score_figures() -> None:
    impact = summarise(
        [pupil(90, 96), pupil(80, 85)], None, "Not pooled: these runs measure progress in different ways"
    )
    assert impact.mean_change is None and impact.scored == 0
    assert impact.score_text(impact.mean_change) == "Not pooled: these runs measure progress in different ways"


@pytest.mark.parametrize(
    ("day", "label", "academic_year"),
    [
        (date(2026, 9, 1), "Autumn 2026", "2026/27"),
        (date(2026, 12, 31), "Autumn 2026", "2026/27"),
        (date(2027, 1, 1), "Spring 2027", "2026/27"),
        (date(2027, 3, 31), "Spring 2027", "2026/27"),
        (date(2027, 4, 1), "Summer 2027", "2026/27"),
        (date(2026, 8, 31), "Summer 2026", "2025/26"),
    ],
)
def test_a_group_belongs_to_the_term_its_start_falls_in(day: date, label: str, academic_year: str) -> None:
    term = term_of(day)
    assert (term.label, term.academic_year) == (label, academic_year)


def test_terms_sort_in_time_order() -> None:
    assert sorted([term_of(date(2027, 5, 1)), term_of(date(2026, 10, 1)), term_of(date(2027, 2, 1))]) == [
        Term(2026, 0),
        Term(2026, 1),
        Term(2026, 2),
    ]


def test_numbers_round_half_up_as_by_hand() -> None:
    # Float formatting would give 2.2 (half to even); people write 2.3.
    assert fixed(2.25, 1) == "2.3"
    assert signed_fixed(-0.04, 1) == "0.0"
    assert percent(1, 8) == 13  # 12.5% → 13%
    assert percent(2, 3) == 67
