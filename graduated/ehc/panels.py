"""The pupil page's section on the requests for an EHC needs assessment that the reader's own setting
made: each request's stage and key dates. 3 queries, whatever the number of requests (the pupil
page's query count is asserted); none for readers who may not see the whole record."""

from django.utils import timezone

from graduated.access import PupilAccess, PupilPermission
from graduated.ehc.selectors import requests_for_school
from graduated.pupils.panels import Panel


def pupil_panel(access: PupilAccess) -> Panel | None:
    # The requesting school's SENCO and senior leaders see the status of their own requests; the
    # case itself (advice, reasons, exceptions) is the LA's.
    if not access.can(PupilPermission.VIEW_RECORD):
        return None
    cases = requests_for_school(access.pupil, access.setting, timezone.localdate())
    if not cases:
        return None
    return Panel(template="ehc/_panel.html", context={"cases": cases}, order=57, column="side")
