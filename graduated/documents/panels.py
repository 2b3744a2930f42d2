from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel


def pupil_panel(pupil_access: PupilAccess) -> Panel | None:
    if not pupil_access.can(PupilPermission.VIEW_RECORD):
        return None
    latest = list(pupil_access.pupil.documents.order_by("-dated", "-uploaded_at", "-id")[:3])
    context = {"latest": latest, "pupil": pupil_access.pupil}
    return Panel("documents/_panel.html", context, order=30, column="side")
