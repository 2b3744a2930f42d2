from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from graduated.audit.models import AuditEvent
from graduated.funding import services
from graduated.funding.models import ApplicationStatus, AwardKind, TopUpApplication
from graduated.funding.tests.factories import YEAR_2024, costed_provision, decided, draft, submitted
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.provision.costs import pupil_costed_provisions
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.support.tests.factories import ACTOR


def _events(application: TopUpApplication) -> int:
    return AuditEvent.objects.filter(object_type="funding.topupapplication", object_id=str(application.pk)).count()


def test_a_new_application_is_a_draft_with_one_audit_event(world: World) -> None:
    application = draft(world.p1)
    assert application.status == ApplicationStatus.DRAFT and application.setting == world.setting_a
    assert application.map_snapshot == [] and application.map_total is None
    assert _events(application) == 1


def test_submitting_attaches_the_map_and_later_provision_changes_leave_it_alone(world: World) -> None:
    provision = costed_provision(world.p1)
    application = submitted(world.p1)
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_on == date(2024, 9, 1)
    assert application.map_total == Decimal("389.00")  # £10 a week × 38.9 weeks
    [line] = application.map_snapshot
    assert line["description"] == "Precision teaching of sight words" and line["total"] == "389.00"
    assert "3 sessions a week × 10 minutes × £20.00 an hour" in line["arithmetic"]

    provision.sessions_per_week = 6
    provision.save()
    assert pupil_costed_provisions(world.p1, YEAR_2024).total == Decimal(
        "778.00"
    )  # £20 a week now: the live map moved on
    application.refresh_from_db()
    assert application.map_total == Decimal("389.00") and application.map_snapshot[0]["total"] == "389.00"


def test_submitting_twice_changes_nothing_the_second_time(world: World) -> None:
    application = draft(world.p1)
    first = services.submit_application(
        actor=ACTOR, application=application, expected_version=1, submitted_on=date(2024, 10, 1)
    )
    again = services.submit_application(
        actor=ACTOR, application=application, expected_version=1, submitted_on=date(2024, 10, 2)
    )
    application.refresh_from_db()
    assert (first, again) == (True, False)
    assert application.submitted_on == date(2024, 10, 1) and application.version == 2
    assert _events(application) == 2  # created, submitted


def test_a_stale_edit_is_refused_and_changes_nothing(world: World) -> None:
    application = draft(world.p1)
    details = {"period_from": YEAR_2024[0], "period_to": YEAR_2024[1], "case_for_funding": ""}
    services.update_draft(
        actor=ACTOR, application=application, details={**details, "amount_requested": Decimal("4000")},
        expected_version=1,
    )  # fmt: skip
    with pytest.raises(StaleEditError):
        services.update_draft(
            actor=ACTOR, application=application, details={**details, "amount_requested": Decimal("9000")},
            expected_version=1,
        )  # fmt: skip
    application.refresh_from_db()
    assert application.amount_requested == Decimal("4000.00") and application.version == 2


def test_a_submitted_application_cannot_be_edited_nor_submitted_stale(world: World) -> None:
    application = draft(world.p1)
    services.update_draft(
        actor=ACTOR, application=application, expected_version=1,
        details={"period_from": YEAR_2024[0], "period_to": YEAR_2024[1], "amount_requested": Decimal(1),
                 "case_for_funding": ""},
    )  # fmt: skip
    with pytest.raises(StaleEditError):  # someone changed the draft since the page was read
        services.submit_application(actor=ACTOR, application=application, expected_version=1, submitted_on=date.today())
    services.submit_application(actor=ACTOR, application=application, expected_version=2, submitted_on=date.today())
    with pytest.raises(services.FundingError, match="can no longer be changed"):
        services.update_draft(
            actor=ACTOR, application=application, expected_version=application.version,
            details={"period_from": YEAR_2024[0], "period_to": YEAR_2024[1], "amount_requested": Decimal(2),
                     "case_for_funding": ""},
        )  # fmt: skip


def _decide(application: TopUpApplication, **changes: object) -> TopUpApplication:
    application.refresh_from_db()
    arguments = {
        "approved": True, "decided_on": date(2024, 11, 1), "amount_approved": Decimal("2500"), "note": "",
        "expected_version": application.version, **changes,
    }  # fmt: skip
    return services.record_decision(actor=ACTOR, application=application, **arguments)  # type: ignore[arg-type]


