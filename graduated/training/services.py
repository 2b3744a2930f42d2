"""Changes to the training offer, a setting's training record and staff's awareness of pupils' needs.

Each runs in one transaction and writes one audit event. Courses and training records carry a
version: a change names the version its form was opened on, and a save on top of a newer one is
refused (``StaleEditError``), never lost. Awareness confirmations are appended, never changed.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import delete_versioned, lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority, Membership, Setting
from graduated.pupils.models import Pupil
from graduated.training.models import Awareness, Course, TrainingRecord

COURSE_FIELDS = ["title", "description", "provider", "format", "hours", "areas", "audiences"]
RECORD_FIELDS = ["course", "own_title", "own_areas", "completed_on", "expires_on", "note"]


class TrainingError(ServiceError):
    """A change to the training offer or record the rules refuse; ``message`` says why."""


def _check_title_free(la: LocalAuthority, title: str, course: Course | None = None) -> None:
    clash = Course.objects.filter(local_authority=la, title__iexact=title)
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise TrainingError(f"The offer already has a course called “{title}”: give this one another title.")


def _course_values(details: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: details[name] for name in COURSE_FIELDS}
    values["title"] = values["title"].strip()
    values["areas"], values["audiences"] = sorted(values["areas"]), sorted(values["audiences"])
    return values


@transaction.atomic
def add_course(*, actor: Actor, local_authority: LocalAuthority, details: Mapping[str, Any]) -> Course:
    # Lock the LA's row: two admins adding the same title at once make one course, not a clash at the database.
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()
    values = _course_values(details)
    _check_title_free(local_authority, values["title"])
    course = Course.objects.create(local_authority=local_authority, **values)
    record(actor, AuditAction.CREATE, obj=course, changed_fields=COURSE_FIELDS, description=f"Course: {course.title}")
    return course


@transaction.atomic
def change_course(*, actor: Actor, course: Course, details: Mapping[str, Any], expected_version: int) -> Course:
    LocalAuthority.objects.select_for_update().filter(pk=course.local_authority_id).values_list("pk").get()
    lock_for_edit(course, expected_version)
    values = _course_values(details)
    _check_title_free(course.local_authority, values["title"], course)
    changed = [name for name in COURSE_FIELDS if getattr(course, name) != values[name]]
    for name, value in values.items():
        setattr(course, name, value)
    save_versioned(course, update_fields=[*COURSE_FIELDS, "updated_at"])
    record(actor, AuditAction.CHANGE, obj=course, changed_fields=changed, description=f"Course: {course.title}")
    return course


@transaction.atomic
def set_offered(*, actor: Actor, course: Course, offered: bool, expected_version: int) -> Course:
    """Withdraw a course from the offer (its records keep it), or offer it again."""
    lock_for_edit(course, expected_version)
    if course.offered == offered:
        return course  # already so: nothing to record
    course.offered = offered
    course.withdrawn_at = None if offered else timezone.now()
    save_versioned(course, update_fields=["offered", "withdrawn_at", "updated_at"])
    what = "offered again" if offered else "withdrawn"
    record(
        actor, AuditAction.CHANGE, obj=course, changed_fields=["offered"], description=f"Course {what}: {course.title}"
    )
    return course


# -- A setting's training record ---------------------------------------------------------------------


def current_member(setting: Setting, user_id: int) -> Membership | None:
    """``user_id``'s membership of ``setting`` if they are one of its people now."""
    return Membership.objects.people().filter(setting=setting, user_id=user_id).select_related("user").first()


def _record_values(setting: Setting, details: Mapping[str, Any], record: TrainingRecord | None) -> dict[str, Any]:
    values = {name: details.get(name) for name in RECORD_FIELDS}
    course: Course | None = values["course"]
    if course is not None:
        kept = record is not None and record.course_id == course.pk  # a correction may keep a withdrawn course
        if course.local_authority_id != setting.local_authority_id or not (course.offered or kept):
            raise TrainingError("That course is not in the local authority's offer: choose another.")
        values["own_title"], values["own_areas"] = "", []
    else:
        values["own_title"] = (values["own_title"] or "").strip()
        if not values["own_title"]:
            raise TrainingError("Choose a course from the offer, or type the title of the setting's own training.")
        values["own_areas"] = sorted(values["own_areas"] or [])
    values["note"] = (values["note"] or "").strip()
    expires_on = values["expires_on"]
    if expires_on is not None and expires_on < values["completed_on"]:
        raise TrainingError("The expiry or refresh date must be on or after the date completed.")
    return values


def _describe(record: TrainingRecord, person: User) -> str:
    return f"{record.title} for {person.full_name or person.email}, completed {record.completed_on:%-d %B %Y}"


@transaction.atomic
def record_training(*, actor: Actor, setting: Setting, user: User, details: Mapping[str, Any]) -> TrainingRecord:
    if current_member(setting, user.pk) is None:
        raise TrainingError("That person is no longer a member of this setting: nothing was saved.")
    values = _record_values(setting, details, None)
    entry = TrainingRecord.objects.create(setting=setting, user=user, recorded_by=actor.user, **values)
    record(actor, AuditAction.CREATE, obj=entry, changed_fields=RECORD_FIELDS, description=_describe(entry, user))
    return entry


@transaction.atomic
def change_training(
    *, actor: Actor, entry: TrainingRecord, details: Mapping[str, Any], expected_version: int
) -> TrainingRecord:
    lock_for_edit(entry, expected_version)
    values = _record_values(entry.setting, details, entry)
    changed = [name for name in RECORD_FIELDS if getattr(entry, name) != values[name]]
    for name, value in values.items():
        setattr(entry, name, value)
    save_versioned(entry, update_fields=RECORD_FIELDS)
    record(actor, AuditAction.CHANGE, obj=entry, changed_fields=changed, description=_describe(entry, entry.user))
    return entry


@transaction.atomic
def remove_training(*, actor: Actor, entry: TrainingRecord, expected_version: int) -> None:
    description, entry_id = _describe(entry, entry.user), entry.pk
    delete_versioned(entry, expected_version=expected_version)
    record(
        actor, AuditAction.DELETE, object_type="training.trainingrecord", object_id=str(entry_id),
        description=description,
    )  # fmt: skip


# -- Awareness of a pupil's needs --------------------------------------------------------------------


@transaction.atomic
def confirm_awareness(*, actor: Actor, pupil: Pupil, setting: Setting, user: User, what_read: str) -> Awareness:
    """``user`` has read and understood ``pupil``'s needs: confirmed by themselves (``actor`` is
    them), or recorded for them by the SENCO (``actor`` is the SENCO)."""
    if current_member(setting, user.pk) is None:
        raise TrainingError("That person is no longer a member of this setting: nothing was saved.")
    confirmation = Awareness.objects.create(
        pupil=pupil, setting=setting, user=user, what_read=what_read, recorded_by=actor.user
    )
    by = "" if actor.user is not None and actor.user.pk == user.pk else " (recorded for them)"
    record(
        actor, AuditAction.CREATE, obj=confirmation, pupil_id=pupil.pk, changed_fields=["what_read"],
        description=f"{user.full_name or user.email} read and understood: {confirmation.get_what_read_display()}{by}",
    )  # fmt: skip
    return confirmation
