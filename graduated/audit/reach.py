"""Audit by construction: every page that opens a pupil's record writes one VIEW event for them.

The access lookups (graduated.access) note each pupil a request reaches; ``record`` notes each
pupil an event was written for. When the response shows the pupil's data and the view wrote no
event for a pupil it reached, PupilViewAuditMiddleware writes the VIEW event, named after the
page. A view may still write its own event (an EXPORT, or a VIEW naming the object it showed):
then nothing more is written. So a new page cannot forget its audit event.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from graduated.audit.context import current_context

if TYPE_CHECKING:
    from graduated.audit.services import Actor


def note_pupil_reached(actor: "Actor", pupil_id: int) -> None:
    reached = current_context().pupils_reached
    reached.setdefault(pupil_id, actor)


def note_pupils_recorded(pupil_ids: Iterable[int | None]) -> None:
    current_context().pupils_recorded.update(pupil_id for pupil_id in pupil_ids if pupil_id is not None)


def pupils_unrecorded() -> dict[int, "Actor"]:
    context = current_context()
    return {pupil_id: a for pupil_id, a in context.pupils_reached.items() if pupil_id not in context.pupils_recorded}
