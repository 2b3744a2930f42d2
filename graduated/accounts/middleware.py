"""Session lifetime, caching rules and the second step of signing in, for signed-in people."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from graduated.accounts import second_factor

SESSION_STARTED = "graduated_session_started"
SESSION_LAST_SEEN = "graduated_session_last_seen"


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS in all.

    The time of the last request is written to the session at most once every
    SESSION_REFRESH_SECONDS, not on every request: a write is a database UPDATE (and, on SQLite, a
    commit) that most pages would otherwise make for nothing else. The time kept is therefore up
    to that much older than the last request, so a session ends up to SESSION_REFRESH_SECONDS
    before SESSION_IDLE_MINUTES of real idleness, never after.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get(SESSION_STARTED)
            if started is None:
                started = session[SESSION_STARTED] = now
            last_seen = session.get(SESSION_LAST_SEEN)
            idle = last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            too_old = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_old:
                logout(request)
                messages.info(request, "You were signed out to keep pupils' records safe. Sign in again to carry on.")
            elif last_seen is None or not 0 <= now - last_seen < settings.SESSION_REFRESH_SECONDS:
                # (A time in the future, from a clock set back, is replaced rather than trusted.)
                session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in person hold pupils' data: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


def second_factor_not_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the pages of the second step itself (and signing out): a password is enough to reach them."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


class SecondFactorRequiredMiddleware:
    """Default-deny for the second step, as LoginRequiredMiddleware is for the first: a signed-in
    person who has not given a code yet reaches only pages open to everyone and the second step's
    own pages, never one that could show a pupil. A browser remembered for this person counts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or second_factor.is_verified(request.session):
            return None
        if getattr(view_func, "login_required", True) is False:
            return None
        if getattr(view_func, "second_factor_required", True) is False:
            return None
        user = request.user
        if (
            second_factor.REMEMBER_COOKIE in request.COOKIES
            and second_factor.is_enrolled(user)
            and second_factor.recognised_device(request, user)
        ):
            second_factor.mark_verified(request, second_factor.Method.REMEMBERED)
            return None
        enrolled = second_factor.is_enrolled(user)
        if not enrolled and second_factor.is_optional_for(user):
            second_factor.mark_verified(request, second_factor.Method.NOT_ASKED)
            return None
        target = "accounts:second_factor" if enrolled else "accounts:second_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(target))
