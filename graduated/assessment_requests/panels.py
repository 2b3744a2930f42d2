"""The pupil page's link to the request for an EHC needs assessment, for those who may see the whole
record. 1 query (whether a request is being prepared at the reader's setting)."""

from graduated.access import PupilAccess, PupilPermission
from graduated.assessment_requests.models import PreparedRequest
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    in_preparation = PreparedRequest.objects.filter(
        pupil=access.pupil, setting=access.setting, submitted_on__isnull=True
    ).first()
    context = {
        "pupil": access.pupil,
        "in_preparation": in_preparation,
        "can_write": access.can(PupilPermission.PLAN_SUPPORT),
    }
    return Panel(template="assessment_requests/_panel.html", context=context, order=56, column="side")
