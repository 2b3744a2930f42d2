"""Refuse a request body too large to be a document upload, before anything reads it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The largest upload plus room for the other fields and the multipart framing.
_ALLOWANCE = 256 * 1024


class RequestSizeLimitMiddleware:
    """Answer 413 with a page that explains, rather than read (and store) an oversized body.

    Django calls every middleware before any view hook, so this runs before CsrfViewMiddleware
    reads the body to find the token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(settings.DOCUMENT_MAX_MB) * 1024 * 1024 + _ALLOWANCE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            context = {"max_mb": settings.DOCUMENT_MAX_MB}
            return render(request, "errors/413.html", context, status=413)
        return self.get_response(request)
