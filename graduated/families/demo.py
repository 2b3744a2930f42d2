"""Demo family accounts, in the README's table, with the demo accounts' password and no second
factor (optional for families; one can be set up after signing in):

* ``parent.primary@example.org``: the mother (a contact with parental responsibility) of the
  Millbeck Primary pupil with the most support cycles;
* ``student.college@example.org``: a student aged 16 or over at Northshire College, on SEN
  support, with access to their own record.

Deterministic: the first such pupil by cycle count, then id.
"""

from django.db.models import Count

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.families.models import FamilyLink, FamilyRole, ViewsRequest
from graduated.families.services import may_have_own_account
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Contact, Enrolment, Pupil
from graduated.specialists.models import Referral, Service, ServiceKind
from graduated.support.models import Cycle, CycleStatus

PARENT = "parent.primary@example.org"
STUDENT = "student.college@example.org"
MILLBECK_URN, COLLEGE_URN = "146208", "130742"


def _senco(setting: Setting) -> Actor | None:
    membership = Membership.objects.filter(setting=setting, role=Role.SENCO).select_related("user").first()
    return Actor(user=membership.user, role=Role.SENCO, setting_id=setting.pk) if membership else None


def _on_roll(setting: Setting) -> list[Pupil]:
    enrolled = Enrolment.objects.current().filter(setting=setting).values("pupil_id")
    return list(
        Pupil.objects.filter(pk__in=enrolled, sen_statuses__end_date__isnull=True, sen_statuses__status__in=["K", "E"])
        .annotate(cycle_count=Count("cycles", distinct=True))
        .order_by("-cycle_count", "pk")
    )


def _account(email: str, full_name: str, password_from: User) -> User:
    user = User.objects.create_user(email=email, password=None, full_name=full_name)
    user.password = password_from.password  # the demo accounts' password, whatever it was
    user.save(update_fields=["password"])
    return user


def load_demo_data() -> dict[str, int]:
    made = 0
    millbeck, college = (
        Setting.objects.filter(urn=MILLBECK_URN).first(),
        Setting.objects.filter(urn=COLLEGE_URN).first(),
    )
    for setting, email in ((millbeck, PARENT), (college, STUDENT)):
        actor = _senco(setting) if setting else None
        if setting is None or actor is None or actor.user is None or User.objects.filter(email__iexact=email).exists():
            continue
        pupils = _on_roll(setting)
        if email == STUDENT:
            pupils = [pupil for pupil in pupils if may_have_own_account(pupil)]
        if not pupils:
            continue
        pupil = pupils[0]
        if email == PARENT:
            name = f"Joanne {pupil.legal_last_name}"
            contact = Contact.objects.create(
                pupil=pupil,
                first_name="Joanne",
                last_name=pupil.legal_last_name,
                relationship="Mother",
                parental_responsibility=True,
                email=email,
                phone="07700 900777",
                priority=1,
            )
            user = _account(email, name, actor.user)
            link = FamilyLink.objects.create(
                user=user,
                pupil=pupil,
                setting=setting,
                role=FamilyRole.PARENT,
                contact=contact,
                relationship="Mother",
                linked_by=actor.user,
            )
        else:
            user = _account(email, pupil.display_name, actor.user)
            link = FamilyLink.objects.create(
                user=user, pupil=pupil, setting=setting, role=FamilyRole.YOUNG_PERSON, linked_by=actor.user
            )
        record(actor, AuditAction.CREATE, obj=link, pupil_id=pupil.pk, description="Demo family access")
        if email == PARENT:
            _things_to_answer(actor, pupil, setting)
        made += 1
    return {"family accounts": made}


def _things_to_answer(actor: Actor, pupil: Pupil, setting: Setting) -> None:
    """What the demo parent finds waiting: the school asking for their views before the review of
    the plan under way, and a referral waiting for their consent."""
    cycle = Cycle.objects.filter(pupil=pupil, setting=setting, status=CycleStatus.DO).first()
    if cycle is not None:
        ViewsRequest.objects.get_or_create(cycle=cycle, defaults={"requested_by": actor.user})
    service = (
        Service.objects.filter(
            local_authority=setting.local_authority, is_active=True, kind=ServiceKind.SPEECH_AND_LANGUAGE
        ).first()
        or Service.objects.filter(local_authority=setting.local_authority, is_active=True).first()
    )
    if service is not None:
        Referral.objects.create(
            pupil=pupil, setting=setting, service=service, created_by=actor.user,
            reason=f"{pupil.first_name} finds some sounds hard to say, and it makes reading aloud harder. "
            "A speech and language therapist would see what would help, and show us how to help at school.",
        )  # fmt: skip
