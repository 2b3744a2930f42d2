from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.pupils.models import ChronologyKind
from graduated.support import reviews, services
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord
from graduated.support.tests.factories import (
    ACTOR,
    agreed_cycle,
    draft_cycle,
    outcome_data,
    provision_data,
    reviewed_cycle,
)


def _date(prefix: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _url(name: str, cycle: Cycle, *more: Any) -> str:
    return reverse(f"support:{name}", args=[cycle.pupil_id, cycle.pk, *more])


OUTCOME = {
    "description": "Blends CVC words", "measure": "Phonics check", "baseline": "5 of 20", "target": "15 of 20",
    **_date("by_when", 1, 12, 2024), "area": "CL",
}  # fmt: skip


def test_senco_starts_a_cycle_and_it_goes_on_the_chronology(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    events = AuditEvent.objects.count()
    response = client.post(reverse("support:start", args=[world.p1.pk]), _date("started_on", 2, 9, 2024))
    cycle = Cycle.objects.get(pupil=world.p1)
    assert response.status_code == 302 and response["Location"] == _url("cycle", cycle)
    assert AuditEvent.objects.count() == events + 1
    entry = world.p1.chronology.get(kind=ChronologyKind.CYCLE_STARTED)
    assert entry.occurred_on == date(2024, 9, 2) and entry.summary == "Cycle 1 of SEN support started"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"by_when_1": "13"}, "By when must be a real date"),
        ({"by_when_1": ""}, "By when must include a month"),
        ({"description": ""}, "This field is required"),
        ({"area": "XX"}, "Select a valid choice"),
        ({"version": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_outcome_input_is_a_400_and_saves_nothing(
    world: World, client_for: Callable[..., Client], changes: dict[str, str], message: str
) -> None:
    cycle = draft_cycle(world.p1)
    events = AuditEvent.objects.count()
    response = client_for(world.senco_a).post(
        _url("outcome_add", cycle), {**OUTCOME, "version": cycle.version, **changes}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert cycle.outcomes.count() == 1 and AuditEvent.objects.count() == events


def test_a_seventh_outcome_is_refused_with_a_clear_message(world: World, client_for: Callable[..., Client]) -> None:
    cycle = draft_cycle(world.p1, outcomes=6)
    response = client_for(world.senco_a).post(_url("outcome_add", cycle), {**OUTCOME, "version": cycle.version})
    assert response.status_code == 400
    assert "A cycle can have at most 6 outcomes" in response.content.decode()
    assert cycle.outcomes.count() == 6


def test_a_stale_save_shows_both_versions_and_keeps_the_typing(world: World, client_for: Callable[..., Client]) -> None:
    cycle = draft_cycle(world.p1)
    opened = cycle.version
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"parents_views": "Saved by a colleague"}, expected_version=opened
    )
    response = client_for(world.senco_a).post(
        _url("assessment", cycle), {"version": opened, "parents_views": "My own typing"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this cycle" in page
    assert "Saved by a colleague" in page and "My own typing" in page
    cycle.refresh_from_db()
    assert cycle.parents_views == "Saved by a colleague"
    assert f'name="version" value="{cycle.version}"' in page


def test_another_pupils_outcome_is_404(world: World, client_for: Callable[..., Client]) -> None:
    mine = draft_cycle(world.p1)
    theirs = draft_cycle(world.p4)
    url = reverse("support:outcome_edit", args=[world.p1.pk, mine.pk, theirs.outcomes.get().pk])
    assert client_for(world.senco_a).get(url).status_code == 404
    url = reverse("support:cycle", args=[world.p1.pk, theirs.pk])
    assert client_for(world.senco_a).get(url).status_code == 404


def test_agreeing_the_plan_records_the_parents_notification(world: World, client_for: Callable[..., Client]) -> None:
    cycle = draft_cycle(world.p1)
    data = {
        "version": cycle.version, **_date("plan_agreed_on", 10, 9, 2024), **_date("review_date", 2, 12, 2024),
        **_date("parents_notified_on", 11, 9, 2024), "parents_notified_how": "phone",
    }  # fmt: skip
    bad = client_for(world.senco_a).post(_url("agree", cycle), {**data, **_date("review_date", 1, 9, 2024)})
    assert bad.status_code == 400 and "The review date cannot be before" in bad.content.decode()
    assert client_for(world.senco_a).post(_url("agree", cycle), data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DO and cycle.parents_notified_how == "phone"
    told = world.p1.chronology.get(kind=ChronologyKind.PARENTS_NOTIFIED)
    assert told.occurred_on == date(2024, 9, 11) and "by phone" in told.summary


def test_ta_logs_a_session_and_a_double_submit_is_harmless(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1)
    provision = cycle.provisions.get()
    client = client_for(world.ta_a)
    page = client.get(_url("log_delivery", cycle, provision.pk)).content.decode()
    today = date.today()
    assert f'value="{today.day}"' in page  # the date defaults to today
    data = {**_date("on", 1, 10, 2024), "status": "delivered", "note": "Read 8 words"}
    assert client.post(_url("log_delivery", cycle, provision.pk), data).status_code == 302
    assert client.post(_url("log_delivery", cycle, provision.pk), data).status_code == 302
    assert DeliveryRecord.objects.filter(provision=provision).count() == 1
    missing_reason = client.post(_url("log_delivery", cycle, provision.pk), {**data, "status": "missed"})
    assert missing_reason.status_code == 400 and "Select why the session was missed" in missing_reason.content.decode()
    future = client.post(_url("log_delivery", cycle, provision.pk), {**data, **_date("on", 1, 1, today.year + 1)})
    assert future.status_code == 400 and "must be today or in the past" in future.content.decode()


def test_review_form_rates_each_outcome_and_closes_the_cycle(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1, outcomes=2)
    outcomes = list(cycle.outcomes.all())
    provision = cycle.provisions.get()
    data = {
        "version": cycle.version, **_date("held_on", 2, 12, 2024), "decision": "another_cycle",
        f"outcome_{outcomes[0].pk}_rating": "achieved", f"provision_{provision.pk}_judgement": "continue",
    }  # fmt: skip
    client = client_for(world.senco_a)
    response = client.post(_url("review", cycle), data)
    assert response.status_code == 400 and "Rate outcome 2." in response.content.decode()
    early = client.post(_url("review", cycle), {**data, f"outcome_{outcomes[1].pk}_rating": "not_achieved",
                                                **_date("held_on", 1, 12, 2024)})  # fmt: skip
    assert early.status_code == 400 and "Say why the review is held before" in early.content.decode()
    done = client.post(_url("review", cycle), {**data, f"outcome_{outcomes[1].pk}_rating": "not_achieved"})
    assert done.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert world.p1.chronology.filter(kind=ChronologyKind.REVIEW_RECORDED).count() == 1


def test_teacher_sees_the_plan_but_not_the_assessment(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1)
    services.update_assessment(
        actor=ACTOR, cycle=cycle, changes={"parents_views": "Private views"}, expected_version=cycle.version
    )
    page = client_for(world.teacher_a).get(_url("cycle", cycle)).content.decode()
    assert "Reads 10 common exception words" in page and "Private views" not in page
    assert "I have read this plan" in page and "Agree the plan" not in page
    pupil_page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "SEN support plan" in pupil_page and "Precision teaching of sight words" in pupil_page
    client_for(world.teacher_a).post(_url("acknowledge", cycle))
    assert list(cycle.acknowledgements.values_list("user", flat=True)) == [world.teacher_a.pk]


def test_each_page_view_leaves_one_audit_event(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1)
    client = client_for(world.head_a)
    for url in (_url("cycle", cycle), reverse("support:cycles", args=[world.p1.pk])):
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200
        assert AuditEvent.objects.count() == before + 1
        assert AuditEvent.objects.order_by("-id").first().action == "view"  # type: ignore[union-attr]


def test_overdue_review_is_flagged_on_the_pupil_page(world: World, client_for: Callable[..., Client]) -> None:
    agreed_cycle(world.p1)  # review due 2 December 2024, long past
    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Overdue" in page and "Review due" in page


def test_progress_table_follows_an_outcome_through_cycles(world: World, client_for: Callable[..., Client]) -> None:
    reviewed_cycle(world.p1, rating="partly_achieved")
    services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2025, 1, 6))
    page = client_for(world.senco_a).get(reverse("support:cycles", args=[world.p1.pk])).content.decode()
    assert "Progress across cycles" in page and "Partly achieved" in page and "6 words" in page
    assert page.count("Reads 10 common exception words") == 1  # one row for the outcome and its carry-forward


def test_pupil_page_shows_each_outcomes_measures_over_time(world: World, client_for: Callable[..., Client]) -> None:
    reviewed_cycle(world.p1, rating="partly_achieved")  # cycle 1: baseline "1 words", measured "6 words"
    second = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=date(2025, 1, 6))
    services.agree_plan(
        actor=ACTOR, cycle=second, plan_agreed_on=date(2025, 1, 6), review_date=date(2025, 3, 31),
        parents_notified_on=date(2025, 1, 6), parents_notified_how="meeting", expected_version=_v(second),
    )  # fmt: skip
    reviews.record_review(
        actor=ACTOR, cycle=second, expected_version=_v(second),
        review={"held_on": date(2025, 3, 31), "decision": "end_sen_support"},
        outcome_ratings={o.pk: {"rating": "achieved", "measure_now": "11 words"} for o in second.outcomes.all()},
        provision_judgements={p.pk: {"judgement": "stop"} for p in second.provisions.all()},
    )  # fmt: skip

    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()

    rows = table_rows(page, "Measures over time")
    assert rows[0] == ["Outcome", "Baseline", "Cycle 1 review", "Cycle 2 review", "Now", "Target"]
    # One row follows the outcome from cycle 1 into cycle 2, where it was carried forward.
    assert rows[1][1:] == ["1 words", "Partly achieved 6 words", "Achieved 11 words", "11 words", "10 words"]
    assert len(rows) == 2
    assert rows[1][0].startswith("Reads 10 common exception words")


def _v(cycle: Cycle) -> int:
    cycle.refresh_from_db()
    return cycle.version


def _run_cycle(world: World, start: date, *, close: bool = True) -> Cycle:
    """A cycle with three outcomes, one provision and five sessions; reviewed when ``close``."""
    cycle = services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=start)
    for k in range(1, 4):
        services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(k), expected_version=_v(cycle))
    services.save_provision(
        actor=ACTOR, cycle=cycle, data={**provision_data(), "starts_on": start}, expected_version=_v(cycle)
    )
    services.agree_plan(
        actor=ACTOR, cycle=cycle, plan_agreed_on=start, review_date=start + timedelta(days=30),
        parents_notified_on=start, parents_notified_how="email", expected_version=_v(cycle),
    )  # fmt: skip
    for day in range(5):
        reviews.log_delivery(
            actor=ACTOR, provision=cycle.provisions.get(), on=start + timedelta(days=day), status="delivered"
        )
    if close:
        reviews.record_review(
            actor=ACTOR, cycle=cycle, expected_version=_v(cycle),
            review={"held_on": start + timedelta(days=30), "decision": "another_cycle"},
            outcome_ratings={o.pk: {"rating": "achieved", "measure_now": "more"} for o in cycle.outcomes.all()},
            provision_judgements={p.pk: {"judgement": "stop"} for p in cycle.provisions.all()},
        )  # fmt: skip
    return cycle


