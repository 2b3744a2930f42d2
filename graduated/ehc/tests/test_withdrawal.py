"""A request withdrawn by the family or the setting: the case closes with no decision and no letter, and a
new request can be logged afterwards."""

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import services
from graduated.ehc.figures import SEN2_HEADER, timeliness
from graduated.ehc.models import EHCRequest, RequestSource, Stage
from graduated.ehc.selectors import inbox
from graduated.ehc.tests.factories import ACTOR, RECEIVED, assessing, drafted, not_assessing, received
from graduated.ehc.timeline import timeline_for
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.pupils.models import ChronologyEntry, ChronologyKind

TODAY = date.today()


def _withdraw(
    case: EHCRequest, *, on: date, by: str = "family", reason: str = "We want to try the new support first."
) -> EHCRequest:
    return services.withdraw_request(
        actor=ACTOR, request=case, withdrawn_on=on, withdrawn_by=by, reason=reason, expected_version=case.version
    )


def test_the_family_withdraws_a_request_before_the_decision(world: World) -> None:
    case = received(world.p1)  # 3 March 2025

    case = _withdraw(case, on=date(2025, 3, 20))

    case = EHCRequest.objects.get(pk=case.pk)
    assert (case.stage, case.withdrawn_on, case.withdrawn_by) == (Stage.WITHDRAWN, date(2025, 3, 20), "family")
    assert not case.is_open and not case.is_refused and case.refusal_date is None
    entry = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.EHC_REQUEST_WITHDRAWN)
    assert entry.occurred_on == date(2025, 3, 20) and "withdrawn by the family" in entry.summary
    event = AuditEvent.objects.get(object_type="ehc.ehcrequest", action=AuditAction.CHANGE, pupil_id=world.p1.pk)
    assert "withdrawn_on" in event.changed_fields and event.description == "Request withdrawn on 20 March 2025"
    timeline = timeline_for(case, date(2025, 6, 1))
    assert timeline.next_deadline is None
    assert [row.state(date(2025, 6, 1)) for row in timeline.rows] == ["Not needed"] * 3
    assert case not in [row.case for row in inbox(world.la_north, date(2025, 6, 1))]
    # The 6-week decision was never due: the month's figures do not count it.
    assert timeliness(world.la_north, date(2025, 6, 1)) == []


def test_a_new_request_can_be_logged_once_the_last_is_withdrawn(world: World) -> None:
    first = received(world.p1)
    with pytest.raises(services.EHCError, match="already has an open request"):
        received(world.p1, RECEIVED + timedelta(days=5))
    _withdraw(first, on=RECEIVED + timedelta(days=5))

    again = received(world.p1, RECEIVED + timedelta(days=60))

    assert again.stage == Stage.RECEIVED and again.pk != first.pk


def test_the_school_that_made_the_request_withdraws_it_during_the_assessment(world: World) -> None:
    case = services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p1, received_on=RECEIVED, source=RequestSource.EDUCATION_SETTING,
        requested_by="The SENCO", requesting_setting=world.setting_a,
    )  # fmt: skip
    case = services.decide_whether_to_assess(
        actor=ACTOR, request=case, to_assess=True, decided_on=RECEIVED + timedelta(days=30), reasons="May need a plan.",
        expected_version=case.version,
    )  # fmt: skip

    case = _withdraw(case, on=RECEIVED + timedelta(days=40), by="setting", reason="The family moved away.")

    timeline = timeline_for(case, RECEIVED + timedelta(days=50))
    assert timeline.decision_to_assess.state(TODAY) == "Met"  # the step taken stays on the timeline
    assert not timeline.final_plan.applies and not timeline.decision_not_to_issue.applies
    entry = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.EHC_REQUEST_WITHDRAWN)
    assert entry.summary.endswith(f"withdrawn by {world.setting_a.name}")


