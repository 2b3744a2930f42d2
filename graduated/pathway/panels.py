"""The pathway section of the pupil page: current stage, open concerns, and raising a concern."""

from graduated.access import PupilAccess, PupilPermission
from graduated.pathway import selectors
from graduated.pupils.codes import SENProvision
from graduated.pupils.panels import Panel
from graduated.pupils.services import current_status


def pupil_panel(access: PupilAccess) -> Panel | None:
    if not access.can(PupilPermission.VIEW_SUMMARY):
        return None
    can_plan = access.can(PupilPermission.PLAN_SUPPORT)
    # One more query, for the SENCO only: whether "Remove from SEN support" applies.
    status = current_status(access.pupil) if can_plan else None
    context = {
        "pupil": access.pupil,
        **selectors.pupil_pathway(access.pupil, access.setting.local_authority_id),
        "can_raise": access.can(PupilPermission.RAISE_CONCERN),
        "can_plan": can_plan,
        "can_remove": status is not None and status.status == SENProvision.SEN_SUPPORT,
    }
    return Panel(template="pathway/_panel.html", context=context, order=10, column="main")
