from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.funding.models import ApplicationStatus, FundingAward, TopUpApplication
from graduated.funding.tests.factories import costed_provision, draft, submitted
from graduated.lib.testing import World

ClientFor = Callable[..., Client]


def _date(prefix: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


APPLICATION = {
    **_date("period_from", 1, 9, 2024), **_date("period_to", 31, 8, 2025), "amount_requested": "£4,500.50",
    "case_for_funding": "Needs an adult with her all day.",
}  # fmt: skip
AWARD = {
    "kind": "sen_inclusion_fund", "amount": "1200", **_date("period_from", 1, 9, 2024),
    **_date("period_to", 19, 12, 2024), **_date("awarded_on", 20, 9, 2024), "note": "",
}  # fmt: skip


def _url(name: str, *args: Any) -> str:
    return reverse(f"funding:{name}", args=args)


def test_the_senco_drafts_an_application_and_sees_it_on_the_pupils_funding_page(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.senco_a)
    response = client.post(_url("new_application", world.p1.pk), APPLICATION)
    application = TopUpApplication.objects.get(pupil=world.p1)
    assert response.status_code == 302 and response["Location"] == _url("application", world.p1.pk, application.pk)
    assert application.amount_requested == Decimal("4500.50") and application.status == ApplicationStatus.DRAFT
    assert application.setting == world.setting_a and application.created_by == world.senco_a
    page = client.get(_url("pupil", world.p1.pk)).content.decode()
    assert "£4,500.50" in page and "Draft" in page


def test_the_funding_page_flags_a_map_above_six_thousand_pounds(world: World, client_for: ClientFor) -> None:
    # 5 × 60 minutes × £40 an hour = £200 a week; the cycle is open, so it runs all of this academic year.
    costed_provision(world.p1, hourly="40.00", sessions=5, minutes=60)
    client = client_for(world.senco_a)
    views = AuditEvent.objects.filter(action="view", pupil_id=world.p1.pk).count()
    page = client.get(_url("pupil", world.p1.pk)).content.decode()
    assert "costs <strong>£7,800.00</strong>" in page  # 39 teaching weeks × £200
    assert "This is £1,800.00 above the £6,000.00" in page
    assert AuditEvent.objects.filter(action="view", pupil_id=world.p1.pk).count() == views + 1
    costed_provision(world.p2)
    assert "within the £6,000.00" in client.get(_url("pupil", world.p2.pk)).content.decode()


def _posted(client: Client, url: str, data: dict[str, Any]) -> tuple[int, str]:
    response = client.post(url, data)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_from_1": "13"}, "Start of the period must be a real date"),
        ({"period_to_2": "25"}, "Year must include 4 numbers"),
        ({"amount_requested": "-5"}, "Amount requested must be £0 or more"),
        ({"amount_requested": "lots"}, "Amount requested must be an amount in pounds"),
        ({"amount_requested": ""}, "Enter the amount requested"),
        ({**_date("period_to", 31, 8, 2024)}, "The end of the period must be the same as or after its start"),
        ({"version": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_input_for_an_application_is_refused_with_a_message(
    world: World, client_for: ClientFor, changes: dict[str, Any], message: str
) -> None:
    status, page = _posted(client_for(world.senco_a), _url("new_application", world.p1.pk), {**APPLICATION, **changes})
    assert status == 400 and message in page and "There is a problem" in page
    assert not TopUpApplication.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-1"}, "Amount must be £0 or more"),
        ({"kind": "lottery"}, "Select a valid choice"),
        ({**_date("period_to", 1, 8, 2024)}, "The end of the period must be the same as or after its start"),
        ({"awarded_on_0": "31", "awarded_on_1": "2"}, "Date awarded must be a real date"),
        ({**_date("awarded_on", 1, 1, 2999)}, "Date awarded must be today or in the past"),
    ],
)
def test_bad_input_for_an_award_is_refused_with_a_message(
    world: World, client_for: ClientFor, changes: dict[str, Any], message: str
) -> None:
    status, page = _posted(client_for(world.senco_a), _url("new_award", world.p1.pk), {**AWARD, **changes})
    assert status == 400 and message in page
    assert not FundingAward.objects.exists()


def test_another_pupils_application_or_a_foreign_pupil_is_not_found(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    p2_application = draft(world.p2)
    foreign = draft(world.p4)
    assert client.get(_url("application", world.p1.pk, p2_application.pk)).status_code == 404
    assert client.get(_url("application", world.p4.pk, foreign.pk)).status_code == 404
    assert client.post(_url("submit", world.p1.pk, p2_application.pk), {"version": 1}).status_code == 404
    assert client.post(_url("new_application", world.p4.pk), APPLICATION).status_code == 404
    assert client.get(_url("pupil", 999999)).status_code == 404
    assert TopUpApplication.objects.filter(status="draft").count() == 2


def test_a_stale_edit_is_refused_and_the_typing_is_kept(world: World, client_for: ClientFor) -> None:
    application = draft(world.p1)
    client = client_for(world.senco_a)
    url = _url("edit_application", world.p1.pk, application.pk)
    assert client.post(url, {**APPLICATION, "amount_requested": "3100", "version": 1}).status_code == 302
    status, page = _posted(client, url, {**APPLICATION, "case_for_funding": "My own words", "version": 1})
    assert status == 400 and "Someone else changed this application" in page
    assert "My own words" in page and "Saved now" in page and "£3,100.00" in page
    assert 'name="version" value="2"' in page
    application.refresh_from_db()
    assert application.amount_requested == Decimal("3100.00") and application.version == 2


def test_submitting_twice_by_the_page_submits_once(world: World, client_for: ClientFor) -> None:
    costed_provision(world.p1)
    application = draft(world.p1)
    client = client_for(world.senco_a)
    url = _url("submit", world.p1.pk, application.pk)
    first, second = client.post(url, {"version": 1}), client.post(url, {"version": 1}, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "had already been submitted" in second.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.map_total == Decimal("389.00")
    assert AuditEvent.objects.filter(object_id=str(application.pk), action="change").count() == 1


def test_a_submit_without_its_version_is_refused(world: World, client_for: ClientFor) -> None:
    application = draft(world.p1)
    status, page = _posted(client_for(world.senco_a), _url("submit", world.p1.pk, application.pk), {"version": "x"})
    assert status == 400 and "open the application again" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_the_decision_page_needs_an_amount_to_approve_and_a_reason_to_decline(
    world: World, client_for: ClientFor
) -> None:
    application = submitted(world.p1)
    client = client_for(world.senco_a)
    url = _url("decide", world.p1.pk, application.pk)
    base = {**_date("decided_on", 1, 10, 2024), "version": application.version, "note": ""}
    status, page = _posted(client, url, {**base, "outcome": "approved", "amount_approved": ""})
    assert status == 400 and "Enter the amount approved" in page
    status, page = _posted(client, url, {**base, "outcome": "declined"})
    assert status == 400 and "Enter the reason the local authority gave for declining" in page
    status, page = _posted(
        client, url, {**base, **_date("decided_on", 1, 8, 2024), "outcome": "declined", "note": "No"}
    )
    assert status == 400 and "on or after the date it was submitted (1 September 2024)" in page
    response = client.post(url, {**base, "outcome": "declined", "note": "Reapply after the review."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED and application.decided_on == date(2024, 10, 1)
    # Decided: the page is no longer offered, and a second decision is refused.
    assert client.get(url).status_code == 302
    status, page = _posted(client, url, {**base, "version": application.version, "outcome": "approved",
                                         "amount_approved": "10"})  # fmt: skip
    assert status == 400 and "already been recorded: declined" in page


def test_the_award_is_recorded_and_listed(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    assert client.post(_url("new_award", world.p1.pk), {**AWARD, "amount": "£1,200"}).status_code == 302
    page = client.get(_url("pupil", world.p1.pk)).content.decode()
    assert "SEN inclusion fund" in page and "£1,200.00" in page


def test_query_count_of_the_pupils_funding_page_is_fixed(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = _url("pupil", world.p1.pk)
    costed_provision(world.p1)
    submitted(world.p1)

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    small = measure()
    for n in range(6):
        submitted(world.p1, (date(2019 + n, 9, 1), date(2020 + n, 8, 31)))
        client.post(_url("new_award", world.p1.pk), AWARD)
    assert measure() == small
