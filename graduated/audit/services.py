"""Writing the audit trail. Services and views call ``record``; nothing else writes AuditEvent.

A page that opens a pupil's record need not call it: its VIEW event follows from the access lookup
(graduated.audit.reach). ``record_pupil_view`` is for a page that names what it showed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

from graduated.audit.context import current_context
from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.reach import note_pupils_recorded

if TYPE_CHECKING:
    from graduated.access.pupils import PupilAccess
    from graduated.accounts.models import User


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which role and organisation; ``user`` is None for the system itself."""

    user: "User | None"
    role: str = ""
    setting_id: int | None = None
    local_authority_id: int | None = None

    @classmethod
    def system(cls, role: str = "system") -> "Actor":
        return cls(user=None, role=role)


def record(
    actor: Actor,
    action: AuditAction,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    pupil_id: int | None = None,
    description: str = "",
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    context = current_context()
    note_pupils_recorded([pupil_id])
    return AuditEvent.objects.create(
        actor_id=actor.user.pk if actor.user else None,
        actor_email=actor.user.email if actor.user else "",
        actor_role=actor.role,
        setting_id=actor.setting_id,
        local_authority_id=actor.local_authority_id,
        pupil_id=pupil_id,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
        description=description[:300],
        changed_fields=sorted(changed_fields),
        ip_address=context.ip_address,
        request_id=context.request_id,
    )


@dataclass(frozen=True, slots=True)
class Entry:
    """One event of a batch written by ``record_many``: what ``record`` takes, without the actor."""

    action: AuditAction
    object_type: str
    object_id: str = ""
    pupil_id: int | None = None
    description: str = ""
    changed_fields: tuple[str, ...] = ()


def record_many(actor: Actor, entries: Iterable[Entry]) -> int:
    """Write many events for one actor at once (an import changes thousands of pupils): each row
    is what ``record`` would have written, inserted in one statement. Returns how many were written."""
    from graduated.lib.bulk import insert

    context = current_context()
    now = timezone.now()
    user_id, email = (actor.user.pk, actor.user.email) if actor.user else (None, "")
    rows = [
        (now, user_id, email, actor.role, actor.setting_id, actor.local_authority_id, entry.pupil_id, entry.action,
         entry.object_type, entry.object_id, entry.description[:300], sorted(entry.changed_fields),
         context.ip_address, context.request_id)
        for entry in entries
    ]  # fmt: skip
    insert(AuditEvent, _EVENT_FIELDS, rows)
    note_pupils_recorded(row[6] for row in rows)
    return len(rows)


_EVENT_FIELDS = (
    "occurred_at", "actor_id", "actor_email", "actor_role", "setting_id", "local_authority_id", "pupil_id", "action",
    "object_type", "object_id", "description", "changed_fields", "ip_address", "request_id",
)  # fmt: skip


def record_pupil_view(pupil_access: "PupilAccess", what: str, object_id: str = "") -> AuditEvent:
    """The one audit event a page showing a pupil's data writes: ``what`` was seen, by whom."""
    pupil_id = pupil_access.pupil.pk
    return record(
        pupil_access.actor, AuditAction.VIEW, object_type=what, object_id=object_id or str(pupil_id), pupil_id=pupil_id
    )
