"""A form sent twice saves once: every form carries a one-time token, spent by the first request.

``{% form_token %}`` (templatetags/form_token.py) puts Django's CSRF input and a fresh random token
in a form; every POST form here uses it instead of ``{% csrf_token %}`` (a test scans the
templates). ``SubmitOnceMiddleware`` claims the token before the view runs by inserting its digest
into a unique column (``SubmissionClaim``), so of two requests with the same token exactly one
runs the view, on SQLite and PostgreSQL alike. The other (a double click, a browser resending, a
retry after a lost answer) is answered from the first instead:

- the first answered with a redirect, as every form that saved something does here
  (post/redirect/get): the same redirect, with a message that nothing was saved twice;
- the first is still running: it waits up to SUBMIT_ONCE_WAIT_SECONDS for that answer, then gets
  a 409 page that explains.

Any other answer (a form sent back with errors, a refusal, an error page) saved nothing, so the
claim is released and the same token may be sent again; a page drawn again has a new one anyway.

Not claimed: a POST without a token (API clients, tests posting directly), and the sign-in pages
(views marked login_not_required or second_factor_not_required). What they produce is the session
cookie on their answer, which a replayed redirect cannot give the second request, and they create
no records.
"""

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from graduated.lib.models import SubmissionClaim

FIELD = "form_token"
ALREADY_SENT = "This form had already been sent; nothing was saved twice."
# What new_token() makes; anything else was not drawn by this service and is ignored.
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{43}")
_POLL_SECONDS = 0.2
_DIGEST_ATTRIBUTE = "_submit_once_digest"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _digest(token: str, user_id: object) -> str:
    # The person's id too: a token seen by someone else cannot spend, or read the answer of, theirs.
    return hashlib.sha256(f"{user_id}:{token}".encode()).hexdigest()


def _claimed(digest: str) -> bool:
    """Spend the token, or find it spent. A committed row of its own, before the view starts."""
    try:
        with transaction.atomic():
            SubmissionClaim.objects.create(digest=digest)
    except IntegrityError:
        return False
    return True


def _first_answer(digest: str) -> str | None:
    """The first request's redirect; "" while it is still running; None if it has been released."""
    return SubmissionClaim.objects.filter(digest=digest).values_list("location", flat=True).first()


def _pause() -> None:
    time.sleep(_POLL_SECONDS)


def _settle(request: HttpRequest, response: HttpResponse | None) -> None:
    digest = getattr(request, _DIGEST_ATTRIBUTE, None)
    if digest is None:
        return
    claim = SubmissionClaim.objects.filter(digest=digest)
    location = ""
    if response is not None and 300 <= response.status_code < 400:
        location = response.headers.get("Location", "")
    if location:
        claim.update(location=location)
    else:
        claim.delete()


class SubmitOnceMiddleware:
    """Claims a form's token after the CSRF, sign-in and second-factor checks (process_view runs
    in MIDDLEWARE order, and this comes after them), so a refused request spends nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            _settle(request, None)
            raise
        _settle(request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        token = request.POST.get(FIELD, "")
        if not _WELL_FORMED.fullmatch(token):
            return None
        if getattr(view_func, "login_required", True) is False:
            return None
        if getattr(view_func, "second_factor_required", True) is False:
            return None
        digest = _digest(token, request.user.pk)
        deadline = time.monotonic() + settings.SUBMIT_ONCE_WAIT_SECONDS
        while True:
            if _claimed(digest):
                setattr(request, _DIGEST_ATTRIBUTE, digest)
                return None
            location = _first_answer(digest)
            if location:
                messages.info(request, ALREADY_SENT)
                return HttpResponseRedirect(location)
            if time.monotonic() >= deadline:
                return render(request, "errors/409_still_sending.html", status=409)
            if location is not None:
                _pause()
            # None: the first request was sent back and released its claim; try to claim it again.


def purge_claims(now: datetime | None = None, *, dry_run: bool = False) -> int:
    """Forget tokens spent more than a day ago (or the longest session, if longer).

    No form that old can come back: signing in again gives a new CSRF token, and the page's old
    one is refused before its token is looked at.
    """
    keep = max(timedelta(days=1), timedelta(hours=settings.SESSION_MAX_HOURS))
    old = SubmissionClaim.objects.filter(claimed_at__lt=(now or timezone.now()) - keep)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
