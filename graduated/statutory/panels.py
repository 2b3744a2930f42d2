"""The My Support Plan's section on the pupil page: the current version, its next review, a link."""

from django.utils import timezone

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel
from graduated.statutory.models import PlanVersion


def pupil_panel(access: PupilAccess) -> Panel | None:
    """One query, whatever the number of versions; none for those who may not read the plan."""
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    version = (
        PlanVersion.objects.of_pupil(access.pupil)
        .only("number", "agreed_on", "next_review_on")
        .order_by("-number")
        .first()
    )
    return Panel(
        template="statutory/plan_panel.html",
        context={
            "version": version,
            "today": timezone.localdate(),
            "can_edit": access.can(PupilPermission.PLAN_SUPPORT),
        },
        order=15,
        column="side",
    )
