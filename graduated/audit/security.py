"""Writing and reading the security log: refused pages, failed sign-ins, lockouts, resets.

``record_security_event`` is called from the sign-in, second-factor and password-reset code and by
DeniedAccessMiddleware. It is called on paths that are already failing, so it cleans what it is
given rather than refusing it: a log that raises would turn a refusal into a server error.
"""

import ipaddress
import logging
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest

from graduated.audit.context import current_context
from graduated.audit.models import SecurityEvent, SecurityEventKind

if TYPE_CHECKING:
    from graduated.organisations.models import LocalAuthority

__all__ = ["SecurityEvent", "SecurityEventKind", "events_for_local_authority", "record_security_event"]

logger = logging.getLogger("graduated.security")


def _text(value: object, limit: int) -> str:
    # PostgreSQL's text cannot hold NUL, which a hostile path or form field may carry.
    return ("" if value is None else str(value)).replace("\x00", "")[:limit]


def _ip(value: object) -> str | None:
    # The column is an inet on PostgreSQL: anything that is not an address would fail the INSERT.
    try:
        return str(ipaddress.ip_address(str(value))) if value else None
    except ValueError:
        return None


def _kind(kind: object) -> str:
    values = SecurityEventKind.values
    if kind in values:
        return str(kind)
    by_name = getattr(SecurityEventKind, str(kind).upper(), None)
    return str(by_name) if by_name is not None else SecurityEventKind.OTHER


def _account(**lookup: object) -> tuple[int, int | None, int | None] | None:
    """The account's id, and the LA and setting of its first role: one query, whether or not the
    account exists, so a failed sign-in takes as long for a known address as for an unknown one."""
    from graduated.accounts.models import User
    from graduated.organisations.models import Membership

    first_role = Membership.objects.filter(user=OuterRef("pk")).order_by("id")
    row = (
        User.objects.filter(**lookup)
        .annotate(
            la_id=Subquery(first_role.values("local_authority_id")[:1]),
            setting_la_id=Subquery(first_role.values("setting__local_authority_id")[:1]),
            first_setting_id=Subquery(first_role.values("setting_id")[:1]),
        )
        .values_list("pk", "la_id", "setting_la_id", "first_setting_id")
        .first()
    )
    if row is None:
        return None
    user_id, la_id, setting_la_id, setting_id = row
    return user_id, la_id or setting_la_id, setting_id


def record_security_event(
    kind: SecurityEventKind | str,
    *,
    user: Any = None,
    email: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
    status: int | None = None,
) -> SecurityEvent:
    """Write one security event. Never raises on what it is given: long text is cut short, an
    unknown kind is kept as OTHER (its name goes into the detail), a bad address is left out.

    ``user`` is the account concerned (an AnonymousUser counts as none); without one, the account
    with the typed ``email`` is looked up, so that an LA admin sees failed sign-ins to a member's
    account. The IP address and request id come from the request context.
    """
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    email_text = _text(email, 254).strip()
    if not email_text and user_id is not None:
        email_text = _text(getattr(user, "email", ""), 254)
    stored_kind = _kind(kind)
    if stored_kind == SecurityEventKind.OTHER and kind != SecurityEventKind.OTHER:
        detail = f"{kind}: {detail}"
    known_id = user_id if isinstance(user_id, int) else None
    if known_id is not None:
        account = _account(pk=known_id)
    else:
        account = _account(email__iexact=email_text) if email_text else None
    user_id, local_authority_id, setting_id = account or (known_id, None, None)
    context = current_context()
    meta = getattr(request, "META", {}) or {}
    return SecurityEvent.objects.create(
        kind=stored_kind,
        user_id=user_id,
        email=email_text,
        local_authority_id=local_authority_id,
        setting_id=setting_id,
        ip_address=_ip(context.ip_address or meta.get("REMOTE_ADDR")),
        request_id=_text(context.request_id or getattr(request, "request_id", ""), 64),
        method=_text(getattr(request, "method", ""), 10),
        path=_text(getattr(request, "path", ""), 300),
        status=status if isinstance(status, int) and 0 < status < 1000 else None,
        detail=_text(detail, 300),
    )


def events_for_local_authority(la: "LocalAuthority") -> QuerySet[SecurityEvent]:
    """The events of the LA's people: whoever holds a role in the LA or one of its settings now,
    and whoever held one there when the event happened."""
    from graduated.organisations.models import Membership

    members = Membership.objects.filter(Q(local_authority=la) | Q(setting__local_authority=la)).values("user_id")
    return SecurityEvent.objects.filter(Q(user_id__in=members) | Q(local_authority_id=la.pk))