def test_a_withdrawal_that_cannot_be_is_refused_and_changes_nothing(world: World) -> None:
    from_parent = received(world.p1)
    with pytest.raises(services.EHCError, match="only the parent or young person can withdraw it"):
        _withdraw(from_parent, on=RECEIVED + timedelta(days=3), by="setting")
    with pytest.raises(services.EHCError, match="on or after the last step on the case"):
        _withdraw(from_parent, on=RECEIVED - timedelta(days=1))
    with pytest.raises(services.EHCError, match="Enter why"):
        _withdraw(from_parent, on=RECEIVED, reason="   ")
    with pytest.raises(services.EHCError, match="Choose who"):
        _withdraw(from_parent, on=RECEIVED, by="cat")
    with pytest.raises(StaleEditError):
        services.withdraw_request(
            actor=ACTOR, request=from_parent, withdrawn_on=RECEIVED, withdrawn_by="family", reason="x",
            expected_version=from_parent.version + 1,
        )  # fmt: skip
    drafted_case = drafted(world.p2).request  # draft served 21 June 2025
    with pytest.raises(services.EHCError, match="on or after the last step"):
        _withdraw(drafted_case, on=date(2025, 6, 1))
    refused = not_assessing(world.p3)
    with pytest.raises(services.EHCError, match="cannot be withdrawn now"):
        _withdraw(refused, on=date(2025, 6, 1))
    assert EHCRequest.objects.filter(stage=Stage.WITHDRAWN).count() == 0
    assert not ChronologyEntry.objects.filter(kind=ChronologyKind.EHC_REQUEST_WITHDRAWN).exists()


def _form(day: date, **fields: Any) -> dict[str, Any]:
    return {"withdrawn_on_0": day.day, "withdrawn_on_1": day.month, "withdrawn_on_2": day.year, **fields}


def test_the_officer_records_a_withdrawal_on_the_case_page(world: World, client_for: Callable[..., Client]) -> None:
    case = assessing(world.p1, TODAY - timedelta(days=60))
    url = reverse("ehc:withdraw_request", args=[world.la_north.pk, case.pk])
    client = client_for(world.officer_north)
    case_page = client.get(reverse("ehc:case", args=[world.la_north.pk, case.pk])).content.decode()
    assert url in case_page

    bad = client.post(url, _form(TODAY + timedelta(days=3), withdrawn_by="family", reason="x", version=case.version))
    assert bad.status_code == 400 and "must be today or in the past" in bad.content.decode()
    missing = client.post(url, _form(TODAY, withdrawn_by="", reason="", version=case.version))
    assert "Choose who withdrew the request" in missing.content.decode()
    assert "Enter why the request was withdrawn" in missing.content.decode()
    assert EHCRequest.objects.get(pk=case.pk).stage == Stage.ASSESSING

    done = client.post(url, _form(TODAY, withdrawn_by="family", reason="Support at school is working.",
                                  version=case.version), follow=True)  # fmt: skip
    page = done.content.decode()
    assert "Withdrawal recorded." in page and "Request withdrawn" in page and "Support at school is working." in page
    assert "Download the letter" not in page  # a withdrawal is not a refusal
    letter = client.get(reverse("ehc:refusal_letter", args=[world.la_north.pk, case.pk]))
    assert letter.status_code == 302
    twice = client.post(url, _form(TODAY, withdrawn_by="family", reason="Again.", version=case.version + 1))
    assert twice.status_code == 400 and "cannot be withdrawn now" in twice.content.decode()


def test_the_sen2_csv_says_the_request_was_withdrawn(world: World, client_for: Callable[..., Client]) -> None:
    case = _withdraw(received(world.p1), on=RECEIVED + timedelta(days=10))
    response = client_for(world.officer_north).get(reverse("ehc:sen2_export", args=[world.la_north.pk]))
    rows = [dict(zip(SEN2_HEADER, row, strict=True)) for row in csv.reader(io.StringIO(response.content.decode()))]
    (row,) = [row for row in rows[1:] if row["Case"] == str(case.pk)]
    assert row["Assessment outcome"] == "Request withdrawn by the parent or young person"
    assert row["Assessment outcome date"] == "2025-03-13"
    assert row["Decision to assess"] == "" and row["Stage"] == "Request withdrawn"
