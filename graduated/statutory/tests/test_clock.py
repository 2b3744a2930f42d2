"""The statutory clock against the Regulations, with every expected date worked out by hand."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graduated.statutory.clock import (
    AdviceAsked,
    ClockException,
    ExceptionKind,
    Rag,
    Step,
    advice_due,
    annual_review_due,
    appeal_deadline,
    assessment_deadlines,
    closure_advice_window,
    days_left,
    deadline_with_exceptions,
    draft_comments_close,
    earliest_final_plan,
    months_after,
    phase_transfer_deadline,
    post_16_transfer_deadline,
    rag_status,
    review_decision_due,
    review_papers_due,
    review_report_due,
    statutory_deadline,
)

D = date
CLOSED = ExceptionKind.SETTING_CLOSED
AWAY = ExceptionKind.ABSENT_FROM_AREA
PERSONAL = ExceptionKind.PERSONAL_CIRCUMSTANCES
MISSED = ExceptionKind.MISSED_APPOINTMENT


# received → decision to assess (6 weeks) → decision not to issue (16 weeks) → final plan (20 weeks)
ASSESSMENT_ROWS = [
    (D(2026, 3, 2), D(2026, 4, 13), D(2026, 6, 22), D(2026, 7, 20)),  # Monday 2 March, the worked example
    (D(2026, 1, 1), D(2026, 2, 12), D(2026, 4, 23), D(2026, 5, 21)),  # New Year's Day
    (D(2026, 1, 31), D(2026, 3, 14), D(2026, 5, 23), D(2026, 6, 20)),  # month end into a short February
    (D(2026, 2, 1), D(2026, 3, 15), D(2026, 5, 24), D(2026, 6, 21)),  # February, not a leap year
    (D(2028, 2, 1), D(2028, 3, 14), D(2028, 5, 23), D(2028, 6, 20)),  # February of a leap year: a day sooner
    (D(2028, 2, 29), D(2028, 4, 11), D(2028, 6, 20), D(2028, 7, 18)),  # leap day
    (D(2027, 2, 28), D(2027, 4, 11), D(2027, 6, 20), D(2027, 7, 18)),  # last day of a common-year February
    (D(2026, 4, 30), D(2026, 6, 11), D(2026, 8, 20), D(2026, 9, 17)),  # 30-day month end
    (D(2026, 6, 30), D(2026, 8, 11), D(2026, 10, 20), D(2026, 11, 17)),
    (D(2026, 7, 31), D(2026, 9, 11), D(2026, 11, 20), D(2026, 12, 18)),  # last day of the summer term
    (D(2026, 8, 15), D(2026, 9, 26), D(2026, 12, 5), D(2027, 1, 2)),  # summer holidays; 20 weeks crosses the year
    (D(2026, 9, 1), D(2026, 10, 13), D(2026, 12, 22), D(2027, 1, 19)),  # start of the school year
    (D(2026, 10, 31), D(2026, 12, 12), D(2027, 2, 20), D(2027, 3, 20)),
    (D(2026, 12, 1), D(2027, 1, 12), D(2027, 3, 23), D(2027, 4, 20)),
    (D(2025, 12, 31), D(2026, 2, 11), D(2026, 4, 22), D(2026, 5, 20)),  # year end, common year next
    (D(2027, 12, 31), D(2028, 2, 11), D(2028, 4, 21), D(2028, 5, 19)),  # year end, leap year next
    (D(2027, 11, 20), D(2028, 1, 1), D(2028, 3, 11), D(2028, 4, 8)),  # 6 weeks lands on New Year's Day
]


@pytest.mark.parametrize(("received", "six_weeks", "sixteen_weeks", "twenty_weeks"), ASSESSMENT_ROWS)
def test_assessment_deadlines_from_the_day_a_request_is_received(received, six_weeks, sixteen_weeks, twenty_weeks):
    deadlines = assessment_deadlines(received)

    assert (deadlines.decision_to_assess, deadlines.decision_not_to_issue, deadlines.final_plan) == (
        six_weeks,
        sixteen_weeks,
        twenty_weeks,
    )
    # "within N weeks": the same weekday N weeks on.
    assert {six_weeks.weekday(), sixteen_weeks.weekday(), twenty_weeks.weekday()} == {received.weekday()}


def test_advice_is_due_six_weeks_after_the_body_receives_the_request():
    assert advice_due(D(2026, 5, 20)) == D(2026, 7, 1)
    assert statutory_deadline(Step.ADVICE, D(2027, 12, 31)) == D(2028, 2, 11)


@pytest.mark.parametrize(
    ("served", "comments_close", "earliest_final"),
    [
        (D(2026, 6, 1), D(2026, 6, 15), D(2026, 6, 16)),
        (D(2027, 2, 20), D(2027, 3, 6), D(2027, 3, 7)),
        (D(2028, 2, 20), D(2028, 3, 5), D(2028, 3, 6)),  # leap year: 29 February is one of the 15 days
        (D(2026, 12, 24), D(2027, 1, 7), D(2027, 1, 8)),
    ],
)
def test_the_family_has_fifteen_days_counting_the_day_the_draft_is_served(served, comments_close, earliest_final):
    assert draft_comments_close(served) == comments_close
    assert earliest_final_plan(served) == earliest_final


def test_the_latest_draft_still_lets_the_final_plan_meet_twenty_weeks():
    deadlines = assessment_deadlines(D(2026, 3, 2))

    assert deadlines.latest_draft_plan == D(2026, 7, 5)
    assert earliest_final_plan(deadlines.latest_draft_plan) == deadlines.final_plan == D(2026, 7, 20)


# --- Exceptions (request received Monday 2 March 2026: 6 weeks 13 April, 16 weeks 22 June, 20 weeks 20 July)

SCHOOL = 7  # the id of the setting the pupil attends


def confirmed(kind, first, last, setting_id=None):
    return ClockException(kind, first, last, setting_id=setting_id, confirmed=True)


def test_a_confirmed_absence_of_four_weeks_applies_and_keeps_the_statutory_date():
    result = deadline_with_exceptions(Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(AWAY, D(2026, 4, 1), D(2026, 4, 28))])

    assert result.statutory == D(2026, 7, 20)
    assert result.excused
    assert "as soon as practicable" in result.effects[0].reason
    assert not hasattr(result, "adjusted")  # no new deadline is invented


def test_an_exception_no_officer_has_confirmed_does_not_apply():
    result = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [ClockException(AWAY, D(2026, 4, 1), D(2026, 4, 28))]
    )

    assert not result.excused
    assert "no officer has confirmed" in result.effects[0].reason


def test_a_closure_one_day_short_of_four_weeks_applies_to_nothing_and_says_why():
    result = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(CLOSED, D(2026, 4, 1), D(2026, 4, 27), SCHOOL)],
        [AdviceAsked(SCHOOL, D(2026, 4, 1))],
    )  # fmt: skip

    assert not result.excused
    (effect,) = result.effects
    assert not effect.counts
    assert "3 weeks and 6 days" in effect.reason
    assert "at least 4 weeks" in effect.reason


def test_the_closure_advice_window_runs_from_a_week_before_closing_to_a_week_before_reopening():
    # Closed Monday 6 April to Sunday 10 May 2026 (35 days); it reopens Monday 11 May.
    closure = confirmed(CLOSED, D(2026, 4, 6), D(2026, 5, 10), SCHOOL)

    assert closure_advice_window(closure) == (D(2026, 3, 30), D(2026, 5, 4))


@pytest.mark.parametrize(
    ("asked_on", "applies"),
    [
        (D(2026, 3, 29), False),  # 8 days before it closed: before the window
        (D(2026, 3, 30), True),  # a week before it closed: the window's first day
        (D(2026, 4, 20), True),  # while it was closed
        (D(2026, 5, 4), True),  # a week before it reopened: the window's last day
        (D(2026, 5, 5), False),  # less than a week before it reopened
    ],
)
def test_a_closure_applies_to_the_sixteen_weeks_only_if_the_school_was_asked_for_advice_in_the_window(
    asked_on, applies
):
    closure = confirmed(CLOSED, D(2026, 4, 6), D(2026, 5, 10), SCHOOL)

    result = deadline_with_exceptions(
        Step.DECISION_NOT_TO_ISSUE, D(2026, 3, 2), [closure], [AdviceAsked(SCHOOL, asked_on)]
    )

    assert result.excused is applies
    if not applies:
        assert "between 30 March 2026 and 4 May 2026" in result.effects[0].reason


def test_a_closure_needs_the_advice_asked_of_the_setting_that_was_closed():
    closure = confirmed(CLOSED, D(2026, 4, 6), D(2026, 5, 10), SCHOOL)

    other_school = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [closure], [AdviceAsked(SCHOOL + 1, D(2026, 4, 7))]
    )
    no_advice = deadline_with_exceptions(Step.FINAL_PLAN, D(2026, 3, 2), [closure])
    unnamed = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(CLOSED, D(2026, 4, 6), D(2026, 5, 10))],
        [AdviceAsked(SCHOOL, D(2026, 4, 7))],
    )  # fmt: skip

    assert not other_school.excused
    assert not no_advice.excused
    assert not unnamed.excused
    assert "does not say which school" in unnamed.effects[0].reason


def test_a_summer_closure_applies_to_the_six_weeks_when_the_school_was_asked_before_it_closed():
    # Received Wednesday 1 July 2026, due 12 August; closed 22 July–2 September (43 days); the LA asked
    # the school for advice on 16 July, inside the week before it closed.
    closure = confirmed(CLOSED, D(2026, 7, 22), D(2026, 9, 2), SCHOOL)

    asked = deadline_with_exceptions(
        Step.DECISION_TO_ASSESS, D(2026, 7, 1), [closure], [AdviceAsked(SCHOOL, D(2026, 7, 16))]
    )
    asked_too_early = deadline_with_exceptions(
        Step.DECISION_TO_ASSESS, D(2026, 7, 1), [closure], [AdviceAsked(SCHOOL, D(2026, 7, 14))]
    )

    assert asked.statutory == D(2026, 8, 12)
    assert asked.excused
    assert not asked_too_early.excused


def test_advice_asked_after_the_deadline_cannot_make_a_closure_apply():
    # Received 1 July, due 12 August; closed 22 July–2 September; asked 20 August, inside the window
    # but after the 6 weeks had run out.
    closure = confirmed(CLOSED, D(2026, 7, 22), D(2026, 9, 2), SCHOOL)

    result = deadline_with_exceptions(
        Step.DECISION_TO_ASSESS, D(2026, 7, 1), [closure], [AdviceAsked(SCHOOL, D(2026, 8, 20))]
    )

    assert not result.excused


def test_a_closure_is_no_exception_to_the_advice_time_limit():
    closure = confirmed(CLOSED, D(2026, 4, 6), D(2026, 5, 10), SCHOOL)

    result = deadline_with_exceptions(Step.ADVICE, D(2026, 4, 1), [closure], [AdviceAsked(SCHOOL, D(2026, 4, 1))])

    assert not result.excused
    assert result.effects[0].reason.startswith("Regulation 8(2) does not list")


def test_personal_circumstances_need_no_minimum_length():
    result = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(PERSONAL, D(2026, 5, 4), D(2026, 5, 8))]
    )

    assert result.excused
    assert result.statutory == D(2026, 7, 20)


def test_an_exception_after_the_deadline_changes_nothing():
    result = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(PERSONAL, D(2026, 7, 21), D(2026, 7, 31))]
    )

    assert not result.excused
    assert "after the deadline of 20 July 2026" in result.effects[0].reason


def test_an_exception_on_the_deadline_day_itself_applies():
    result = deadline_with_exceptions(
        Step.FINAL_PLAN, D(2026, 3, 2), [confirmed(PERSONAL, D(2026, 7, 20), D(2026, 7, 20))]
    )

    assert result.excused


def test_a_missed_appointment_applies_to_sixteen_weeks_but_not_twenty():
    missed = [confirmed(MISSED, D(2026, 4, 15), D(2026, 4, 21))]

    sixteen = deadline_with_exceptions(Step.DECISION_NOT_TO_ISSUE, D(2026, 3, 2), missed)
    twenty = deadline_with_exceptions(Step.FINAL_PLAN, D(2026, 3, 2), missed)

    assert sixteen.excused
    assert not twenty.excused
    assert twenty.effects[0].reason.startswith("Regulation 13(3) does not list a missed appointment")


def test_only_exceptions_running_after_the_request_was_received_apply():
    exceptions = [
        confirmed(PERSONAL, D(2026, 2, 20), D(2026, 3, 2)),  # ends on the day of receipt: nothing
        confirmed(AWAY, D(2026, 2, 1), D(2026, 3, 5)),  # 33 days away, running on after receipt
    ]

    result = deadline_with_exceptions(Step.FINAL_PLAN, D(2026, 3, 2), exceptions)

    assert [effect.counts for effect in result.effects] == [True, False]
    assert "when the clock started" in result.effects[1].reason


def test_an_exception_cannot_end_before_it_begins():
    with pytest.raises(ValueError, match="last day"):
        ClockException(PERSONAL, D(2026, 5, 2), D(2026, 5, 1))


# --- Months, reviews and phase transfer ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
    ],
)
def test_months_follow_the_corresponding_date_rule(start, months, expected):
    assert months_after(start, months) == expected


@pytest.mark.parametrize(
    ("plan_made_or_reviewed", "interval_months", "review_by"),
    [
        (D(2025, 3, 1), 12, D(2026, 2, 28)),
        (D(2025, 6, 15), 12, D(2026, 6, 14)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # leap day: no 29 February 2029, so the month's last day
        (D(2028, 2, 28), 12, D(2029, 2, 27)),
        (D(2027, 3, 1), 12, D(2028, 2, 29)),  # the 12 months include a leap day
        (D(2025, 12, 31), 12, D(2026, 12, 30)),
        (D(2026, 1, 1), 12, D(2026, 12, 31)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),  # under-5s every 6 months: no 31 February
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 1, 15), 3, D(2026, 4, 14)),
    ],
)
def test_the_next_review_is_due_by_the_end_of_the_period_starting_with_the_last(
    plan_made_or_reviewed, interval_months, review_by
):
    assert annual_review_due(plan_made_or_reviewed, interval_months=interval_months) == review_by


@pytest.mark.parametrize("interval_months", [0, 13])
def test_a_review_interval_outside_the_law_is_refused(interval_months):
    with pytest.raises(ValueError, match="between 1 and 12"):
        annual_review_due(D(2026, 1, 1), interval_months=interval_months)


@pytest.mark.parametrize(
    ("meeting", "papers_out", "report", "decision"),
    [
        (D(2026, 6, 10), D(2026, 5, 27), D(2026, 6, 24), D(2026, 7, 8)),
        (D(2027, 1, 5), D(2026, 12, 22), D(2027, 1, 19), D(2027, 2, 2)),
        (D(2028, 3, 7), D(2028, 2, 22), D(2028, 3, 21), D(2028, 4, 4)),
    ],
)
def test_review_meeting_dates(meeting, papers_out, report, decision):
    assert review_papers_due(meeting) == papers_out
    assert review_report_due(meeting) == report
    assert review_decision_due(meeting) == decision


@pytest.mark.parametrize(
    ("year", "secondary_to_post_16", "last_day"),
    [(2027, False, D(2027, 2, 14)), (2027, True, D(2027, 3, 30)), (2028, False, D(2028, 2, 14))],
)
def test_phase_transfer_amendments_come_before_15_february_or_31_march(year, secondary_to_post_16, last_day):
    assert phase_transfer_deadline(year, secondary_to_post_16=secondary_to_post_16) == last_day


@pytest.mark.parametrize(
    ("transfer", "amend_by"),
    [(D(2026, 9, 1), D(2026, 4, 1)), (D(2026, 7, 31), D(2026, 2, 28)), (D(2027, 1, 31), D(2026, 8, 31))],
)
def test_a_move_between_post_16_institutions_needs_five_months(transfer, amend_by):
    assert post_16_transfer_deadline(transfer) == amend_by


# --- Appeals and RAG ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision_sent", "certificate", "appeal_by"),
    [
        (D(2026, 3, 10), None, D(2026, 5, 10)),
        (D(2025, 12, 31), None, D(2026, 2, 28)),
        (D(2027, 12, 31), None, D(2028, 2, 29)),
        (D(2026, 3, 10), D(2026, 5, 5), D(2026, 6, 5)),  # the certificate's month ends later
        (D(2026, 3, 10), D(2026, 4, 1), D(2026, 5, 10)),  # the 2 months end later
        (D(2025, 11, 30), D(2026, 1, 31), D(2026, 2, 28)),
    ],
)
def test_appeal_deadline(decision_sent, certificate, appeal_by):
    assert appeal_deadline(decision_sent, mediation_certificate_issued=certificate) == appeal_by


@pytest.mark.parametrize(
    ("deadline", "left", "status"),
    [
        (D(2026, 5, 31), -1, Rag.RED),
        (D(2026, 6, 1), 0, Rag.RED),
        (D(2026, 6, 8), 7, Rag.RED),
        (D(2026, 6, 9), 8, Rag.AMBER),
        (D(2026, 6, 15), 14, Rag.AMBER),
        (D(2026, 6, 16), 15, Rag.GREEN),
    ],
)
def test_rag_with_the_default_thresholds(deadline, left, status):
    today = D(2026, 6, 1)

    assert days_left(deadline, today) == left
    assert rag_status(deadline, today) == status


def test_rag_thresholds_are_parameters():
    today = D(2026, 6, 1)
    statuses = [rag_status(D(2026, 6, day), today, red_within_days=3, amber_within_days=10) for day in (4, 5, 11, 12)]

    assert statuses == [Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN]
    with pytest.raises(ValueError, match="red threshold"):
        rag_status(today, today, red_within_days=15, amber_within_days=14)


# --- Properties ---------------------------------------------------------------------------------

any_day = st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31))


@given(any_day)
def test_week_limits_are_whole_weeks_from_receipt(received):
    deadlines = assessment_deadlines(received)

    assert deadlines.decision_to_assess - received == timedelta(days=42)
    assert deadlines.decision_not_to_issue - received == timedelta(days=112)
    assert deadlines.final_plan - received == timedelta(days=140)
    assert earliest_final_plan(deadlines.latest_draft_plan) == deadlines.final_plan


@st.composite
def exceptions_near(draw, received):
    def one():
        first = received + timedelta(days=draw(st.integers(-30, 200)))
        return ClockException(
            draw(st.sampled_from(ExceptionKind)), first, first + timedelta(days=draw(st.integers(0, 60))),
            setting_id=draw(st.sampled_from([None, SCHOOL])), confirmed=draw(st.booleans()),
        )  # fmt: skip

    return [one() for _ in range(draw(st.integers(0, 4)))]


@given(st.data(), any_day, st.sampled_from(Step))
def test_exceptions_never_move_the_statutory_date_and_apply_only_when_confirmed(data, received, step):
    exceptions = data.draw(exceptions_near(received))
    advice = [AdviceAsked(SCHOOL, received + timedelta(days=data.draw(st.integers(0, 100))))]

    result = deadline_with_exceptions(step, received, exceptions, advice)

    assert result.statutory == statutory_deadline(step, received)
    assert all(effect.exception.confirmed for effect in result.effects if effect.counts)
    assert all(effect.exception.first_day <= result.statutory for effect in result.effects if effect.counts)
    assert result.excused == any(effect.counts for effect in result.effects)
    assert deadline_with_exceptions(step, received, reversed(exceptions), advice).excused == result.excused
    # Unconfirming every exception leaves nothing that applies.
    unconfirmed = [ClockException(e.kind, e.first_day, e.last_day, e.setting_id) for e in exceptions]
    assert not deadline_with_exceptions(step, received, unconfirmed, advice).excused


@given(any_day, st.integers(1, 12))
def test_a_review_is_due_on_the_day_before_the_corresponding_date_or_the_month_end(last, interval_months):
    due = annual_review_due(last, interval_months=interval_months)
    corresponding = months_after(last, interval_months)

    assert corresponding - timedelta(days=1) <= due <= corresponding
    assert due > last
