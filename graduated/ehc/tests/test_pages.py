from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import services
from graduated.ehc.models import EHCPlan, EHCRequest, RequestSource, Stage
from graduated.ehc.tests.factories import ACTOR, advice, assessing, drafted, final, not_assessing, received
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil

TODAY = date.today()


def _date(prefix: str, day: date) -> dict[str, Any]:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _inbox(world: World) -> str:
    return reverse("ehc:inbox", args=[world.la_north.pk])


def _case(case: EHCRequest) -> str:
    return reverse("ehc:case", args=[case.local_authority_id, case.pk])


def test_the_inbox_lists_open_cases_by_days_left_with_rag_in_words(
    world: World, client_for: Callable[..., Client]
) -> None:
    received(world.p1, TODAY - timedelta(days=14))  # 28 days left: green
    received(world.p2, TODAY - timedelta(days=39))  # 3 days left: red
    received(world.p3, TODAY - timedelta(days=30))  # 12 days left: amber
    not_assessing(make_pupil(world.setting_a, "Closed", "Case"), TODAY - timedelta(days=60))
    received(world.p4, TODAY - timedelta(days=40))  # Southborough's
    html = client_for(world.officer_north).get(_inbox(world)).content.decode()
    rows = table_rows(html, "open cases")[1:]  # after the header
    assert [(row[0], row[7], row[8]) for row in rows] == [
        ("Paul Two", "3", "Red"), ("Petra Three", "12", "Amber"), ("Priya One", "28", "Green"),
    ]  # fmt: skip
    assert rows[0][5] == "Decision whether to assess (6 weeks)"
    assert (rows[0][2], rows[0][3]) == ("Parent or young person", "Not assigned")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="ehc inbox").count() == 1
    filtered = client_for(world.officer_north).get(_inbox(world), {"stage": "draft"})
    assert "No open cases match these filters" in filtered.content.decode()


def test_a_bad_stage_filter_is_a_400(world: World, client_for: Callable[..., Client]) -> None:
    response = client_for(world.officer_north).get(_inbox(world), {"stage": "final"})
    assert response.status_code == 400
    assert "Choose a stage from the list" in response.content.decode()


