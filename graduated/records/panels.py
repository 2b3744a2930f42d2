"""The pupil page's contacts (parents, carers and others, as the setting's MIS gave them), the
link to download the pupil's Common Transfer File, and the settings the pupil's record came from:
all for those who may read the whole record. Two queries, whatever the history."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel
from graduated.records.ctf import RELATIONSHIP_CODES
from graduated.records.models import RecordTransfer, TransferStatus


def pupil_panel(pupil_access: PupilAccess) -> Panel | None:
    if not pupil_access.can(PupilPermission.VIEW_RECORD):
        return None
    contacts = [
        (contact, RELATIONSHIP_CODES.get(contact.relationship, contact.relationship))
        for contact in pupil_access.pupil.contacts.order_by("priority", "id")[:10]
    ]
    came_from = list(
        RecordTransfer.objects.filter(pupil=pupil_access.pupil, status=TransferStatus.APPROVED)
        .exclude(from_setting=pupil_access.setting)
        .order_by("-starts_on")
        .values_list("from_setting__name", "starts_on")
    )
    context = {"contacts": contacts, "pupil": pupil_access.pupil, "came_from": came_from}
    return Panel("records/_contacts_panel.html", context, order=25, column="side")
