"""Runs' tallies pooled give exactly the figures of their pupils' results summarised together, as
``summarise`` worked them out before tallies were kept (the reference below is that code, as it
was): the same numbers, added in the same order, to the last binary digit. No database."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from graduated.provision.costs import pounds
from graduated.provision.impact import (
    ACHIEVED,
    Attendance,
    EffectSize,
    Impact,
    Measure,
    PupilResult,
    Scores,
    change,
    combined,
    effect_size,
    figures,
    mean,
    ratio_gain,
    summarise,
    tally,
)

MEASURES = [
    None,
    Measure("Reading test", "", "standardised", True),
    Measure("Errors", "errors", "raw", False),
    Measure("Reading age", "months", "age_equivalent", True),
    Measure("Spelling gap", "months", "age_equivalent", False),
]
START = date(2026, 9, 7)


def _reference(pupils: list[PupilResult], measure: Measure | None, scores_note: str = "") -> Impact:
    """``summarise`` before tallies (graduated/provision/impact.py, as it was)."""
    complete = [p.scores for p in pupils if p.scores.complete] if measure is not None else []
    higher = measure.higher_is_better if measure is not None else True
    entries = [s.entry for s in complete if s.entry is not None]
    exits = [s.exit for s in complete if s.exit is not None]
    changes = [c for s in complete if (c := change(s, higher)) is not None]
    gains = [g for s in complete if (g := ratio_gain(s, higher)) is not None]
    costs = [p.cost for p in pupils]
    missing = sorted({reason for p in pupils for reason in p.cost_missing})
    if not pupils:
        cost_per_pupil, cost_note = None, "no pupils"
    elif missing or any(cost is None for cost in costs):
        cost_per_pupil, cost_note = None, "; ".join(missing) or "some provision could not be priced"
    else:
        cost_per_pupil, cost_note = pounds(sum((c for c in costs if c is not None), Decimal(0)) / len(pupils)), ""
    ratings = [rating for p in pupils for rating in p.ratings]
    no_measure = measure is None
    return Impact(
        measure=measure,
        pupils=len(pupils),
        scored=len(complete),
        no_entry=0 if no_measure else sum(1 for p in pupils if p.scores.entry is None),
        no_exit=0 if no_measure else sum(1 for p in pupils if p.scores.exit is None),
        attendance=sum((p.attendance for p in pupils), Attendance(0, 0)),
        mean_entry=mean(entries),
        mean_exit=mean(exits),
        mean_change=mean(changes),
        ratio_gain=mean(gains) if measure is not None and measure.is_age_equivalent else None,
        effect=effect_size(entries, changes) if not no_measure else EffectSize(reason=scores_note),
        outcomes_reviewed=len(ratings),
        outcomes_achieved=sum(1 for rating in ratings if rating == ACHIEVED),
        outcomes_unreviewed=sum(p.unreviewed_outcomes for p in pupils),
        cost_per_pupil=cost_per_pupil,
        cost_note=cost_note,
        scores_note=scores_note,
    )


# Scores with one or two decimals (whose sums depend on the order they are added in), dates that
# may be missing or out of order, costs to the penny or unknown, any ratings.
score = st.one_of(st.none(), st.integers(0, 20000).map(lambda n: n / 100), st.integers(0, 1500).map(lambda n: n / 10))
day = st.one_of(st.none(), st.integers(0, 120).map(lambda n: START + timedelta(days=n)))
pupil = st.builds(
    lambda entry, exit, entry_on, exit_on, due, attended, cost, ratings, unreviewed: PupilResult(
        scores=Scores(entry, exit, entry_on, exit_on),
        attendance=Attendance(due, min(attended, due)),
        cost=cost,
        cost_missing=() if cost is not None else ("no hourly cost set for teaching assistants",),
        ratings=tuple(ratings),
        unreviewed_outcomes=unreviewed,
    ),
    score, score, day, day, st.integers(0, 40), st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 500000).map(lambda n: Decimal(n).scaleb(-2))),
    st.lists(st.sampled_from(["achieved", "partly_achieved", "not_achieved", "no_longer_relevant"]), max_size=3),
    st.integers(0, 2),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(runs=st.lists(st.lists(pupil, max_size=8), max_size=6), measure=st.sampled_from(MEASURES))
def test_pooled_tallies_give_exactly_the_figures_of_the_pupils_summarised_together(
    runs: list[list[PupilResult]], measure: Measure | None
) -> None:
    note = "" if measure else "No entry and exit measure is set for this intervention"
    everyone = [p for run in runs for p in run]
    expected = _reference(everyone, measure, note)
    assert summarise(everyone, measure, note) == expected
    assert figures(combined([tally(run) for run in runs]), measure, note) == expected
    # Terms' tallies of runs' tallies: as the LA page adds up "all settings together".
    halves = [combined([tally(run) for run in runs[:2]]), combined([tally(run) for run in runs[2:]])]
    assert figures(combined(halves), measure, note) == expected


def test_pooled_tallies_keep_each_scored_pupil_in_the_runs_order() -> None:
    # Not a sum: the pooled figures add every pupil's scores up in the order their results come in,
    # as summarise always has (float sums can depend on that order).
    runs = [[PupilResult(Scores(v, v + 1, START, START), Attendance(0, 0), Decimal(0))] for v in (0.3, 0.1, 0.2)]
    pooled = combined([tally(run) for run in runs])
    assert [entry for entry, _, _ in pooled.scored] == [0.3, 0.1, 0.2]
