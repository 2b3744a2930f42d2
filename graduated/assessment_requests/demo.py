"""A demo request in preparation at Millbeck Primary School, ready to send: the demo SENCO can open
it from the pupil's page, read what the LA will receive, download the bundle and send it.

The pupil: the first (by id) with SEN support cycles, a referral to a service and a specialist's
report or assessment on file, and no open request at the LA (so that sending it works); failing
that, the first with cycles and no open request. The details are typed as the SENCO would, dated on
the demo's last day. Deterministic and idempotent (a setting with a request already is left alone);
through the services.
"""

from datetime import date

from graduated.assessment_requests import services
from graduated.assessment_requests.content import REPORT_KINDS
from graduated.assessment_requests.models import ConsentBy, PreparedRequest
from graduated.audit.services import Actor
from graduated.documents.models import Document
from graduated.ehc.models import OPEN_STAGES, EHCRequest
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Enrolment, Pupil
from graduated.specialists.models import Referral
from graduated.support.models import Cycle

MILLBECK_URN = "146208"
DEMO_DAY = date(2026, 11, 13)  # graduated.demo.data.LATEST_EVENT


def _pupil(setting: Setting) -> Pupil | None:
    enrolled = Enrolment.objects.current().filter(setting=setting).values("pupil_id")
    open_requests = EHCRequest.objects.filter(stage__in=OPEN_STAGES).values("pupil_id")
    candidates = (
        Pupil.objects.filter(pk__in=enrolled)
        .filter(pk__in=Cycle.objects.values("pupil_id"))
        .exclude(pk__in=open_requests)
        .order_by("id")
    )
    with_evidence = candidates.filter(pk__in=Referral.objects.values("pupil_id")).filter(
        pk__in=Document.objects.filter(kind__in=REPORT_KINDS).values("pupil_id")
    )
    return with_evidence.first() or candidates.first()


def load_demo_data() -> dict[str, int]:
    setting = Setting.objects.filter(urn=MILLBECK_URN).first()
    if setting is None or PreparedRequest.objects.filter(setting=setting).exists():
        return {"Requests for an EHC needs assessment in preparation": 0}
    pupil = _pupil(setting)
    if pupil is None:
        return {"Requests for an EHC needs assessment in preparation": 0}
    senco = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").order_by("id").first()
    actor = Actor(user=senco.user if senco else None, role=Role.SENCO, setting_id=setting.pk)
    prepared = services.start_request(actor=actor, pupil=pupil, setting=setting)
    services.update_details(
        actor=actor, prepared=prepared, expected_version=prepared.version,
        values={
            "parental_responsibility": f"Ms {pupil.last_name} (mother), 14 Beck Row, Millbeck; 01632 960402\n"
                                       f"Mr {pupil.last_name} (father), same address; 01632 960403",
            "attendance_this_year": 93.4, "attendance_last_year": 95.1,
            "beyond_ordinarily_available": (
                "Daily one-to-one teaching from a trained assistant, following the specialist's programme and "
                "reviewed each half term with the family: more than the school can provide from its notional SEN "
                "budget, as the costed provision map shows."
            ),
            "consent_by": ConsentBy.PARENT, "consent_name": f"Ms {pupil.last_name}", "consent_on": DEMO_DAY,
            "consent_to_share": True,
        },
    )  # fmt: skip
    return {"Requests for an EHC needs assessment in preparation": 1}
