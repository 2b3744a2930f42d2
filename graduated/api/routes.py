"""The API's URL patterns, each view marked as needing no session: the token is the credential.

LoginRequiredMiddleware would send a token call to the sign-in page, and SecondFactorRequiredMiddleware
to the second step; both let through views marked login_not_required. ninja's views are already
CSRF-exempt (a bearer token is not sent by a browser on its own, so there is nothing to forge), and
an API call without a valid token is answered 401 by the API itself. A method the path does not
take is answered 405 in JSON too, not with Django's plain page.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver

from graduated.api.api import api


def _json_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            answer = JsonResponse(
                {"detail": f"Method {request.method} is not allowed here: use {allowed}.", "field": None}, status=405
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapped


def _mark(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _mark(pattern.url_patterns)
        else:
            pattern.callback = login_not_required(_json_405(pattern.callback))
    return patterns


def v1_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    return _mark(list(patterns)), app_name, namespace
