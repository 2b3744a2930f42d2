"""Demo funding records: four top-up applications at Millbeck Primary School (one approved, one
submitted, one draft, one declined) for the pupils with the most provision, and SEN inclusion fund
and Disability Access Fund awards at Little Wrens Day Nursery.

Deterministic: fixed amounts and dates, pupils chosen in a fixed order. Idempotent: a setting that
already has funding records is left alone. Everything goes through the services, as the demo
SENCOs would type it.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Count

from graduated.audit.services import Actor
from graduated.funding import services
from graduated.funding.models import DISABILITY_ACCESS_FUND_A_YEAR, AwardKind, FundingAward, TopUpApplication
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Enrolment, Pupil, SENStatusPeriod
from graduated.support import services as support_services
from graduated.support.models import Cycle, CycleStatus, Provision

MILLBECK_URN = "146208"
LITTLE_WRENS_URN = "509417"
THIS_YEAR = (date(2026, 9, 1), date(2027, 8, 31))
LAST_YEAR = (date(2025, 9, 1), date(2026, 8, 31))

# (status, period, requested, submitted on, decided on, approved, the setting's case, the LA's note)
APPLICATIONS = [
    ("approved", LAST_YEAR, "5400.00", date(2025, 10, 6), date(2025, 11, 17), "4800.00",
     "Needs daily one-to-one adult support for communication and for safety at unstructured times.",
     "Approved at the November high-needs panel at a reduced rate; review with the annual figures."),
    ("declined", LAST_YEAR, "3200.00", date(2026, 1, 12), date(2026, 2, 23), None,
     "A second adult in class for the pupil's literacy and attention.",
     "Declined: the provision map does not yet show two reviewed cycles. Please reapply after the spring review."),
    ("submitted", THIS_YEAR, "3050.00", date(2026, 10, 5), None, None,
     "Daily one-to-one adult support and small-group language teaching; progress is slow despite both.", ""),
    ("draft", THIS_YEAR, "2900.00", None, None, None, "", ""),
]  # fmt: skip

ONE_TO_ONE = {
    "kind": "intervention", "description": "One-to-one teaching assistant support in class and at unstructured times",
    "sessions_per_week": 5, "minutes_per_session": 150, "group_size": 1, "staff_role": "teaching_assistant",
    "delivered_by_role": "Teaching assistant", "location": "Class and playground",
    "expected_impact": "Takes part in lessons and play safely, with less adult help by the summer.",
}  # fmt: skip

# (fund, amount, period, awarded on, note), one list for each of the nursery's first pupils on SEN support.
AWARDS = [
    [(AwardKind.SEN_INCLUSION_FUND, "1250.00", (date(2026, 9, 1), date(2026, 12, 19)), date(2026, 9, 24),
      "Extra adult for the first term, to settle and to build early communication."),
     (AwardKind.DISABILITY_ACCESS_FUND, str(DISABILITY_ACCESS_FUND_A_YEAR), THIS_YEAR, date(2026, 9, 30),
      "Receives Disability Living Allowance: spent on a sensory corner and staff training.")],
    [(AwardKind.SEN_INCLUSION_FUND, "900.00", (date(2025, 9, 1), date(2026, 3, 31)), date(2025, 10, 8), ""),
     (AwardKind.SEN_INCLUSION_FUND, "1100.00", (date(2026, 9, 1), date(2027, 3, 31)), date(2026, 10, 14),
      "Speech and language programme led by the key person.")],
]  # fmt: skip


def _senco(setting: Setting) -> Actor:
    senco = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").order_by("id").first()
    return Actor(user=senco.user if senco else None, role=Role.SENCO, setting_id=setting.pk)


def _most_provision(setting: Setting, count: int) -> list[Pupil]:
    ranked = (
        Provision.objects.filter(cycle__setting=setting)
        .values("cycle__pupil")
        .annotate(provisions=Count("pk"))
        .order_by("-provisions", "cycle__pupil")
    )
    ids = [row["cycle__pupil"] for row in ranked[:count]]
    pupils = Pupil.objects.in_bulk(ids)
    return [pupils[pk] for pk in ids]


def _on_sen_register(setting: Setting) -> list[Pupil]:
    enrolled = Enrolment.objects.current().filter(setting=setting).values("pupil_id")
    on_register = SENStatusPeriod.objects.current().exclude(status="N").values("pupil_id")
    return list(Pupil.objects.filter(pk__in=enrolled).filter(pk__in=on_register).order_by("id"))


def _one_to_one_support(actor: Actor, pupil: Pupil) -> None:
    """What a request for top-up usually rests on: daily one-to-one adult time, which takes the
    pupil's costed provision map past the £6,000 the school meets itself."""
    cycle = Cycle.objects.filter(pupil=pupil).exclude(status=CycleStatus.CLOSED).first()
    if cycle is None or cycle.provisions.filter(description=ONE_TO_ONE["description"]).exists():
        return
    support_services.save_provision(
        actor=actor, cycle=cycle, expected_version=cycle.version,
        data={**ONE_TO_ONE, "starts_on": max(cycle.started_on, THIS_YEAR[0]), "ends_on": None},
    )  # fmt: skip


def _applications(setting: Setting) -> int:
    if TopUpApplication.objects.filter(setting=setting).exists():
        return 0
    actor = _senco(setting)
    pupils = _most_provision(setting, len(APPLICATIONS))
    for pupil, row in zip(pupils, APPLICATIONS, strict=False):
        status, period, requested, submitted_on, decided_on, approved, case, note = row
        details = {
            "period_from": period[0], "period_to": period[1], "amount_requested": Decimal(requested),
            "case_for_funding": case,
        }  # fmt: skip
        if period == THIS_YEAR:
            _one_to_one_support(actor, pupil)
        application = services.create_draft(actor=actor, pupil=pupil, setting=setting, details=details)
        if submitted_on is None:
            continue
        services.submit_application(
            actor=actor, application=application, expected_version=application.version, submitted_on=submitted_on
        )
        if decided_on is not None:
            services.record_decision(
                actor=actor, application=application, approved=status == "approved", decided_on=decided_on,
                amount_approved=Decimal(approved) if approved else None, note=note,
                expected_version=application.version,
            )  # fmt: skip
    return min(len(pupils), len(APPLICATIONS))


def _awards(setting: Setting) -> int:
    if FundingAward.objects.filter(setting=setting).exists():
        return 0
    actor = _senco(setting)
    made = 0
    for pupil, awards in zip(_on_sen_register(setting), AWARDS, strict=False):
        for kind, amount, period, awarded_on, note in awards:
            details = {
                "kind": kind, "amount": Decimal(amount), "period_from": period[0], "period_to": period[1],
                "awarded_on": awarded_on, "note": note,
            }  # fmt: skip
            services.record_award(actor=actor, pupil=pupil, setting=setting, details=details)
            made += 1
    return made


def load_demo_data() -> dict[str, int]:
    millbeck = Setting.objects.filter(urn=MILLBECK_URN).first()
    little_wrens = Setting.objects.filter(urn=LITTLE_WRENS_URN).first()
    if millbeck is None or little_wrens is None:
        return {}
    return {
        "top-up applications at Millbeck": _applications(millbeck),
        "early years funding awards at Little Wrens": _awards(little_wrens),
    }
