"""Changes to the services directory and to referrals. Each runs in one transaction and writes one
audit event. Forms check what a person typed; these functions enforce the rules that hold
whatever the caller (dates in order, consent before referral, the right person consenting, a
recommendation linked only to the pupil's own provision), so that a demo or an import cannot
break them either.

Nothing here goes on the pupil's chronology: it has no kind for referrals (adding one is a change
to ``pupils.ChronologyKind`` and its migration, which belong to the pupils app).
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.specialists.models import (
    AGE_OF_OWN_CONSENT,
    ConsentBy,
    Recommendation,
    RecommendationStatus,
    Referral,
    Service,
    age_on,
)
from graduated.support.models import Provision

SERVICE_FIELDS = [
    "kind", "name", "offer", "who_may_refer", "criteria", "serves_early_years", "serves_primary", "serves_secondary",
    "serves_post_16", "email", "phone", "website", "address", "is_active",
]  # fmt: skip
REFERRAL_FIELDS = [
    "reason", "consent_by", "consent_on", "referred_on", "accepted_on", "seen_on", "report_received_on", "advice",
]  # fmt: skip
LATER_DATES = {"accepted_on": "accepted", "seen_on": "seen", "report_received_on": "the report was received"}


class ReferralError(ServiceError):
    """A change to the directory or a referral the rules refuse; ``message`` says why."""


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


# -- The directory ---------------------------------------------------------------------------------


def _check_service(la: LocalAuthority, details: Mapping[str, Any], exclude_pk: int | None = None) -> None:
    if not any(details[f"serves_{phase}"] for phase in ("early_years", "primary", "secondary", "post_16")):
        raise ReferralError("Select at least one phase the service works with.")
    clash = Service.objects.filter(local_authority=la, name__iexact=details["name"])
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ReferralError(f"The directory already has a service called {details['name']}.")


@transaction.atomic
def add_service(*, actor: Actor, la: LocalAuthority, details: Mapping[str, Any]) -> Service:
    _check_service(la, details)
    service = Service.objects.create(local_authority=la, **{name: details[name] for name in SERVICE_FIELDS})
    record(actor, AuditAction.CREATE, obj=service, description=f"Service {service.name} added to the directory")
    return service


@transaction.atomic
def update_service(*, actor: Actor, service: Service, details: Mapping[str, Any], expected_version: int) -> Service:
    """Save the changed details, refusing if the service changed since ``expected_version`` was read."""
    _check_service(service.local_authority, details, exclude_pk=service.pk)
    changed = [name for name in SERVICE_FIELDS if getattr(service, name) != details[name]]
    for name in SERVICE_FIELDS:
        setattr(service, name, details[name])
    save_versioned(service, update_fields=SERVICE_FIELDS, expected_version=expected_version)
    service.refresh_from_db()
    record(actor, AuditAction.CHANGE, obj=service, changed_fields=changed)
    return service


# -- Referrals -------------------------------------------------------------------------------------


def check_consent(pupil: Pupil, consent_by: str, consent_on: date | None) -> None:
    """A young person of 16 or over consents for themselves; a younger child's parent consents."""
    if consent_by == ConsentBy.NOT_YET:
        if consent_on is not None:
            raise ReferralError("Say who gave consent, or leave the date of consent empty.")
        return
    if consent_on is None:
        raise ReferralError("Enter the date consent was given.")
    age = age_on(pupil.date_of_birth, consent_on)
    if consent_by == ConsentBy.YOUNG_PERSON and age < AGE_OF_OWN_CONSENT:
        raise ReferralError(
            f"{pupil.first_name} was {age} on {_long(consent_on)}: a parent or carer gives consent "
            f"until the young person is {AGE_OF_OWN_CONSENT}."
        )
    if consent_by == ConsentBy.PARENT and age >= AGE_OF_OWN_CONSENT:
        raise ReferralError(
            f"{pupil.first_name} was {age} on {_long(consent_on)}: from {AGE_OF_OWN_CONSENT} a young person "
            "gives consent for themselves."
        )


def check_dates(details: Mapping[str, Any]) -> None:
    referred_on = details.get("referred_on")
    if referred_on is not None:
        if details.get("consent_by", ConsentBy.NOT_YET) == ConsentBy.NOT_YET:
            raise ReferralError("Record consent before the date of referral: no referral is made without it.")
        if details["consent_on"] > referred_on:
            raise ReferralError(f"Consent must be given on or before the date of referral ({_long(referred_on)}).")
    for name, event in LATER_DATES.items():
        later = details.get(name)
        if later is None:
            continue
        if referred_on is None:
            raise ReferralError(f"Enter the date of referral before the date {event}.")
        if later < referred_on:
            raise ReferralError(f"The date {event} must be on or after the date of referral ({_long(referred_on)}).")


def _check_referral(pupil: Pupil, details: Mapping[str, Any]) -> None:
    check_consent(pupil, details["consent_by"], details["consent_on"])
    check_dates(details)


def _check_service_for(setting: Setting, service: Service) -> None:
    if service.local_authority_id != setting.local_authority_id or not service.is_active:
        raise ReferralError("Choose one of the services in your local authority's directory.")