@pytest.mark.parametrize("name", ["pupil", "cycles", "cycle"])
def test_query_count_is_fixed_whatever_the_history(world: World, client_for: Callable[..., Client], name: str) -> None:
    client = client_for(world.senco_a)

    def measure(current: Cycle) -> int:
        url = {
            "pupil": reverse("pupils:detail", args=[world.p1.pk]),
            "cycles": reverse("support:cycles", args=[world.p1.pk]),
            "cycle": _url("cycle", current),
        }[name]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    _run_cycle(world, date(2022, 1, 3))
    current = _run_cycle(world, date(2022, 3, 1), close=False)
    small = measure(current)
    _v(current)
    reviews.record_review(
        actor=ACTOR, cycle=current, expected_version=current.version,
        review={"held_on": date(2022, 4, 1), "decision": "another_cycle"},
        outcome_ratings={o.pk: {"rating": "achieved"} for o in current.outcomes.all()},
        provision_judgements={p.pk: {"judgement": "stop"} for p in current.provisions.all()},
    )  # fmt: skip
    for n in range(6):
        _run_cycle(world, date(2022, 6, 1) + timedelta(days=40 * n))
    current = _run_cycle(world, date(2023, 1, 9), close=False)
    large = measure(current)
    assert Cycle.objects.filter(pupil=world.p1).count() == 9
    assert large == small


