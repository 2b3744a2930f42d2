"""Creating and revoking API tokens; both audited."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from graduated.access import actor
from graduated.accounts.models import User
from graduated.api.models import PREFIX, ApiToken, hash_token, new_raw_token
from graduated.audit.models import AuditAction
from graduated.audit.services import record


@transaction.atomic
def create_token(*, owner: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """The token and its raw value, which is shown once and never stored."""
    raw = new_raw_token()
    token = ApiToken.objects.create(
        owner=owner,
        name=name,
        scope=scope,
        token_hash=hash_token(raw),
        hint=raw[len(PREFIX) : len(PREFIX) + 6],
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        actor(owner, "account"),
        AuditAction.CREATE,
        obj=token,
        description=f"API token {token.name!r}, scope {scope}, for {days} days",
    )
    return token, raw


@transaction.atomic
def revoke_token(*, owner: User, token_id: int) -> ApiToken | None:
    """Revoke one of ``owner``'s live tokens; None when there is no such token of theirs."""
    token = ApiToken.objects.select_for_update().filter(owner=owner, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor(owner, "account"), AuditAction.DELETE, obj=token, description=f"API token {token.name!r} revoked")
    return token