@transaction.atomic
def create_referral(
    *, actor: Actor, pupil: Pupil, setting: Setting, service: Service, details: Mapping[str, Any]
) -> Referral:
    _check_service_for(setting, service)
    values = {name: details.get(name) for name in REFERRAL_FIELDS}
    values["advice"] = values["advice"] or ""
    _check_referral(pupil, values)
    referral = Referral.objects.create(pupil=pupil, setting=setting, service=service, created_by=actor.user, **values)
    record(
        actor, AuditAction.CREATE, obj=referral, pupil_id=pupil.pk, changed_fields=[k for k, v in values.items() if v],
        description=f"Referral to {service.name}",
    )  # fmt: skip
    _add_to_chronology(actor, referral, referred_before=None, report_before=None)
    return referral


def _add_to_chronology(
    actor: Actor, referral: Referral, *, referred_before: date | None, report_before: date | None
) -> None:
    """The two moments of a referral that belong in the pupil's story: it was made, the report came."""
    service = referral.service.name
    if referral.referred_on and referral.referred_on != referred_before:
        add_to_chronology(
            referral.pupil, actor, ChronologyKind.REFERRAL_MADE, referral.referred_on, f"Referred to {service}"
        )
    if referral.report_received_on and referral.report_received_on != report_before:
        add_to_chronology(
            referral.pupil, actor, ChronologyKind.SPECIALIST_REPORT_RECEIVED, referral.report_received_on,
            f"Report received from {service}",
        )  # fmt: skip


@transaction.atomic
def update_referral(*, actor: Actor, referral: Referral, details: Mapping[str, Any], expected_version: int) -> Referral:
    """Record the dates as they come (referred, accepted, seen, report received), the advice, consent."""
    referral = lock_for_edit(referral, expected_version)
    _check_referral(referral.pupil, details)
    if details["seen_on"] is None and details["report_received_on"] is None and referral.recommendations.exists():
        raise ReferralError(
            "This referral has recommendations: keep the date the pupil was seen or the report was received."
        )
    earliest_decision = referral.recommendations.exclude(decided_on=None).order_by("decided_on").first()
    if earliest_decision and details["referred_on"] and earliest_decision.decided_on < details["referred_on"]:
        raise ReferralError("A recommendation was decided before that date of referral: check the dates.")
    changed = [name for name in REFERRAL_FIELDS if getattr(referral, name) != details[name]]
    referred_before, report_before = referral.referred_on, referral.report_received_on
    for name in REFERRAL_FIELDS:
        setattr(referral, name, details[name])
    save_versioned(referral, update_fields=REFERRAL_FIELDS)
    record(actor, AuditAction.CHANGE, obj=referral, pupil_id=referral.pupil_id, changed_fields=changed)
    _add_to_chronology(actor, referral, referred_before=referred_before, report_before=report_before)
    return referral


@transaction.atomic
def add_recommendation(*, actor: Actor, referral: Referral, text: str) -> Recommendation:
    if referral.seen_on is None and referral.report_received_on is None:
        raise ReferralError(
            "Record the date the pupil was seen or the report arrived before adding the service's recommendations."
        )
    if not text.strip():
        raise ReferralError("Enter the recommendation.")
    recommendation = Recommendation.objects.create(referral=referral, setting=referral.setting, text=text.strip())
    record(actor, AuditAction.CREATE, obj=recommendation, pupil_id=referral.pupil_id, changed_fields=["text"])
    return recommendation


def pupil_provisions(pupil: Pupil) -> list[Provision]:
    """The provisions of every cycle of the pupil, newest cycle first: what a recommendation may link to."""
    return list(Provision.objects.filter(cycle__pupil=pupil).select_related("cycle").order_by("-cycle__number", "id"))


@transaction.atomic
def decide_recommendation(
    *,
    actor: Actor,
    recommendation: Recommendation,
    put_in_place: bool,
    provision: Provision | None,
    reason: str,
    decided_on: date,
    expected_version: int,
) -> Recommendation:
    """Put in place, linked to the provision of the pupil's plan that implements it; or not, with the reason."""
    lock_for_edit(recommendation, expected_version)
    referral = recommendation.referral
    if put_in_place:
        if provision is None:
            raise ReferralError("Choose the provision in the plan that puts the recommendation in place.")
        # Read the owner afresh: never trust the provision object's cached relations.
        owner = Provision.objects.filter(pk=provision.pk).values_list("cycle__pupil_id", flat=True).first()
        if owner != referral.pupil_id:
            raise ReferralError(f"Choose one of {referral.pupil.first_name}'s own provisions.")
    elif not reason.strip():
        raise ReferralError("Enter why the recommendation was not put in place.")
    if referral.referred_on and decided_on < referral.referred_on:
        raise ReferralError(
            f"The decision date must be on or after the date of referral ({_long(referral.referred_on)})."
        )
    recommendation.status = RecommendationStatus.PUT_IN_PLACE if put_in_place else RecommendationStatus.NOT_PUT_IN_PLACE
    recommendation.provision = provision if put_in_place else None
    recommendation.reason_not_in_place = "" if put_in_place else reason.strip()
    recommendation.decided_on = decided_on
    fields = ["status", "provision", "reason_not_in_place", "decided_on"]
    save_versioned(recommendation, update_fields=fields)
    record(
        actor, AuditAction.CHANGE, obj=recommendation, pupil_id=referral.pupil_id, changed_fields=fields,
        description=f"Recommendation {recommendation.get_status_display().lower()}",
    )  # fmt: skip
    return recommendation
