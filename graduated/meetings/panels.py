"""The meetings section on the pupil page: this year's meetings, the parent-meeting warning, open actions."""

from django.db.models import Count, Q
from django.utils import timezone

from graduated import access as policy
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission
from graduated.meetings import selectors
from graduated.meetings.models import AttendeeKind, Meeting
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    """Three queries whatever the number of meetings: this year's counts, the warning, open actions."""
    if not access.can(PupilPermission.VIEW_SUMMARY):
        return None
    pupil = access.pupil
    today = timezone.localdate()
    counts = (
        Meeting.objects.filter(pupil=pupil)
        .in_academic_year(today)
        .aggregate(
            total=Count("pk", distinct=True),
            with_parents=Count("pk", distinct=True, filter=Q(attendees__kind=AttendeeKind.PARENT)),
        )
    )
    return Panel(
        template="meetings/_panel.html",
        context={
            "pupil": pupil,
            "today": today,
            "meetings_this_year": counts["total"],
            "parent_meetings": counts["with_parents"],
            "shortfall": selectors.shortfall_for_pupil(pupil, counts["with_parents"], today),
            "open_actions": selectors.open_actions_for_pupil(pupil),
            "can_record": access.can(PupilPermission.RECORD_MEETING),
            # Memberships are cached on the user for the request: this costs no query.
            "overview_setting": access.setting
            if OrganisationPermission.VIEW_REGISTER in policy.setting_permissions(access.user, access.setting)
            else None,
        },
        order=20,
        column="side",
    )
