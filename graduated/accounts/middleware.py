"""Session lifetime and caching rules for signed-in people."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SESSION_STARTED = "graduated_session_started"
SESSION_LAST_SEEN = "graduated_session_last_seen"


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            too_old = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_old:
                logout(request)
                messages.info(request, "You were signed out to keep pupils' records safe. Sign in again to carry on.")
            else:
                request.session[SESSION_LAST_SEEN] = now
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
