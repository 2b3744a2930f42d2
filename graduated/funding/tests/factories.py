"""Funding records and costed provision in a known state, made through the services."""

from datetime import date
from decimal import Decimal
from typing import Any

from graduated.funding import services
from graduated.funding.models import TopUpApplication
from graduated.provision.models import DeliveryRole, StaffCost
from graduated.pupils.models import Pupil
from graduated.support.models import Provision
from graduated.support.tests.factories import ACTOR, draft_cycle

YEAR_2024 = (date(2024, 9, 1), date(2025, 8, 31))


def costed_provision(pupil: Pupil, *, hourly: str = "20.00", sessions: int = 3, minutes: int = 10) -> Provision:
    """A cycle from 2 September 2024 with one one-to-one provision, priced at ``hourly`` an hour for a TA.

    With the defaults, over the 2024/25 year: 3 × 10 minutes ÷ 60 × £20 = £10 a week, for 364 days
    × 39 ÷ 365 = 38.9 weeks: £389.00.
    """
    cycle = draft_cycle(pupil)
    StaffCost.objects.update_or_create(
        setting=cycle.setting, role=DeliveryRole.TEACHING_ASSISTANT, defaults={"hourly_cost": Decimal(hourly)}
    )
    provision = cycle.provisions.get()
    provision.staff_role = DeliveryRole.TEACHING_ASSISTANT
    provision.sessions_per_week, provision.minutes_per_session = sessions, minutes
    provision.save()
    return provision


def draft(pupil: Pupil, period: tuple[date, date] = YEAR_2024, **changes: Any) -> TopUpApplication:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    details = {
        "period_from": period[0], "period_to": period[1], "amount_requested": Decimal("3000.00"),
        "case_for_funding": "Needs more adult time than the setting can give.", **changes,
    }  # fmt: skip
    return services.create_draft(actor=ACTOR, pupil=pupil, setting=setting, details=details)


def submitted(pupil: Pupil, period: tuple[date, date] = YEAR_2024, **changes: Any) -> TopUpApplication:
    application = draft(pupil, period, **changes)
    services.submit_application(
        actor=ACTOR, application=application, expected_version=application.version, submitted_on=period[0]
    )
    application.refresh_from_db()
    return application


def decided(
    pupil: Pupil, *, approved: bool, amount: str | None = None, period: tuple[date, date] = YEAR_2024, **changes: Any
) -> TopUpApplication:
    application = submitted(pupil, period, **changes)
    services.record_decision(
        actor=ACTOR, application=application, approved=approved, decided_on=period[0],
        amount_approved=Decimal(amount) if amount else None, note="" if approved else "Not enough evidence yet.",
        expected_version=application.version,
    )  # fmt: skip
    return application
