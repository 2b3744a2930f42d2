import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import reviews, selectors, services
from graduated.ehc.figures import SEN2_HEADER, Share, timeliness
from graduated.ehc.tests.factories import ACTOR, RECEIVED, assessing, final, received, review
from graduated.ehc.transfers import transfer_for_pupil
from graduated.lib.testing import World, make_pupil
from graduated.lib.versioning import StaleEditError
from graduated.rulepacks.tests.factories import published


def test_timeliness_per_month_worked_by_hand(world: World) -> None:
    final(world.p1)  # decided 7 April (deadline 14 April); issued 16 July (deadline 21 July)
    late = assessing(world.p2, decided_after=50)  # decided 22 April, late; no plan by 21 July
    # Closed 17 March–20 April after a fire; the school was asked for advice on 10 March, a week before
    # it closed, and the officer confirmed the closure made the 20 weeks impractical: it is an exception.
    services.request_advice(
        actor=ACTOR, request=late, adviser_kind="school", adviser="Ash Primary", asked_on=date(2025, 3, 10)
    )
    services.add_exception(
        actor=ACTOR, request=late, kind="setting_closed", first_day=date(2025, 3, 17), last_day=date(2025, 4, 20),
        reason="Closed after a fire.", impractical_because="The school's advice could not be given while it was shut.",
    )  # fmt: skip
    received(world.p3, date(2025, 4, 1))  # deadline 13 May, never decided
    received(make_pupil(world.setting_a, "Yet", "ToCome"), date(2025, 8, 1))  # deadline 12 September: not due
    months = timeliness(world.la_north, date(2025, 9, 1))
    table = {
        month.label: (month.decisions.words, month.final_plans.words, month.final_plans_without_exceptions.words)
        for month in months
    }
    assert table == {
        "July 2025": ("None due", "1 of 2 (too few for a percentage)", "1 of 1 (too few for a percentage)"),
        "May 2025": ("0 of 1 (too few for a percentage)", "None due", "None due"),
        "April 2025": ("1 of 2 (too few for a percentage)", "None due", "None due"),
    }
    assert list(table) == ["July 2025", "May 2025", "April 2025"]  # newest first


def test_a_share_gives_a_percentage_only_from_five_cases() -> None:
    assert Share(4, 5).words == "80% (4 of 5)"
    assert Share(2, 3).percentage is None
    assert Share(0, 0).words == "None due"


