"""The security log's search page: an LA admin sees their LA's people, the platform admin everyone."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.forms import SecurityEventSearchForm
from graduated.audit.models import SecurityEvent
from graduated.audit.security import events_for_local_authority
from graduated.organisations.models import LocalAuthority

PAGE_SIZE = 50


def _scope(request: HttpRequest, la_id: int | None) -> tuple[LocalAuthority | None, QuerySet[SecurityEvent]]:
    """Which events this person may search: 404 for anyone else, as for any organisation's page."""
    platform_admin = bool(getattr(request.user, "is_platform_admin", False))
    if la_id is None:
        if not platform_admin:
            raise Http404("No such page.")
        return None, SecurityEvent.objects.all()
    if platform_admin:
        la = LocalAuthority.objects.filter(pk=la_id).first()
        if la is None:
            raise Http404("No such local authority.")
    else:
        la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_SECURITY_EVENTS)
        la = la_access.la
    return la, events_for_local_authority(la)


@require_GET
def security_events(request: HttpRequest, la_id: int | None = None) -> HttpResponse:
    la, events = _scope(request, la_id)
    form = SecurityEventSearchForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    found = form.filter(events) if valid else events.none()
    page = Paginator(found.order_by("-occurred_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"la": la, "form": form, "page": page, "searched": form.is_bound and valid}
    # A filter typed wrongly is bad input: say what to fix, with the 400 the house rules ask for.
    return render(request, "audit/security_events.html", context, status=200 if valid else 400)
