from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from graduated.audit.context import RequestContext, reset_context, set_context


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