def test_a_review_date_on_the_day_the_plan_is_agreed_is_allowed(
    world: World, client_for: Callable[..., Client]
) -> None:
    cycle = draft_cycle(world.p1)
    data = {
        "version": cycle.version, **_date("plan_agreed_on", 10, 9, 2024), **_date("review_date", 10, 9, 2024),
        **_date("parents_notified_on", 10, 9, 2024), "parents_notified_how": "phone",
    }  # fmt: skip
    assert client_for(world.senco_a).post(_url("agree", cycle), data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.review_date == cycle.plan_agreed_on == date(2024, 9, 10)


def test_an_early_review_asks_why_and_shows_the_reason(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1)
    outcome, provision = cycle.outcomes.get(), cycle.provisions.get()
    data = {
        "version": cycle.version, **_date("held_on", 1, 11, 2024), "decision": "another_cycle",
        f"outcome_{outcome.pk}_rating": "achieved", f"provision_{provision.pk}_judgement": "continue",
    }  # fmt: skip
    client = client_for(world.senco_a)
    refused = client.post(_url("review", cycle), data)
    assert refused.status_code == 400 and "Say why the review is held before" in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DO
    done = client.post(_url("review", cycle), {**data, "early_reason": "The parents asked for an earlier review."})
    assert done.status_code == 302
    page = client.get(_url("cycle", cycle)).content.decode()
    assert "Held before the agreed date because" in page and "The parents asked for an earlier review." in page


def test_agreeing_twice_is_refused_and_the_form_is_not_offered(world: World, client_for: Callable[..., Client]) -> None:
    cycle = agreed_cycle(world.p1)
    client = client_for(world.senco_a)
    assert client.get(_url("agree", cycle)).status_code == 302
    data = {
        "version": cycle.version, **_date("plan_agreed_on", 10, 9, 2024), **_date("review_date", 2, 12, 2024),
        **_date("parents_notified_on", 11, 9, 2024), "parents_notified_how": "phone",
    }  # fmt: skip
    response = client.post(_url("agree", cycle), data)
    assert response.status_code == 400 and "already been agreed" in response.content.decode()
    assert world.p1.chronology.filter(kind=ChronologyKind.PLAN_AGREED).count() == 1


def test_bad_evidence_and_provision_input_is_explained(world: World, client_for: Callable[..., Client]) -> None:
    cycle = draft_cycle(world.p1)
    client = client_for(world.senco_a)
    evidence = client.post(
        _url("evidence_add", cycle),
        {
            "version": cycle.version,
            **_date("taken_on", 1, 9, 2024),
            "kind": "observation",
            "name": "x",
            "score": "lots",
        },
    )
    assert evidence.status_code == 400 and "Enter a number" in evidence.content.decode()
    provision = client.post(
        _url("provision_add", cycle),
        {"version": cycle.version, "kind": "strategy", "description": "Visual timetable",
         **_date("starts_on", 2, 9, 2024), **_date("ends_on", 1, 9, 2024)},
    )  # fmt: skip
    assert provision.status_code == 400
    assert "The end date must be the same as or after the start date" in provision.content.decode()
    assert cycle.evidence.count() == 1 and cycle.provisions.count() == 1
