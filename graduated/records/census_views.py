"""The census check page: for those who read the setting's register (SENCOs, senior leaders)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.lib import paging
from graduated.records import census_check


@require_GET
def census(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    days = census_check.census_days_around(today)
    asked = request.GET.get("day", "")
    chosen = next((day for day in days if day.key == asked), None)
    # An unknown day (typed, or from last year's bookmark) is answered with the default and said.
    unknown_day = bool(asked) and chosen is None
    chosen = chosen or census_check.default_day(days, today)
    result = census_check.check(setting, chosen)
    record(setting_access.actor, AuditAction.VIEW, object_type="census check", object_id=str(setting.pk),
           description=f"Viewed the census check of setting {setting.pk} for {chosen.day}: "
                       f"{len(result.returned)} pupils returned, {len(result.failing)} failing")  # fmt: skip
    # The pupils returned run to hundreds at a large school: 50 a page (those failing are all shown).
    returned = paging.section(request, result.returned, param="page", label="pupils returned", anchor="returned")
    context = {"setting": setting, "days": days, "result": result, "returned": returned, "unknown_day": unknown_day}
    return render(request, "records/census.html", context)
