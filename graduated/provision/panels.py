"""The pupil page's link to the pupil's costed provision map.

No query: the pupil page's query count is asserted, and the map itself shows the figures (this
year's total and whether it passes £6,000) in a fixed number of queries of its own.
"""

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    # Costs are part of the whole record: SENCOs and senior leaders, not linked teachers.
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    return Panel(template="provision/_pupil_panel.html", context={"pupil": access.pupil}, order=55, column="side")
