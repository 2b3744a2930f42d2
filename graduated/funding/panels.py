"""The pupil page's link to the pupil's funding records. No query: the page's query count is asserted,
and the funding page itself shows the figures."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    # Funding is part of the whole record: SENCOs and senior leaders, not linked teachers.
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    return Panel(template="funding/_panel.html", context={"pupil": access.pupil}, order=60, column="side")
