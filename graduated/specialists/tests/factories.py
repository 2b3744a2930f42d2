"""Services and referrals in a known state, made through the services as an LA admin and a SENCO would."""

from datetime import date
from typing import Any

from graduated.organisations.models import LocalAuthority
from graduated.pupils.models import Pupil
from graduated.specialists import services
from graduated.specialists.models import Recommendation, Referral, Service, ServiceKind
from graduated.support.tests.factories import ACTOR

REFERRED = date(2025, 1, 6)
CONSENTED = date(2024, 12, 16)


def service_details(name: str = "Educational Psychology Service", **changes: Any) -> dict[str, Any]:
    return {
        "kind": ServiceKind.EDUCATIONAL_PSYCHOLOGY, "name": name, "offer": "Consultation and assessment.",
        "who_may_refer": "SENCOs, with parental consent.", "criteria": "Two reviewed cycles.",
        "serves_early_years": False, "serves_primary": True, "serves_secondary": True, "serves_post_16": False,
        "email": "eps@example.org", "phone": "01632 960001", "website": "https://example.org/eps", "address": "",
        "is_active": True, **changes,
    }  # fmt: skip


def service(la: LocalAuthority, name: str = "Educational Psychology Service", **changes: Any) -> Service:
    existing = Service.objects.filter(local_authority=la, name=name).first()
    return existing or services.add_service(actor=ACTOR, la=la, details=service_details(name, **changes))


def referral_details(**changes: Any) -> dict[str, Any]:
    return {
        "reason": "Slow progress in reading despite two cycles.", "consent_by": "parent", "consent_on": CONSENTED,
        "referred_on": REFERRED, "accepted_on": None, "seen_on": None, "report_received_on": None, "advice": "",
        **changes,
    }  # fmt: skip


def referral(pupil: Pupil, to: Service | None = None, **changes: Any) -> Referral:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    to = to or service(setting.local_authority)
    return services.create_referral(
        actor=ACTOR, pupil=pupil, setting=setting, service=to, details=referral_details(**changes)
    )


def seen_referral(pupil: Pupil, to: Service | None = None, **changes: Any) -> Referral:
    changes = {"accepted_on": date(2025, 1, 20), "seen_on": date(2025, 3, 3), **changes}
    return referral(pupil, to, **changes)


def recommendation(pupil: Pupil, text: str = "Use a visual timetable.") -> Recommendation:
    return services.add_recommendation(actor=ACTOR, referral=seen_referral(pupil), text=text)
