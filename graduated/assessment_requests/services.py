"""Changes to a prepared request: start it, fill in what the record does not hold, submit it; then
the life of its evidence bundle, made in the background once it is sent.

Each runs in one transaction and writes one audit event. Saves name the version their form was
opened on and are refused when someone else saved in between (``StaleEditError``), with the
typing kept by the view. A submitted request never changes again: only its bundle's status does.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from graduated.assessment_requests.models import BundleStatus, ConsentBy, PreparedRequest, SentContent
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
BUNDLE_ACTOR = "evidence bundle"  # the role the background task's audit events are written in


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
def submit(*, actor: Actor, prepared: PreparedRequest, expected_version: int, on: date) -> EHCRequest:
    """Send the request: the LA's case starts today (its 6-week clock with it), what the request holds
    is kept as it is at this moment, and its evidence bundle is asked for, to be made from that in the
    background once this commits. Refused, with nothing saved, when something is missing or the LA
    cannot take it (e.g. a request of the same child is already open there)."""
    from graduated.assessment_requests.bundles import sent_content  # bundles reads this module

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
    # Drawn inside this transaction, after the case: the bundle holds what was true when it was sent.
    outline, appendices = sent_content(prepared)
    SentContent.objects.create(prepared=prepared, outline=outline, appendices=appendices)
    prepared.bundle_status, prepared.bundle_status_at = BundleStatus.BUILDING, timezone.now()
    prepared.bundle_attempts = 1
    fields = ["case", "submitted_on", "submitted_by", "bundle_status", "bundle_status_at", "bundle_attempts"]
    save_versioned(prepared, update_fields=fields)
    record(actor, AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id, changed_fields=fields,
           description=f"Request for an EHC needs assessment sent to {case.local_authority.name}")  # fmt: skip
    _build_once_committed(prepared)
    return case


def _build_once_committed(prepared: PreparedRequest) -> None:
    # After the commit, so that the worker finds the request sent; robust, so that a queue that cannot
    # be reached never turns a sent request into an error page (its bundle shows as stopped, to try again).
    prepared_id = prepared.pk

    def enqueue() -> None:
        from graduated.assessment_requests.tasks import build_bundle

        build_bundle.enqueue(prepared_id)

    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def make_bundle_again(*, actor: Actor, prepared: PreparedRequest) -> None:
    """Ask again for the evidence bundle of a sent request whose bundle could not be made, or whose
    making stopped ("try again"). What is made is still what was sent."""
    lock_for_edit(prepared)
    if not prepared.bundle_can_be_made_again:
        if prepared.bundle_ready:
            raise RequestError("The evidence bundle is ready: there is nothing to try again.")
        raise RequestError("The evidence bundle is already being prepared.")
    attempt = prepared.bundle_attempts + 1
    PreparedRequest.objects.filter(pk=prepared.pk).update(
        bundle_status=BundleStatus.BUILDING, bundle_status_at=timezone.now(), bundle_started_at=None,
        bundle_attempts=attempt, bundle_error="",
    )  # fmt: skip
    record(actor, AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id, changed_fields=["bundle_status"],
           description=f"Evidence bundle asked for again (attempt {attempt})")  # fmt: skip
    prepared.refresh_from_db()
    _build_once_committed(prepared)


# -- The bundle's making, by the background task (bundles.make_bundle) -----------------------------------


def _reports(count: int) -> str:
    return f"{count} report{'' if count == 1 else 's'}"


def start_bundle(prepared: PreparedRequest) -> int:
    """Note that a worker has taken up the bundle; the attempt it works for."""
    PreparedRequest.objects.filter(pk=prepared.pk).update(bundle_started_at=timezone.now())
    return prepared.bundle_attempts


def store_bundle(prepared: PreparedRequest, *, pdf: bytes, appended: int = 0, left_out: int = 0) -> bool:
    """Keep the bundle made for a sent request and mark it ready; False (and nothing kept) when another
    attempt got there first. Any attempt's bundle will do: each is made from what was sent."""
    prepared.bundle.save("bundle.pdf", ContentFile(pdf), save=False)
    name, storage = prepared.bundle.name or "", prepared.bundle.storage
    try:
        with transaction.atomic():
            stored = PreparedRequest.objects.filter(pk=prepared.pk, bundle_status=BundleStatus.BUILDING, bundle="")
            if not stored.update(bundle=name, bundle_status=BundleStatus.READY, bundle_status_at=timezone.now(),
                                 bundle_error=""):  # fmt: skip
                storage.delete(name)
                return False
            record(Actor.system(BUNDLE_ACTOR), AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id,
                   changed_fields=["bundle", "bundle_status"],
                   description=f"Evidence bundle made: {_reports(appended)} appended, {left_out} left out")  # fmt: skip
    except BaseException:
        storage.delete(name)  # nothing recorded, so the file must not stay behind either
        raise
    return True


def bundle_failed(prepared: PreparedRequest, *, attempt: int, message: str) -> None:
    """Keep why the bundle could not be made, unless a newer attempt is under way or it is made."""
    with transaction.atomic():
        failed = PreparedRequest.objects.filter(
            pk=prepared.pk, bundle_status=BundleStatus.BUILDING, bundle_attempts=attempt
        ).update(bundle_status=BundleStatus.FAILED, bundle_status_at=timezone.now(), bundle_error=message)
        if failed:
            record(Actor.system(BUNDLE_ACTOR), AuditAction.CHANGE, obj=prepared, pupil_id=prepared.pupil_id,
                   changed_fields=["bundle_status"],
                   description=f"Evidence bundle could not be made (attempt {attempt})")  # fmt: skip
