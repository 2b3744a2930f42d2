"""The pupil page's section on SEN support: the current cycle, its outcomes and the strategies."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel
from graduated.support import selectors


def pupil_panel(access: PupilAccess) -> Panel | None:
    # Everyone who reaches the pupil works with them, and the plan is what they need to know.
    if not access.can(PupilPermission.VIEW_SUMMARY):
        return None
    context = {"pupil": access.pupil, **selectors.panel_data(access.pupil)}
    return Panel(template="support/_panel.html", context=context, order=20, column="main")
