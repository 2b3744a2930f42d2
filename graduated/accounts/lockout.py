"""Locking out repeated failed sign-ins, by the pair (e-mail address typed, client IP address).

Never by the address alone: otherwise anyone could keep a SENCO out of their account by typing their
address wrongly from elsewhere. After SIGN_IN_MAX_FAILURES failures within SIGN_IN_LOCKOUT_MINUTES,
that pair may not sign in until the oldest failure in the window is older than the window, even with
the right password. The message is the same whether or not an account has the address, so the lock
says nothing about which addresses exist. A successful sign-in clears the pair's failures; a password
reset is never locked. The client IP is REMOTE_ADDR, as in the audit trail (behind a proxy, have it
pass the client's address on).
"""

import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from graduated.accounts.models import SignInFailure


def key_for(username: str) -> str:
    return unicodedata.normalize("NFKC", username.strip()).casefold()[:254]


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def is_locked(username: str, ip_address: str | None) -> bool:
    recent = SignInFailure.objects.filter(
        username_key=key_for(username), ip_address=ip_address, at__gte=_window_start()
    )
    return recent.count() >= settings.SIGN_IN_MAX_FAILURES


def record_failure(username: str, ip_address: str | None) -> None:
    key = key_for(username)
    # Failures older than the window no longer count: forget them as new ones come in.
    SignInFailure.objects.filter(username_key=key, ip_address=ip_address, at__lt=_window_start()).delete()
    SignInFailure.objects.create(username_key=key, ip_address=ip_address)


def clear(username: str, ip_address: str | None) -> None:
    SignInFailure.objects.filter(username_key=key_for(username), ip_address=ip_address).delete()
