"""The limits on guessing: sign-in, the second-factor step and password reset (see throttle.py).

Sign-in is limited by the pair (e-mail address typed, client IP address), never by the address
alone: otherwise anyone could keep a SENCO out of their account by typing their address wrongly
from elsewhere. A second, looser limit per IP address across all addresses stops one machine from
trying a common password against many accounts ("spraying"); it is loose because a whole school
often shares one address. Messages are the same whether or not an account has the address, so a
lock says nothing about which addresses exist. A successful sign-in clears the pair's failures.

The client IP is REMOTE_ADDR, as in the audit trail (behind a proxy, have it pass the client's
address on).
"""

import unicodedata

from django.conf import settings

from graduated.accounts.throttle import Limit


def key_for(username: str) -> str:
    return unicodedata.normalize("NFKC", username.strip()).casefold()[:254]


def pair_key(username: str, ip_address: str | None) -> str:
    return f"{key_for(username)}|{ip_address or ''}"


def ip_key(ip_address: str | None) -> str:
    return ip_address or ""


def sign_in_pair() -> Limit:
    return Limit("sign-in", settings.SIGN_IN_MAX_FAILURES, settings.SIGN_IN_LOCKOUT_MINUTES)


def sign_in_ip() -> Limit:
    return Limit("sign-in-ip", settings.SIGN_IN_MAX_FAILURES_PER_IP, settings.SIGN_IN_LOCKOUT_MINUTES)


def second_factor_account() -> Limit:
    return Limit("second-factor", settings.SECOND_FACTOR_MAX_FAILURES, settings.SIGN_IN_LOCKOUT_MINUTES)


def second_factor_ip() -> Limit:
    return Limit("second-factor-ip", settings.SECOND_FACTOR_MAX_FAILURES_PER_IP, settings.SIGN_IN_LOCKOUT_MINUTES)


def password_reset_address() -> Limit:
    return Limit("reset", settings.PASSWORD_RESET_MAX_PER_ADDRESS, 60)


def password_reset_ip() -> Limit:
    return Limit("reset-ip", settings.PASSWORD_RESET_MAX_PER_IP, 60)
