"""The pupil page's link to the family's access. No query: the page's count is asserted."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    if not access.can(PupilPermission.PLAN_SUPPORT):
        return None
    return Panel(template="families/_panel.html", context={"pupil": access.pupil}, order=64, column="side")
