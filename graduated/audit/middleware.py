import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from graduated.audit.context import RequestContext, reset_context, set_context
from graduated.audit.models import AuditAction
from graduated.audit.reach import pupils_unrecorded
from graduated.audit.security import SecurityEventKind, record_security_event
from graduated.audit.services import Actor, record


class RequestContextMiddleware:
    """Gives each request an id (sent back as X-Request-ID) and remembers the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR is the proxy's address behind a load balancer; gunicorn's
        # --forwarded-allow-ips rewrites it from X-Forwarded-For for trusted proxies only.
        context = RequestContext(ip_address=request.META.get("REMOTE_ADDR") or None)
        request.request_id = context.request_id  # type: ignore[attr-defined]
        token = set_context(context)
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = context.request_id
        return response


logger = logging.getLogger("graduated.security")

# Pages about no one in particular: a refusal there is no attempt on anyone's records.
_NOT_WATCHED = {"healthz"}


class DeniedAccessMiddleware:
    """Logs a DENIED security event when a signed-in person is answered 403 or 404 on a page.

    It sits just inside AuthenticationMiddleware, so it sees every refusal the inner layers and
    the view make, CSRF's included, whichever code made it: no view has to remember. A 404 counts
    only on a URL that names an object (a pupil, an organisation, one of their records); one for
    a mistyped address says nothing about anyone's data. Static files never get this far
    (WhiteNoise answers them first). The cost is one INSERT, on refusals only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404):
            self._record(request, response.status_code)
        return response

    def _record(self, request: HttpRequest, status: int) -> None:
        match = request.resolver_match
        if match is None or match.url_name in _NOT_WATCHED or (status == 404 and not match.kwargs):
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        names = ", ".join(f"{key}={value}" for key, value in match.kwargs.items())
        detail = f"{match.view_name}" + (f" ({names})" if names else "")
        try:
            record_security_event(SecurityEventKind.DENIED, user=user, request=request, status=status, detail=detail)
        except DatabaseError:
            # The person was refused either way; a failed log line must not become a 500.
            logger.exception("Could not record a denied request to %s", request.path)


class PupilViewAuditMiddleware:
    """Writes the VIEW event for each pupil a page reached and wrote no event for (graduated.audit.reach).

    Only a success counts: a redirect or a refusal showed nothing, and a form sent back with its
    errors (400, 409) changed nothing and showed what the page's first answer already recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 300:
            unrecorded = pupils_unrecorded()
            if unrecorded:
                self._record(request, unrecorded)
        return response

    def _record(self, request: HttpRequest, unrecorded: dict[int, Actor]) -> None:
        match = request.resolver_match
        page = (match.view_name if match else request.path).replace(":", ": ").replace("_", " ")
        kwargs = dict(match.kwargs) if match else {}
        kwargs.pop("pupil_id", None)
        # The object the page is about: the last id in its address after the pupil's.
        object_id = str(list(kwargs.values())[-1]) if kwargs else ""
        for pupil_id, actor in unrecorded.items():
            record(actor, AuditAction.VIEW, object_type=page, object_id=object_id or str(pupil_id), pupil_id=pupil_id)