def test_an_officer_logs_a_request_from_a_parent(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.officer_north)
    url = reverse("ehc:new_request", args=[world.la_north.pk])
    data = {"upn": world.p1.upn, **_date("received_on", TODAY), "source": "1", "requested_by": "Sam (mother)"}
    response = client.post(url, data, follow=True)
    case = EHCRequest.objects.get()
    assert (case.pupil, case.source, case.stage, case.requesting_setting) == (world.p1, 1, Stage.RECEIVED, None)
    due = TODAY + timedelta(weeks=6)
    assert f"due by {due.day} {due:%B %Y}" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"upn": "A123"}, "No child with that UPN is recorded in Northshire"),
        ({"upn": ""}, "Enter the child&#x27;s UPN, or their last name and date of birth"),
        (
            {"upn": "", "last_name": "One", **_date("date_of_birth", date(2016, 3, 15))},
            "No child with that last name and date of birth is recorded in Northshire",
        ),
        ({"source": "2"}, "Choose the school or setting that made the request"),
        ({"source": "9"}, "Choose from the list"),
        ({"received_on_1": "13"}, "must be a real date"),
        ({"requested_by": ""}, "Enter who made the request"),
    ],
)
def test_bad_input_to_a_new_request_is_a_400_and_changes_nothing(
    world: World, client_for: Callable[..., Client], changes: dict[str, str], message: str
) -> None:
    data = {"upn": world.p1.upn, **_date("received_on", TODAY), "source": "1", "requested_by": "Sam", **changes}
    response = client_for(world.officer_north).post(reverse("ehc:new_request", args=[world.la_north.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EHCRequest.objects.exists()


def test_a_pupil_of_another_la_cannot_be_logged_or_even_found(world: World, client_for: Callable[..., Client]) -> None:
    data = {"upn": world.p4.upn, **_date("received_on", TODAY), "source": "1", "requested_by": "Sam"}
    response = client_for(world.officer_north).post(reverse("ehc:new_request", args=[world.la_north.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "No child with that UPN is recorded in Northshire" in body and world.p4.display_name not in body
    by_name = {**data, "upn": "", "last_name": "Four", **_date("date_of_birth", world.p4.date_of_birth)}
    response = client_for(world.officer_north).post(reverse("ehc:new_request", args=[world.la_north.pk]), by_name)
    assert response.status_code == 400 and not EHCRequest.objects.exists()


def test_a_child_without_a_upn_is_found_by_last_name_and_date_of_birth(
    world: World, client_for: Callable[..., Client]
) -> None:
    url = reverse("ehc:new_request", args=[world.la_north.pk])
    data = {"upn": "", "last_name": " one ", **_date("date_of_birth", world.p1.date_of_birth),
            **_date("received_on", TODAY), "source": "1", "requested_by": "Sam (mother)"}  # fmt: skip
    assert client_for(world.officer_north).post(url, data).status_code == 302
    assert EHCRequest.objects.get().pupil == world.p1
    # Two children of the same name and birthday: the UPN is needed to tell them apart.
    EHCRequest.objects.all().delete()
    twin = make_pupil(world.setting_a, "Pia", "One", date_of_birth=world.p1.date_of_birth)
    response = client_for(world.officer_north).post(url, data)
    assert response.status_code == 400 and "More than one child" in response.content.decode()
    assert twin.pk and not EHCRequest.objects.exists()


def test_another_las_case_and_la_are_404(world: World, client_for: Callable[..., Client]) -> None:
    south_case = received(world.p4)
    client = client_for(world.officer_north)
    assert client.get(reverse("ehc:case", args=[world.la_north.pk, south_case.pk])).status_code == 404
    assert client.get(reverse("ehc:case", args=[world.la_south.pk, south_case.pk])).status_code == 404
    assert client.get(reverse("ehc:inbox", args=[world.la_south.pk])).status_code == 404
    assert client_for(world.senco_a).get(_inbox(world)).status_code == 404


def test_a_decision_without_reasons_or_on_a_stale_form_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = received(world.p1, TODAY - timedelta(days=10))
    client = client_for(world.officer_north)
    url = reverse("ehc:decide_assessment", args=[world.la_north.pk, case.pk])
    data = {"outcome": "assess", **_date("decided_on", TODAY), "reasons": "", "version": case.version}
    response = client.post(url, data)
    assert response.status_code == 400 and "Enter the reasons for the decision" in response.content.decode()
    response = client.post(url, {**data, "reasons": "Evidence of little progress.", "version": case.version + 5})
    html = response.content.decode()
    assert response.status_code == 400 and "Someone else changed this case" in html
    assert "Evidence of little progress." in html  # what they typed is kept
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED


def test_steps_out_of_order_are_refused_on_the_page(world: World, client_for: Callable[..., Client]) -> None:
    refused = not_assessing(world.p1, TODAY - timedelta(days=60))
    client = client_for(world.officer_north)
    draft = {**_date("draft_issued_on", TODAY), "version": refused.version}
    response = client.post(reverse("ehc:draft_plan", args=[world.la_north.pk, refused.pk]), draft)
    assert response.status_code == 400
    assert "The decision was not to assess, so there can be no draft plan" in response.content.decode()
    case = assessing(world.p2, TODAY - timedelta(days=60))
    final = {**_date("final_issued_on", TODAY), "version": 0}
    response = client.post(reverse("ehc:final_plan", args=[world.la_north.pk, case.pk]), final)
    assert response.status_code == 400
    assert "A final plan needs a draft first" in response.content.decode()
    assert not EHCPlan.objects.exists()


def test_the_case_page_shows_each_deadline_and_the_exception_against_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = received(world.p1, TODAY - timedelta(days=30))
    services.add_exception(
        actor=ACTOR, request=case, kind="absent_from_area", first_day=TODAY - timedelta(days=29), last_day=TODAY,
        reason="Abroad with family.", impractical_because="The child could not be seen while away.",
    )  # fmt: skip
    html = client_for(world.officer_north).get(_case(case)).content.decode()
    rows = {row[0]: row for row in table_rows(html, "Statutory timeline")}
    decision = rows["Decision whether to assess (6 weeks)"]
    statutory = TODAY - timedelta(days=30) + timedelta(weeks=6)
    assert decision[1] == f"{statutory:%-d %b %Y}"  # the law's date, not moved on
    assert decision[3] == "Exception applies: act as soon as practicable"
    assert decision[4].startswith("Applies: the family was away from the area")
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="ehc case", pupil_id=world.p1.pk).exists()


def test_the_refusal_letter_is_a_pdf(world: World, client_for: Callable[..., Client]) -> None:
    case = not_assessing(world.p1)
    response = client_for(world.officer_north).get(reverse("ehc:refusal_letter", args=[world.la_north.pk, case.pk]))
    if response.status_code == 503:
        pytest.skip("PDF export needs Pango here")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    open_case = received(world.p2)
    response = client_for(world.officer_north).get(
        reverse("ehc:refusal_letter", args=[world.la_north.pk, open_case.pk])
    )
    assert response.status_code == 302


def test_the_school_sees_its_own_requests_on_the_pupil_page(world: World, client_for: Callable[..., Client]) -> None:
    services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p1, received_on=TODAY - timedelta(days=3),
        source=RequestSource.EDUCATION_SETTING, requested_by="SENCO", requesting_setting=world.setting_a,
    )  # fmt: skip
    received(world.p2, TODAY - timedelta(days=3))  # from a parent: not the school's
    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "EHC needs assessment" in page and "Awaiting the decision whether to assess" in page
    due = TODAY - timedelta(days=3) + timedelta(weeks=6)
    assert f"due by {due.day} {due:%B %Y}" in page
    panel = '<h2 class="govuk-heading-m">EHC needs assessment</h2>'
    assert panel in page
    # Paul's request came from a parent: the school is told of it (his chronology says so), but it is not
    # one of the school's requests, so the panel of their own requests does not show it.
    other = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p2.pk])).content.decode()
    assert panel not in other and "Awaiting the decision whether to assess" not in other
    teacher = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "EHC needs assessment" not in teacher


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _school_request(world: World, on: date) -> EHCRequest:
    return services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p3, received_on=on, source=2, requested_by="SENCO",
        requesting_setting=world.setting_b,
    )  # fmt: skip


