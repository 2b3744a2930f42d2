"""Intervention groups: reached through the setting's catalogue managers, the group's deliverer,
and whoever sees the setting's register."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404

from graduated.access.actors import actor_in
from graduated.access.memberships import memberships_of
from graduated.access.organisations import setting_permissions
from graduated.access.permissions import OrganisationPermission
from graduated.provision.models import InterventionGroup

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.accounts.models import User
    from graduated.audit.services import Actor

GROUP_NEEDS = ("read", "register", "manage")


@dataclass(frozen=True)
class GroupAccess:
    user: "User"
    group: InterventionGroup
    granted: frozenset[str]

    @property
    def actor(self) -> "Actor":
        return actor_in(self.user, self.group.setting)

    def can(self, need: str) -> bool:
        return need in self.granted


def get_group_for_user(user: "User | AnonymousUser", group_id: int, need: str) -> GroupAccess:
    """An intervention group and what ``user`` may do with it (of ``GROUP_NEEDS``); 404 unless ``need``.

    manage: the setting's catalogue managers (SENCOs). register: managers, and the group's own
    deliverer while a member of its setting. read: those, and whoever sees the setting's register
    (senior leaders). A deliverer reaches the group's pupils through it, for the register only.
    """
    if need not in GROUP_NEEDS:
        raise ValueError(f"need must be one of {GROUP_NEEDS}, not {need!r}")
    groups = InterventionGroup.objects.select_related("setting__local_authority", "catalogue_item", "deliverer")
    group = groups.filter(pk=group_id).first()
    if group is None or not user.is_authenticated:
        raise Http404("No such group.")
    permissions = setting_permissions(user, group.setting)
    granted: set[str] = set()
    if OrganisationPermission.MANAGE_PROVISION_CATALOGUE in permissions:
        granted |= {"manage", "register", "read"}
    is_member = any(m.setting_id == group.setting_id for m in memberships_of(user))
    if is_member and group.deliverer_id is not None and group.deliverer_id == user.pk:
        granted |= {"register", "read"}
    if OrganisationPermission.VIEW_REGISTER in permissions:
        granted.add("read")
    if need not in granted:
        raise Http404("No such group.")
    return GroupAccess(user=user, group=group, granted=frozenset(granted))
