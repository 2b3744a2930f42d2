"""The pupil page's link to the professionals who have access. No query: the page's count is asserted."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    if not access.can(PupilPermission.PLAN_SUPPORT):
        return None
    return Panel(template="professionals/_panel.html", context={"pupil": access.pupil}, order=65, column="side")