def _busy_case(pupil: Any, days_ago: int) -> EHCRequest:
    case = assessing(pupil, TODAY - timedelta(days=days_ago), decided_after=20)
    advice(case)
    advice(case, asked_after_decision=2)
    services.add_exception(
        actor=ACTOR, request=case, kind="personal_circumstances", first_day=case.received_on,
        last_day=case.received_on + timedelta(days=3), reason="Illness.",
    )  # fmt: skip
    return case


@pytest.mark.parametrize("name", ["inbox", "case", "reviews", "timeliness", "pupil"])
def test_query_counts_do_not_grow_with_the_cases(world: World, client_for: Callable[..., Client], name: str) -> None:
    first = _busy_case(world.p1, 50)
    _school_request(world, TODAY - timedelta(days=300))
    final(make_pupil(world.setting_a, "Planned", "Pupil", sen_status="K"))
    url = {
        "inbox": _inbox(world), "case": _case(first),
        "reviews": reverse("ehc:reviews_due", args=[world.la_north.pk]),
        "timeliness": reverse("ehc:timeliness", args=[world.la_north.pk]),
        "pupil": reverse("pupils:detail", args=[world.p3.pk]),
    }[name]  # fmt: skip
    client = client_for(world.officer_north if name != "pupil" else world.senco_b)
    small = _count(client, url)
    for n in range(6):
        _busy_case(make_pupil(world.setting_a, f"More{n}", "Pupil"), 20 + n)
    advice(first, asked_after_decision=5)
    for n in range(3):
        plan = drafted(make_pupil(world.setting_a, f"Plan{n}", "Pupil", sen_status="K"), date(2025, 3, 3))
        services.issue_final_plan(
            actor=ACTOR, plan=plan, final_issued_on=date(2025, 7, 16), expected_version=plan.version
        )
    for days_ago in (200, 100):  # the pupil's school made two more requests, each refused before the next
        closed = EHCRequest.objects.get(pupil=world.p3, stage=Stage.RECEIVED)
        services.decide_whether_to_assess(
            actor=ACTOR, request=closed, to_assess=False, decided_on=closed.received_on, reasons="No.",
            expected_version=closed.version,
        )  # fmt: skip
        _school_request(world, TODAY - timedelta(days=days_ago))
    assert _count(client, url) == small
