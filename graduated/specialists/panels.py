"""The pupil page's section on referrals to outside services: each referral's service, state and
waiting time. One query, whatever the number of referrals (the pupil page's query count is asserted)."""

from django.utils import timezone

from graduated.access import PupilAccess, PupilPermission
from graduated.pupils.panels import Panel
from graduated.specialists.models import Referral

SHOWN = 5  # the newest; the referrals page has them all


def pupil_panel(access: PupilAccess) -> Panel | None:
    # Referrals are part of the whole record: SENCOs and senior leaders, not linked teachers.
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    referrals = list(Referral.objects.filter(pupil=access.pupil).select_related("service"))
    context = {
        "pupil": access.pupil, "referrals": referrals[:SHOWN], "more": max(len(referrals) - SHOWN, 0),
        "today": timezone.localdate(), "can_refer": access.can(PupilPermission.PLAN_SUPPORT),
    }  # fmt: skip
    return Panel(template="specialists/_panel.html", context=context, order=58, column="side")
