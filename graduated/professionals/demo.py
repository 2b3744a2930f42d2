"""Demo professional: an educational psychologist, ep.north@example.org, with a live grant (every
scope) to one Millbeck pupil on SEN support and a grant to another that ended a month ago, and one
piece of advice already given.

The account has the same password as the other demo accounts (its hash is copied from Millbeck's
SENCO, so whatever password the demo was loaded with works). Dates are relative to today, so the
live grant is live and the expired one expired whenever the demo is loaded. Idempotent: nothing is
added when the account already exists.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.organisations.models import Membership, Role, Setting
from graduated.professionals.models import ProfessionalAdvice, ProfessionalGrant
from graduated.pupils.models import Enrolment, Pupil, SENStatusPeriod
from graduated.support.models import Cycle, CycleStatus

MILLBECK_URN = "146208"
EMAIL = "ep.north@example.org"
NAME = "Erin Parkes"
ORGANISATION = "Northshire Educational Psychology Service"
JOB_TITLE = "Educational psychologist"
ADVICE = (
    "I observed the pupil in a literacy lesson and worked with them individually. Their phonological awareness is "
    "well below that expected for their age, while their verbal reasoning is in the average range. Difficulties "
    "with working memory make multi-step instructions hard to follow."
)
RECOMMENDATIONS = (
    "Give instructions one step at a time, with a visual checklist.\n"
    "Daily precision teaching of high-frequency words, 10 minutes.\n"
    "Pre-teach the vocabulary of each new topic."
)


def _pupils_on_sen_support(setting: Setting, count: int) -> list[Pupil]:
    """Enrolled at Millbeck, on SEN support now, with an open cycle: the first ``count`` by id."""
    enrolled = Enrolment.objects.current().filter(setting=setting).values("pupil_id")
    on_support = SENStatusPeriod.objects.current().filter(status="K").values("pupil_id")
    with_open_cycle = Cycle.objects.filter(setting=setting).exclude(status=CycleStatus.CLOSED).values("pupil_id")
    pupils = Pupil.objects.filter(pk__in=enrolled).filter(pk__in=on_support).filter(pk__in=with_open_cycle)
    return list(pupils.order_by("id")[:count])


@transaction.atomic
def load_demo_data() -> dict[str, int]:
    setting = Setting.objects.filter(urn=MILLBECK_URN).first()
    senco = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").order_by("id").first()
    if setting is None or senco is None or User.objects.filter(email__iexact=EMAIL).exists():
        return {"professional grants": 0}
    pupils = _pupils_on_sen_support(setting, 2)
    if len(pupils) < 2:
        return {"professional grants": 0}
    actor = Actor(user=senco.user, role=Role.SENCO, setting_id=setting.pk)
    professional = User.objects.create_user(email=EMAIL, password=None, full_name=NAME)
    professional.password = senco.user.password  # the demo accounts' password, whatever it was
    professional.save(update_fields=["password"])
    record(actor, AuditAction.CREATE, obj=professional, description="Demo account (professional)")
    today = timezone.localdate()
    live = _grant(actor, pupils[0], setting, professional, today + timedelta(days=180))
    expired = _grant(actor, pupils[1], setting, professional, today - timedelta(days=30))
    # Backdated, so that the expired grant reads as given before it ended.
    ProfessionalGrant.objects.filter(pk=expired.pk).update(invited_at=timezone.now() - timedelta(days=120))
    advice = ProfessionalAdvice.objects.create(
        grant=live, pupil=pupils[0], given_on=today - timedelta(days=7), advice=ADVICE,
        recommendations=RECOMMENDATIONS, written_by=professional,
    )  # fmt: skip
    professional_actor = Actor(user=professional, role="professional", setting_id=setting.pk)
    record(professional_actor, AuditAction.CREATE, obj=advice, pupil_id=pupils[0].pk, description="Demo advice")
    return {"professional grants": 2}


def _grant(actor: Actor, pupil: Pupil, setting: Setting, user: User, expires_on: date) -> ProfessionalGrant:
    grant = ProfessionalGrant.objects.create(
        pupil=pupil, setting=setting, user=user, organisation=ORGANISATION, job_title=JOB_TITLE,
        can_read_plan=True, can_advise=True, can_upload_report=True, expires_on=expires_on, invited_by=actor.user,
    )  # fmt: skip
    record(actor, AuditAction.CREATE, obj=grant, pupil_id=pupil.pk, description=f"Demo grant to {user.email}")
    return grant
