"""Consent from the family: to a referral to a service, and to the school's request for an EHC
needs assessment (domain.md §5, §6).

The family sees what the school is asking them to agree to on the child's page and answers yes
or no, with a note if they like. Yes fills in the referral's or request's consent (who, when) as
the SENCO would have from a signed form; no is recorded and shown to the SENCO, and withdraws a
yes the same person gave earlier, while the referral or request has not been sent. From 16 a young
person decides for themselves: their parent's account then shows who decides. Each answer is
dated on the chronology and audited. Nothing here holds up a statutory step: a family's answer is
information the school and the LA act on, and the school can still record consent given on paper.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from graduated.access import FamilyAccess
from graduated.assessment_requests.models import ConsentBy as RequestConsentBy
from graduated.assessment_requests.models import PreparedRequest
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.families.models import FamilyConsent, FamilyLink
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import save_versioned
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.specialists.models import AGE_OF_OWN_CONSENT, Referral, age_on
from graduated.specialists.models import ConsentBy as ReferralConsentBy

REFERRAL = "referral"
EHC_REQUEST = "ehc_request"
SHOWN = 10  # the most recent questions on the child's page


class ConsentError(ServiceError):
    default_message = "Your answer could not be saved. Nothing was changed."


@dataclass
class ConsentQuestion:
    """One thing the family is asked to agree to, with this family member's answer if any."""

    kind: str  # REFERRAL or EHC_REQUEST
    pk: int
    title: str
    reason: str
    answer: FamilyConsent | None
    # Consent recorded by the school some other way (a signed form), if not by this answer.
    recorded_elsewhere: bool
    is_open: bool  # not sent yet, so the answer can still be given or changed

    @property
    def form_id(self) -> str:
        return f"consent-{self.kind}-{self.pk}"


def decides_for_themselves(pupil: Pupil, today: date) -> bool:
    return age_on(pupil.date_of_birth, today) >= AGE_OF_OWN_CONSENT


def may_decide(link: FamilyLink, pupil: Pupil, today: date) -> bool:
    """From 16 the young person decides; before, a parent or carer does."""
    return link.is_young_person == decides_for_themselves(pupil, today)


