"""What the sign-in steps tell the security log, and whom they take the client to be."""

import logging
from typing import TYPE_CHECKING

from django.http import HttpRequest

from graduated.audit import security

if TYPE_CHECKING:
    from graduated.accounts.models import User

logger = logging.getLogger("graduated.security")


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR, as in the audit trail: behind a proxy, have it pass the client's address on."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_security_event(
    kind: str, *, request: HttpRequest | None, email: str = "", user: "User | None" = None, detail: str = ""
) -> None:
    """A failed or refused step of signing in, for the LA admin's and platform admin's security log.

    ``kind`` names a member of the audit app's SecurityEventKind (SIGN_IN_FAILED, ...).
    """
    logger.warning("security event %s: email=%r user=%s ip=%s %s", kind, email, user.pk if user else None,
                   client_ip(request), detail)  # fmt: skip
    security.record_security_event(
        getattr(security.SecurityEventKind, kind), request=request, email=email, user=user, detail=detail
    )
