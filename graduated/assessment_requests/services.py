"""Changes to a prepared request: start it, fill in what the record does not hold, submit it.

Each runs in one transaction and writes one audit event. Saves name the version their form was
opened on and are refused when someone else saved in between (``StaleEditError``), with the
typing kept by the view. A submitted request never changes again.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from graduated.assessment_requests.models import ConsentBy, PreparedRequest
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc import services as ehc_services
from graduated.ehc.models import EHCRequest, RequestSource
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import check_version, lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Pupil
from graduated.specialists.models import age_on
from graduated.statutory import plan_selectors
from graduated.support.models import Cycle

DETAIL_FIELDS = (
    "parental_responsibility", "attendance_this_year", "attendance_last_year", "child_views", "parent_views",
    "beyond_ordinarily_available", "consent_by", "consent_name", "consent_on", "consent_to_share",
)  # fmt: skip


class RequestError(ServiceError):
    """A request the rules refuse to change or send; ``message`` says why."""


def deciding_la(pupil: Pupil, setting: Setting) -> LocalAuthority:
    """The LA that decides the request: the child's home LA, or the setting's when none is recorded."""
    return pupil.home_local_authority or setting.local_authority


def views_from_record(pupil: Pupil) -> dict[str, str]:
    """The latest views the record holds: the My Support Plan's, else the latest SEN support cycle's."""
    version = plan_selectors.current_version(pupil)
    cycle = Cycle.objects.filter(pupil=pupil).order_by("-number").first()
    child = (version.views if version else "") or (cycle.pupil_views if cycle else "")
    parents = (version.parent_contribution if version else "") or (cycle.parents_views if cycle else "")
    return {"child_views": child, "parent_views": parents}


@transaction.atomic
def start_request(*, actor: Actor, pupil: Pupil, setting: Setting) -> PreparedRequest:
    """The setting's request in preparation for the pupil: the one already started, or a new one with
    the views copied from the record for the school to check. Starting twice gives the same one."""
    Pupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk").get()
    existing = PreparedRequest.objects.filter(pupil=pupil, setting=setting, submitted_on__isnull=True).first()
    if existing is not None:
        return existing
    prepared = PreparedRequest.objects.create(
        pupil=pupil, setting=setting, created_by=actor.user, **views_from_record(pupil)
    )
    record(actor, AuditAction.CREATE, obj=prepared, pupil_id=pupil.pk,
           description="Started a request for an EHC needs assessment")  # fmt: skip
    return prepared


def _lock(prepared: PreparedRequest, expected_version: int) -> PreparedRequest:
    lock_for_edit(prepared)
    if prepared.is_submitted:
        raise RequestError(f"This request was submitted on {prepared.submitted_on:%-d %B %Y}: it cannot change now.")
    check_version(prepared, expected_version)
    return prepared


@transaction.atomic
def update_details(
    *, actor: Actor, prepared: PreparedRequest, values: Mapping[str, Any], expected_version: int
) -> PreparedRequest:
    """Save what the school types on the request. ``values`` come from a valid form."""
    prepared = _lock(prepared, expected_version)
    changed = [name for name in DETAIL_FIELDS if name in values and getattr(prepared, name) != values[name]]
    for name in changed:
        setattr(prepared, name, values[name])
    save_versioned(prepared, update_fields=changed)
    record(actor, AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id, changed_fields=changed)
    return prepared


def missing_for_submission(prepared: PreparedRequest, on: date) -> list[str]:
    """What must be filled in before the request can be sent, in words; empty when it can be."""
    missing = []
    if not prepared.parental_responsibility.strip():
        missing.append("Enter the people with parental responsibility.")
    if not prepared.beyond_ordinarily_available.strip():
        missing.append("Say what support the child needs beyond ordinarily available provision.")
    if not (prepared.consent_by and prepared.consent_name.strip() and prepared.consent_on):
        missing.append("Record who consented to the request, and when.")
    elif prepared.consent_on > on:
        missing.append("The date consent was given cannot be in the future.")
    elif (
        prepared.consent_by == ConsentBy.YOUNG_PERSON and age_on(prepared.pupil.date_of_birth, prepared.consent_on) < 16
    ):
        missing.append("The young person was under 16 when consent was given: a parent must consent.")
    return missing


@transaction.atomic
def submit(
    *, actor: Actor, prepared: PreparedRequest, expected_version: int, on: date, bundle_pdf: bytes
) -> EHCRequest:
    """Send the request: the LA's case starts today (its 6-week clock with it) and the bundle as sent
    is kept. Refused, with nothing saved, when something is missing or the LA cannot take it (e.g. a
    request of the same child is already open there)."""
    prepared = _lock(prepared, expected_version)
    missing = missing_for_submission(prepared, on)
    if missing:
        raise RequestError(" ".join(missing))
    setting = prepared.setting
    who = actor.user.get_full_name() if actor.user is not None else ""
    try:
        case = ehc_services.receive_request(
            actor=actor, la=deciding_la(prepared.pupil, setting), pupil=prepared.pupil, received_on=on,
            source=RequestSource.EDUCATION_SETTING, requested_by=f"{setting.name} ({who})" if who else setting.name,
            requesting_setting=setting,
        )  # fmt: skip
    except ehc_services.EHCError as error:
        raise RequestError(error.message) from error
    prepared.case, prepared.submitted_on, prepared.submitted_by = case, on, actor.user
    # Written last, so that a refusal above leaves no file behind.
    prepared.bundle.save("bundle.pdf", ContentFile(bundle_pdf), save=False)
    save_versioned(prepared, update_fields=["case", "submitted_on", "submitted_by", "bundle"])
    record(actor, AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id,
           changed_fields=["case", "submitted_on", "submitted_by", "bundle"],
           description=f"Request for an EHC needs assessment sent to {case.local_authority.name}")  # fmt: skip
    return case