def test_the_sen2_csv_has_one_row_per_request_and_quotes_formulas(
    world: World, client_for: Callable[..., Client]
) -> None:
    plan = final(world.p1)
    services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p2, received_on=RECEIVED, source=1,
        requested_by='=HYPERLINK("http://evil.example","click")',
    )  # fmt: skip
    received(world.p4)  # Southborough's: not in Northshire's return
    response = client_for(world.officer_north).get(reverse("ehc:sen2_export", args=[world.la_north.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == SEN2_HEADER
    assert len(rows) == 3
    by_case = {row[0]: dict(zip(SEN2_HEADER, row, strict=True)) for row in rows[1:]}
    issued = by_case[str(plan.request_id)]
    assert issued["UPN"] == world.p1.upn
    assert (issued["Request received"], issued["Request source code"]) == ("2025-03-03", "1")
    assert (issued["Decision to assess"], issued["Decision date"], issued["Decided within 6 weeks"]) == (
        "Y", "2025-04-07", "Y",
    )  # fmt: skip
    assert (issued["Assessment outcome"], issued["Assessment outcome date"]) == ("Plan issued", "2025-07-16")
    assert (issued["20-week deadline"], issued["Issued within 20 weeks"], issued["20-week exception"]) == (
        "2025-07-21", "Y", "N",
    )  # fmt: skip
    pending = next(row for key, row in by_case.items() if key != str(plan.request_id))
    assert pending["Requested by"] == '\'=HYPERLINK("http://evil.example","click")'
    assert pending["Decision to assess"] == "" and pending["Issued within 20 weeks"] == ""
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="ehc sen2 export").count() == 1


def test_reviews_are_due_within_12_months_or_6_for_under_fives(world: World) -> None:
    plan = final(world.p1)  # issued 16 July 2025
    due = reviews.review_due(plan, [], date(2025, 9, 1))
    assert (due.due, due.basis_label, due.interval_months) == (date(2026, 7, 15), "plan issued", 12)
    held = review(plan, date(2026, 7, 1))
    due = reviews.review_due(plan, [held], date(2026, 7, 2))
    assert (due.due, due.basis_label) == (date(2027, 6, 30), "last review")
    little = make_pupil(world.setting_a, "Tiny", "Tot", date_of_birth=date(2021, 6, 1), sen_status="K")
    young_plan = final(little)
    assert reviews.review_due(young_plan, [], date(2025, 9, 1)).due == date(2026, 1, 15)


def test_the_la_chooses_the_interval_for_under_fives_in_its_rule_pack(world: World) -> None:
    little = make_pupil(world.setting_a, "Tiny", "Tot", date_of_birth=date(2021, 6, 1), sen_status="K")
    final(little)  # issued 16 July 2025, aged 4
    final(world.p1)  # aged 9: always 12 months
    published(world.la_north, [], effective_from=date(2025, 7, 1), under_five_review_months=3)
    dues = {due.plan.pupil: due for due in selectors.reviews_due(world.la_north, date(2025, 9, 1))}
    assert (dues[little].interval_months, dues[little].due) == (3, date(2025, 10, 15))
    assert dues[world.p1].interval_months == 12
    # A pack published after the plan was issued does not change the interval counted from the issue.
    published(world.la_north, [], effective_from=date(2025, 8, 1), under_five_review_months=4)
    assert selectors.reviews_due(world.la_north, date(2025, 9, 1))[0].interval_months == 3


def test_the_phase_transfer_deadline_shows_in_the_last_year_of_a_primary_and_a_secondary(world: World) -> None:
    plan = final(world.p1)  # born 14 March 2016: Year 6 in 2026/27, at Ash Primary (no age range: 4–11)
    due = reviews.review_due(plan, [], date(2026, 11, 13))
    assert (due.phase_transfer, due.phase_transfer_label) == (date(2027, 2, 14), "Primary to secondary")
    assert reviews.review_due(plan, [], date(2025, 11, 13)).phase_transfer is None  # Year 5
    older = make_pupil(world.setting_b, "Sixteen", "Soon", date_of_birth=date(2011, 3, 1), sen_status="K")
    transfer = transfer_for_pupil(older, date(2026, 11, 13))  # Beech Academy, no age range: 11–16
    assert transfer is not None and (transfer.deadline, transfer.label) == (date(2027, 3, 30), "Secondary to post-16")


def test_a_review_checks_its_dates_and_its_decision(world: World) -> None:
    plan = final(world.p1)
    with pytest.raises(services.EHCError, match="on or after the plan was issued"):
        reviews.record_review(actor=ACTOR, plan=plan, details={"meeting_on": date(2025, 7, 1)})
    with pytest.raises(services.EHCError, match="Enter the date of the LA's decision"):
        reviews.record_review(actor=ACTOR, plan=plan, details={"meeting_on": date(2026, 7, 1), "decision": "amend"})
    made = review(plan, date(2026, 7, 1))
    assert (made.papers_due, made.report_due, made.decision_due) == (
        date(2026, 6, 17), date(2026, 7, 15), date(2026, 7, 29),
    )  # fmt: skip
    reviews.update_review(
        actor=ACTOR, review=made, expected_version=made.version,
        details={"meeting_on": date(2026, 7, 1), "decision": "maintain", "decided_on": date(2026, 7, 20)},
    )  # fmt: skip
    with pytest.raises(StaleEditError):
        reviews.update_review(actor=ACTOR, review=made, expected_version=1, details={"meeting_on": date(2026, 7, 1)})
