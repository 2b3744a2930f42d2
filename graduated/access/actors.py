"""Who the audit trail names: the one place that turns a person and their role into an Actor."""

from typing import TYPE_CHECKING

from graduated.access.memberships import memberships_of
from graduated.access.permissions import ROLE_STRENGTH
from graduated.accounts.models import User
from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Role, Setting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def actor(
    user: "User | AnonymousUser", role: str, *, setting_id: int | None = None, local_authority_id: int | None = None
) -> Actor:
    return Actor(
        user=user if isinstance(user, User) else None,
        role=role,
        setting_id=setting_id,
        local_authority_id=local_authority_id,
    )


def _strength(role: str) -> int:
    return ROLE_STRENGTH.index(Role(role)) if role in ROLE_STRENGTH else len(ROLE_STRENGTH)


def actor_in(user: "User | AnonymousUser", organisation: Setting | LocalAuthority) -> Actor:
    """``user`` working on ``organisation`` as a whole (a register, a catalogue, a caseload).

    In a setting: their strongest role there; an LA admin acting on one of their LA's settings without a
    role of their own there is recorded with their LA role, the setting and the LA.
    """
    memberships = memberships_of(user)
    if isinstance(organisation, Setting):
        own = sorted((m.role for m in memberships if m.setting_id == organisation.pk), key=_strength)
        if own:
            return actor(user, own[0], setting_id=organisation.pk)
        la_role = next((m.role for m in memberships if m.local_authority_id == organisation.local_authority_id), "")
        return actor(user, la_role, setting_id=organisation.pk, local_authority_id=organisation.local_authority_id)
    role = next((m.role for m in memberships if m.local_authority_id == organisation.pk), "")
    return actor(user, role, local_authority_id=organisation.pk)
