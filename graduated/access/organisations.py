"""Reaching a setting or an LA as a whole: its register, figures, catalogue, people."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from graduated.access.actors import actor_in
from graduated.access.memberships import memberships_of
from graduated.access.permissions import (
    LA_PERMISSIONS,
    LA_ROLES_OVER_SETTINGS,
    SETTING_PERMISSIONS,
    OrganisationPermission,
)
from graduated.accounts.models import User
from graduated.organisations.models import LocalAuthority, Role, Setting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.audit.services import Actor


def setting_permissions(user: "User | AnonymousUser", setting: Setting) -> frozenset[OrganisationPermission]:
    granted: set[OrganisationPermission] = set()
    for m in memberships_of(user):
        if m.setting_id == setting.pk:
            granted |= SETTING_PERMISSIONS.get(m.role, frozenset())
        elif m.local_authority_id == setting.local_authority_id:
            granted |= LA_ROLES_OVER_SETTINGS.get(m.role, frozenset())
    return frozenset(granted)


def la_permissions(user: "User | AnonymousUser", la: LocalAuthority) -> frozenset[OrganisationPermission]:
    granted: set[OrganisationPermission] = set()
    for m in memberships_of(user):
        if m.local_authority_id == la.pk:
            granted |= LA_PERMISSIONS.get(m.role, frozenset())
    return frozenset(granted)


@dataclass(frozen=True)
class OrganisationAccess:
    """What one user may do in one setting or LA, and who the audit trail names when they do it."""

    user: User
    organisation: Setting | LocalAuthority
    permissions: frozenset[OrganisationPermission]

    @property
    def setting(self) -> Setting:
        assert isinstance(self.organisation, Setting)
        return self.organisation

    @property
    def la(self) -> LocalAuthority:
        assert isinstance(self.organisation, LocalAuthority)
        return self.organisation

    @property
    def actor(self) -> "Actor":
        return actor_in(self.user, self.organisation)

    def can(self, permission: OrganisationPermission) -> bool:
        return permission in self.permissions


def _access(user: "User | AnonymousUser", organisation: Setting | LocalAuthority) -> OrganisationAccess | None:
    if not isinstance(user, User):
        return None
    if isinstance(organisation, Setting):
        return OrganisationAccess(user, organisation, setting_permissions(user, organisation))
    return OrganisationAccess(user, organisation, la_permissions(user, organisation))


def get_setting_for_user(
    user: "User | AnonymousUser", setting_id: int, permission: OrganisationPermission
) -> OrganisationAccess:
    """The setting with its access, or 404 when the user holds no role there that gives ``permission``."""
    setting = Setting.objects.select_related("local_authority").filter(pk=setting_id).first()
    found = _access(user, setting) if setting is not None else None
    if found is None or not found.can(permission):
        raise Http404("No such setting.")
    return found


def get_la_for_user(user: "User | AnonymousUser", la_id: int, permission: OrganisationPermission) -> OrganisationAccess:
    """The LA with its access, or 404 when the user holds no role there that gives ``permission``."""
    la = LocalAuthority.objects.filter(pk=la_id).first()
    found = _access(user, la) if la is not None else None
    if found is None or not found.can(permission):
        raise Http404("No such local authority.")
    return found


def get_organisation_for_user(
    user: "User | AnonymousUser", kind: str, organisation_id: int, permission: OrganisationPermission
) -> OrganisationAccess:
    if kind == "setting":
        return get_setting_for_user(user, organisation_id, permission)
    if kind == "la":
        return get_la_for_user(user, organisation_id, permission)
    raise Http404("No such organisation.")


def manageable_roles(user: "User", organisation: Setting | LocalAuthority) -> list[Role]:
    """The roles ``user`` may give in ``organisation``."""
    if isinstance(organisation, Setting):
        if OrganisationPermission.MANAGE_MEMBERS in setting_permissions(user, organisation):
            return Role.setting_roles()
        return []
    if OrganisationPermission.MANAGE_MEMBERS in la_permissions(user, organisation):
        return Role.la_roles()
    return []
