"""Creating and revoking API tokens, personal or for a service; all audited.

A **personal** token acts as the person who made it, with their roles as they are at each call.
A **service** token (for a system such as the MIS sync) acts for one setting or LA: it gets an
account of its own (``User.is_service``: no password, it cannot sign in) with one membership, the
service role (docs/permissions.md: a setting's records to read, and pupils' details, needs and SEN
status to change; an LA's figures and cases to read). It keeps working when the person who made it
leaves; any SENCO of the setting (or LA admin of the LA) sees it and may revoke it, which ends the
account.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from graduated.access import actor, actor_in, memberships_of
from graduated.accounts.models import User
from graduated.api.models import PREFIX, ApiToken, hash_token, new_raw_token
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting

# Who may make tokens: those who run a setting's SEND record or an LA's set-up. A token carries
# its owner's access and no more, so this only keeps the number of credentials small.
TOKEN_ROLES = {Role.SENCO, Role.LA_ADMIN}
Organisation = Setting | LocalAuthority


def organisations_for_service_tokens(user: User) -> list[Organisation]:
    """The settings and LAs where ``user`` may make (and revoke) service tokens."""
    found: list[Organisation] = []
    for membership in memberships_of(user):
        if membership.role in TOKEN_ROLES:
            found.append(membership.setting or membership.local_authority)  # type: ignore[arg-type]
    return found


def _token(owner: User, made_by: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    raw = new_raw_token()
    token = ApiToken.objects.create(
        owner=owner, made_by=made_by, name=name, scope=scope, token_hash=hash_token(raw),
        hint=raw[len(PREFIX) : len(PREFIX) + 6], expires_at=timezone.now() + timedelta(days=days),
    )  # fmt: skip
    return token, raw


@transaction.atomic
def create_token(*, owner: User, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A personal token and its raw value, which is shown once and never stored."""
    token, raw = _token(owner, owner, name, scope, days)
    record(
        actor(owner, "account"), AuditAction.CREATE, obj=token,
        description=f"API token {token.name!r}, scope {scope}, for {days} days",
    )  # fmt: skip
    return token, raw


@transaction.atomic
def create_service_token(
    *, made_by: User, organisation: Organisation, name: str, scope: str, days: int
) -> tuple[ApiToken, str]:
    """A service token for ``organisation`` (one of ``organisations_for_service_tokens(made_by)``)."""
    account = User.objects.create(
        email=f"service-{secrets.token_hex(8)}@service.invalid", full_name=f"{name} (service token)", is_service=True
    )
    account.set_unusable_password()
    account.save(update_fields=["password"])
    where = {"setting": organisation} if isinstance(organisation, Setting) else {"local_authority": organisation}
    Membership.objects.create(user=account, role=Role.SERVICE, **where)
    token, raw = _token(account, made_by, name, scope, days)
    record(
        actor_in(made_by, organisation), AuditAction.CREATE, obj=token,
        description=f"API service token {token.name!r} for {organisation.name}, scope {scope}, for {days} days",
    )  # fmt: skip
    return token, raw


def tokens_for(user: User) -> QuerySet[ApiToken]:
    """The tokens ``user`` sees and may revoke: their own, and the service tokens of the settings
    and LAs where they may make them."""
    organisations = organisations_for_service_tokens(user)
    settings_ = [o.pk for o in organisations if isinstance(o, Setting)]
    las = [o.pk for o in organisations if isinstance(o, LocalAuthority)]
    service = Q(owner__is_service=True) & (
        Q(owner__memberships__setting_id__in=settings_) | Q(owner__memberships__local_authority_id__in=las)
    )
    return (
        ApiToken.objects.filter(Q(owner=user) | service)
        .select_related("owner", "made_by")
        .prefetch_related("owner__memberships__setting", "owner__memberships__local_authority")
        .distinct()
        .order_by("-created_at")
    )


@transaction.atomic
def revoke_token(*, owner: User, token_id: int) -> ApiToken | None:
    """Revoke one of the live tokens ``owner`` may revoke (see ``tokens_for``); None when there is
    no such token. A service token's account is ended with it."""
    token = tokens_for(owner).filter(pk=token_id, revoked_at__isnull=True).first()
    if token is None or ApiToken.objects.select_for_update().filter(pk=token.pk, revoked_at__isnull=True).count() == 0:
        return None
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    if token.owner.is_service:
        User.objects.filter(pk=token.owner_id).update(is_active=False)
    record(actor(owner, "account"), AuditAction.DELETE, obj=token, description=f"API token {token.name!r} revoked")
    return token
