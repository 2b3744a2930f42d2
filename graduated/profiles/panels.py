"""The one-page profile's section on the pupil page: an excerpt of the current version."""

from graduated.access import PupilAccess, PupilPermission
from graduated.profiles.models import ProfileVersion
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    """One query, whatever the number of versions."""
    if not access.can(PupilPermission.VIEW_SUMMARY):
        return None
    version = (
        ProfileVersion.objects.of_pupil(access.pupil)
        .only("number", "how_to_support", "written_on")
        .order_by("-number")
        .first()
    )
    return Panel(
        template="profiles/_panel.html",
        context={"version": version, "can_edit": access.can(PupilPermission.EDIT_PROFILE)},
        order=10,
        column="side",
    )
