"""What in a pupil's record a document can belong to: a support cycle or a meeting.

Stored on the document as "cycle:12" or "meeting:7". The documents app names the models by label,
so that it depends on no feature app, and checks that the thing belongs to the same pupil.
"""

from django.apps import apps

from graduated.access import PupilAccess, PupilPermission
from graduated.documents.models import Document
from graduated.pupils.models import Pupil

ATTACHABLE = {
    "cycle": ("support.Cycle", "support cycle"),
    "meeting": ("meetings.Meeting", "meeting"),
}


def key_for(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def describe(pupil: Pupil, value: str) -> str | None:
    """A label for ``value`` ("support cycle 3", "meeting on 4 October 2026") if it is one of the
    pupil's cycles or meetings, else None."""
    kind, _, raw_id = value.partition(":")
    if kind not in ATTACHABLE or not raw_id.isdigit():
        return None
    label, noun = ATTACHABLE[kind]
    found = apps.get_model(label).objects.filter(pk=int(raw_id), pupil=pupil).first()
    if found is None:
        return None
    if kind == "cycle":
        return f"{noun} {found.number}"
    return f"{noun} on {found.held_on:%-d %B %Y}"


def attached(pupil_access: PupilAccess, kind: str, object_id: int) -> list[Document]:
    """The documents added to this cycle or meeting, for those who may read documents at all."""
    if not pupil_access.can(PupilPermission.VIEW_RECORD):
        return []
    documents = Document.objects.filter(pupil=pupil_access.pupil, attached_to=key_for(kind, object_id))
    return list(documents.select_related("uploaded_by"))