def questions_for(link: FamilyLink, pupil: Pupil) -> list[ConsentQuestion]:
    """What the school is asking (referrals not yet made, a request not yet sent) and what this
    family member answered before; newest first. Three queries."""
    mine = {
        (REFERRAL if answer.referral_id else EHC_REQUEST, answer.referral_id or answer.ehc_request_id): answer
        for answer in FamilyConsent.objects.filter(link=link)
    }
    answered = {kind: [pk for (k, pk) in mine if k == kind] for kind in (REFERRAL, EHC_REQUEST)}
    referrals = (
        Referral.objects.filter(pupil=pupil, setting=link.setting)
        .filter(Q(referred_on__isnull=True) | Q(pk__in=answered[REFERRAL]))
        .select_related("service")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    requests = (
        PreparedRequest.objects.filter(pupil=pupil, setting=link.setting)
        .filter(Q(submitted_on__isnull=True) | Q(pk__in=answered[EHC_REQUEST]))
        .order_by("-created_at", "-id")[:SHOWN]
    )
    questions = []
    for prepared in requests:
        answer = mine.get((EHC_REQUEST, prepared.pk))
        questions.append(ConsentQuestion(
            EHC_REQUEST, prepared.pk, "A request for an Education, Health and Care needs assessment",
            "The school wants to ask the local council to look closely at what help is needed, to decide whether "
            "an Education, Health and Care plan is right.", answer,
            recorded_elsewhere=bool(prepared.consent_on) and not (answer and answer.filled_in),
            is_open=not prepared.is_submitted,
        ))  # fmt: skip
    for referral in referrals:
        answer = mine.get((REFERRAL, referral.pk))
        questions.append(ConsentQuestion(
            REFERRAL, referral.pk, f"Asking {referral.service.name} for help", referral.reason, answer,
            recorded_elsewhere=referral.consent_by != ReferralConsentBy.NOT_YET and not (answer and answer.filled_in),
            is_open=referral.referred_on is None,
        ))  # fmt: skip
    return questions


def decide(
    *, family: FamilyAccess, kind: str, pk: int, given: bool, note: str = "", share: bool = False
) -> FamilyConsent:
    """Record this family member's yes or no, and what it changes on the referral or request."""
    today = timezone.localdate()
    if not may_decide(family.link, family.pupil, today):
        raise ConsentError(
            f"From {AGE_OF_OWN_CONSENT}, {family.pupil.first_name} decides this for themselves: "
            "the school will ask them."
        )
    with transaction.atomic():
        target: Referral | PreparedRequest | None
        if kind == REFERRAL:
            target = Referral.objects.select_for_update().select_related("service").filter(
                pk=pk, pupil=family.pupil, setting=family.link.setting).first()  # fmt: skip
        elif kind == EHC_REQUEST:
            target = PreparedRequest.objects.select_for_update().filter(
                pk=pk, pupil=family.pupil, setting=family.link.setting).first()  # fmt: skip
        else:
            target = None
        if target is None:
            raise Http404("No such request for consent.")
        sent = target.referred_on if isinstance(target, Referral) else target.submitted_on
        if sent is not None:
            raise ConsentError("This has already been sent, so your answer could not be changed. Tell the school.")
        subject: dict[str, Any] = {kind: target}
        earlier = FamilyConsent.objects.filter(link=family.link, **subject).first()
        filled_in = _apply(family, target, given=given, share=share, today=today,
                           earlier_filled_in=earlier is not None and earlier.filled_in)  # fmt: skip
        answer, created = FamilyConsent.objects.update_or_create(
            link=family.link, **subject,
            defaults={"given": given, "note": note.strip(), "share_with_professionals": share and given,
                      "filled_in": filled_in, "decided_at": timezone.now()},
        )  # fmt: skip
        what = f"the referral to {target.service.name}" if isinstance(target, Referral) else (
            "the request for an EHC needs assessment")  # fmt: skip
        who = "The young person" if family.link.is_young_person else (family.link.relationship or "A parent")
        summary = f"{who} {'gave' if given else 'refused'} consent to {what}"
        add_to_chronology(family.pupil, family.actor, ChronologyKind.FAMILY_CONSENTED, today, summary)
        record(family.actor, AuditAction.CREATE if created else AuditAction.CHANGE, obj=answer,
               pupil_id=family.pupil.pk, changed_fields=["given", "note"], description=summary)  # fmt: skip
    return answer


def _apply(
    family: FamilyAccess,
    target: Referral | PreparedRequest,
    *,
    given: bool,
    share: bool,
    today: date,
    earlier_filled_in: bool,
) -> bool:
    """Fill in (or, on a change of mind, withdraw) the record's consent. True when the record's
    consent is now this answer's."""
    if given and earlier_filled_in:
        return True  # theirs already
    if isinstance(target, Referral):
        recorded = target.consent_by != ReferralConsentBy.NOT_YET
    else:
        recorded = bool(target.consent_on)
    if given and recorded:
        return False  # the school recorded consent another way (a signed form): leave it
    if not given and not earlier_filled_in:
        return False  # a "no" is on the record; there is no consent of theirs to withdraw
    young = family.link.is_young_person
    if isinstance(target, Referral):
        fields = ["consent_by", "consent_on"]
        if given:
            target.consent_by = ReferralConsentBy.YOUNG_PERSON if young else ReferralConsentBy.PARENT
            target.consent_on = today
        else:
            target.consent_by, target.consent_on = ReferralConsentBy.NOT_YET, None
    else:
        fields = ["consent_by", "consent_name", "consent_on", "consent_to_share"]
        if given:
            target.consent_by = RequestConsentBy.YOUNG_PERSON if young else RequestConsentBy.PARENT
            target.consent_name, target.consent_on, target.consent_to_share = family.user.full_name, today, share
        else:
            target.consent_by, target.consent_name, target.consent_on, target.consent_to_share = "", "", None, False
    save_versioned(target, update_fields=fields)
    record(family.actor, AuditAction.CHANGE, obj=target, pupil_id=family.pupil.pk, changed_fields=fields,
           description="Consent given by the family" if given else "Consent withdrawn by the family")  # fmt: skip
    return given


def answers_to(target: Referral | PreparedRequest) -> list[FamilyConsent]:
    """The family's answers about a referral or request, for the school's page."""
    field = REFERRAL if isinstance(target, Referral) else EHC_REQUEST
    return list(
        FamilyConsent.objects.filter(**{field: target}).select_related("link__user").order_by("decided_at", "pk")
    )
