"""The pupil page's contacts: parents, carers and others, as the setting's MIS gave them."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel
from graduated.records.ctf import RELATIONSHIP_CODES


def pupil_panel(pupil_access: PupilAccess) -> Panel | None:
    if not pupil_access.can(PupilPermission.VIEW_RECORD):
        return None
    contacts = [
        (contact, RELATIONSHIP_CODES.get(contact.relationship, contact.relationship))
        for contact in pupil_access.pupil.contacts.order_by("priority", "id")[:10]
    ]
    return Panel("records/_contacts_panel.html", {"contacts": contacts}, order=25, column="side")
