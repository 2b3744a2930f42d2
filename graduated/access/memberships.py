"""A person's roles, read once per request."""

from typing import TYPE_CHECKING

from graduated.organisations.models import Membership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.accounts.models import User


def memberships_of(user: "User | AnonymousUser") -> list[Membership]:
    """Cached on the user object, which Django builds afresh for each request, so that a removed
    member loses access on their next request."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("setting", "local_authority"))
        user._memberships_cache = cached  # type: ignore[attr-defined]
    return cached


def setting_ids(user: "User", roles: tuple[str, ...]) -> list[int]:
    return [m.setting_id for m in memberships_of(user) if m.role in roles and m.setting_id]
