"""Refuse a request body too large to be an upload, before anything reads it."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

# The largest upload plus room for the other fields and the multipart framing.
_ALLOWANCE = 256 * 1024
_DEFAULT_LIMIT = "DOCUMENT_MAX_MB"
ViewT = TypeVar("ViewT", bound=Callable[..., Any])


def upload_limit(setting_name: str) -> Callable[[ViewT], ViewT]:
    """Let a view take uploads up to the setting ``setting_name`` (in MB) instead of DOCUMENT_MAX_MB:
    ``@upload_limit("IMPORT_MAX_MB")`` for a file of a whole school's pupils."""

    def mark(view: ViewT) -> ViewT:
        view.upload_limit_setting = setting_name  # type: ignore[attr-defined]
        return view

    return mark


def _limit_mb(name: str) -> int:
    return int(getattr(settings, name))


class RequestSizeLimitMiddleware:
    """Answer 413 with a page that explains, rather than read (and store) an oversized body.

    Django calls every middleware before any view hook, so this runs before CsrfViewMiddleware
    reads the body to find the token. Only a body over the usual limit looks up its view, to see
    whether that view takes larger uploads (``upload_limit``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit_mb = _limit_mb(_DEFAULT_LIMIT)
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit_mb * 1024 * 1024 + _ALLOWANCE:
            try:
                view = resolve(request.path_info).func
            except Resolver404:
                view = None
            limit_mb = _limit_mb(getattr(view, "upload_limit_setting", _DEFAULT_LIMIT))
        if declared > limit_mb * 1024 * 1024 + _ALLOWANCE:
            return render(request, "errors/413.html", {"max_mb": limit_mb}, status=413)
        return self.get_response(request)