def test_a_decision_is_recorded_only_for_a_submitted_application_and_only_once(world: World) -> None:
    with pytest.raises(services.FundingError, match="Submit the application before"):
        _decide(draft(world.p1))
    application = submitted(world.p1)
    with pytest.raises(services.FundingError, match="amount the local authority approved"):
        _decide(application, amount_approved=None)
    with pytest.raises(services.FundingError, match="reason the local authority gave"):
        _decide(application, approved=False, note="  ")
    with pytest.raises(services.FundingError, match="on or after the date it was submitted"):
        _decide(application, decided_on=date(2024, 8, 31))
    _decide(application)
    assert application.status == ApplicationStatus.APPROVED and application.amount_approved == Decimal("2500")
    with pytest.raises(services.FundingError, match="already been recorded: approved"):
        _decide(application, approved=False, note="Changed our minds")


def test_a_declined_application_keeps_no_approved_amount(world: World) -> None:
    application = decided(world.p1, approved=False)
    assert application.status == ApplicationStatus.DECLINED and application.amount_approved is None
    assert application.decision_note == "Not enough evidence yet." and application.decided_on == YEAR_2024[0]


def test_the_database_refuses_records_that_break_the_rules(world: World) -> None:
    base = {"pupil": world.p1, "setting": world.setting_a, "period_from": date(2024, 9, 1)}
    broken = [
        {**base, "period_to": date(2024, 8, 1), "amount_requested": 1},  # backwards
        {**base, "period_to": date(2025, 1, 1), "amount_requested": -1},  # negative
        {**base, "period_to": date(2025, 1, 1), "amount_requested": 1, "status": "submitted"},  # no submitted_on
        {**base, "period_to": date(2025, 1, 1), "amount_requested": 1, "status": "declined",
         "submitted_on": date(2024, 9, 1)},  # no decision date
        {**base, "period_to": date(2025, 1, 1), "amount_requested": 1, "status": "approved",
         "submitted_on": date(2024, 9, 1), "decided_on": date(2024, 9, 2)},  # no approved amount
    ]  # fmt: skip
    for fields in broken:
        with pytest.raises(IntegrityError), transaction.atomic():
            TopUpApplication.objects.create(**fields)


def test_an_award_is_recorded_with_one_audit_event(world: World) -> None:
    award = services.record_award(
        actor=ACTOR, pupil=world.p1, setting=world.setting_a,
        details={"kind": AwardKind.DISABILITY_ACCESS_FUND, "amount": Decimal("938.00"), "period_from": YEAR_2024[0],
                 "period_to": YEAR_2024[1], "awarded_on": date(2024, 9, 20), "note": ""},
    )  # fmt: skip
    assert AuditEvent.objects.filter(object_type="funding.fundingaward", object_id=str(award.pk)).count() == 1
    with pytest.raises(services.FundingError, match="end of the period"):
        services.record_award(
            actor=ACTOR, pupil=world.p1, setting=world.setting_a,
            details={"kind": AwardKind.SEN_INCLUSION_FUND, "amount": Decimal(1), "period_from": YEAR_2024[1],
                     "period_to": YEAR_2024[0], "awarded_on": date(2024, 9, 20), "note": ""},
        )  # fmt: skip


def test_requests_decisions_and_awards_join_the_pupils_chronology(world: World) -> None:
    decided(world.p1, approved=True, amount="2500.00")
    services.record_award(
        actor=ACTOR, pupil=world.p1, setting=world.setting_a,
        details={"kind": AwardKind.DISABILITY_ACCESS_FUND, "amount": Decimal("938.00"), "period_from": YEAR_2024[0],
                 "period_to": YEAR_2024[1], "awarded_on": date(2024, 9, 20), "note": ""},
    )  # fmt: skip
    entries = ChronologyEntry.objects.filter(pupil=world.p1, kind__in=FUNDING_KINDS).order_by("kind")
    assert [(entry.kind, entry.occurred_on) for entry in entries] == [
        (ChronologyKind.FUNDING_AWARDED, date(2024, 9, 20)),
        (ChronologyKind.TOP_UP_DECIDED, YEAR_2024[0]),
        (ChronologyKind.TOP_UP_SUBMITTED, date(2024, 9, 1)),
    ]
    assert "approved" in entries[1].summary and "Disability Access Fund of £938.00" in entries[0].summary


FUNDING_KINDS = [ChronologyKind.TOP_UP_SUBMITTED, ChronologyKind.TOP_UP_DECIDED, ChronologyKind.FUNDING_AWARDED]
