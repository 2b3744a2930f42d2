"""Pages that belong to no one domain: home, health check, accessibility statement, errors."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from graduated import access
from graduated.access import WrittenElsewhere
from graduated.accounts.middleware import second_factor_not_required
from graduated.accounts.models import User
from graduated.lib.context_processors import navigation_for
from graduated.worklists.today import today_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Staff and LA people: their work today (graduated/worklists/today.py). People with no role
    (families, outside professionals) go straight to their one place, or get the list of places."""
    places = [item for item in navigation_for(request) if item.label != "Home"]
    user = request.user
    assert isinstance(user, User)  # signed in: LoginRequiredMiddleware
    sections = today_for(user, timezone.localdate()) if access.memberships_of(user) else []
    if not sections and len(places) == 1:
        return redirect(places[0].url)
    return render(request, "lib/home.html", {"places": places, "sections": sections})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "lib/accessibility.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A part of the record another setting wrote is refused for what it is, not for the role.
    written_elsewhere = str(exception) if isinstance(exception, WrittenElsewhere) else ""
    return render(request, "errors/403.html", {"written_elsewhere": written_elsewhere}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: they query the database, which may be what failed.
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


@login_not_required
@second_factor_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The footer's language switch: Django's own view, open before signing in (a family may need
    Welsh to sign in at all). It keeps the choice in a cookie and goes back to the same page."""
    return i18n.set_language(request)
