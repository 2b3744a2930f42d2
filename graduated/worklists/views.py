from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationPermission
from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib import paging
from graduated.worklists.caseload import SOON, caseload
from graduated.worklists.selectors import linked_pupils_with_plans

# Each section of the caseload: its name in ``caseload``, its page parameter (and anchor), what it lists.
SECTIONS = [
    ("reviews_overdue", "overdue-reviews", "overdue reviews"),
    ("reviews_soon", "reviews-soon", "reviews due soon"),
    ("incomplete_plans", "incomplete", "plans not finished"),
    ("unacknowledged", "unread", "plans not yet read"),
    ("short_of_meetings", "parent-meetings", "pupils short of parent meetings"),
    ("overdue_actions", "actions", "overdue actions"),
    ("open_concerns", "concerns", "concerns waiting"),
    ("look_again", "look-again", "monitored pupils due a second look"),
]


@require_GET
def setting_caseload(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    sections = caseload(setting, today)
    # The caseload names pupils: looking at it is a view of pupil data, audited once.
    record(
        setting_access.actor,
        AuditAction.VIEW,
        object_type="caseload",
        object_id=str(setting.pk),
        description=f"SENCO caseload of {setting.name}",
    )
    # Each section a page at a time (its own ``?<section>=``), counted whole: a school's lists run to hundreds.
    paged = {
        name: paging.section(request, sections[name], param=param, label=label, anchor=param)
        for name, param, label in SECTIONS
    }
    context = {"setting": setting, "today": today, "soon_days": SOON.days, **paged}
    return render(request, "worklists/caseload.html", context)


@require_GET
def my_pupils(request: HttpRequest) -> HttpResponse:
    """A teacher's or TA's pupils: needs, the current plan's outcomes and strategies, and the
    provision they deliver, with a link to log a session. A fixed number of queries."""
    user = request.user
    assert isinstance(user, User)  # signed in: LoginRequiredMiddleware
    pupils = linked_pupils_with_plans(user)
    if pupils:  # a list of pupils' needs and plans, audited once like the register
        # Ids, never names: audit rows outlive a pupil's record (retention) and must not carry them.
        ids = ", ".join(str(pupil.pk) for pupil in pupils)
        description = f"My pupils: {len(pupils)} (ids {ids})"[:300]
        record(Actor(user=user), AuditAction.VIEW, object_type="my pupils", description=description)
    return render(request, "worklists/my_pupils.html", {"pupils": pupils, "user": user})
