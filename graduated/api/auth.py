"""Token authentication and the per-token rate limit for the JSON API.

A token acts as its owner, with the owner's memberships as they are now, so every endpoint asks
the same access policy as the pages do. The token is the whole credential: it was created by
someone who had passed the second factor, so API calls are not sent to the second step
(SecondFactorRequiredMiddleware lets through views marked login_not_required, as the API's are).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from graduated.api.models import PREFIX, ApiToken, hash_token


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many requests: retry after {retry_after} seconds.")


class WriteScopeRequired(Exception):
    pass


@dataclass(frozen=True)
class Caller:
    token: ApiToken

    @property
    def user(self) -> Any:
        return self.token.owner


def _count_call(token: ApiToken) -> None:
    """One call under a fixed one-minute window, counted by conditional UPDATEs so that calls
    arriving together cannot all slip under the limit."""
    now = timezone.now()
    window = now.replace(second=0, microsecond=0)
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    rows = ApiToken.objects.filter(pk=token.pk, window_start=window, window_count__lt=limit)
    if rows.update(window_count=F("window_count") + 1, last_used_at=now):
        return
    fresh = ApiToken.objects.filter(pk=token.pk).filter(Q(window_start__isnull=True) | Q(window_start__lt=window))
    if fresh.update(window_start=window, window_count=1, last_used_at=now):
        return
    retry_after = max(1, int((window + timedelta(minutes=1) - now).total_seconds()) + 1)
    raise RateLimited(retry_after)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer grd_…``; refused (401) when unknown, expired, revoked or the owner is inactive."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        if not token.startswith(PREFIX) or len(token) > 200:
            return None
        found = (
            ApiToken.objects.live()
            .select_related("owner")
            .filter(token_hash=hash_token(token), owner__is_active=True)
            .first()
        )
        if found is None:
            return None
        _count_call(found)
        # The owner stands for the request, as a signed-in person does on a page: the refusal log
        # (DeniedAccessMiddleware) and the no-store header then treat token calls as they treat pages.
        request.user = found.owner
        return Caller(token=found)


def caller(request: HttpRequest) -> Caller:
    auth = request.auth  # type: ignore[attr-defined]
    assert isinstance(auth, Caller)
    return auth


def writer(request: HttpRequest) -> Caller:
    """The caller of a write endpoint: a read-only token gets 403."""
    found = caller(request)
    if not found.token.can_write:
        raise WriteScopeRequired
    return found
