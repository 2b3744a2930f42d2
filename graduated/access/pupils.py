"""Staff reaching a pupil: whole-setting roles reach every enrolled pupil; teachers and TAs the
pupils a SENCO has linked them to, while the pupil is enrolled where they teach."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, Value
from django.http import Http404

from graduated.access.actors import actor
from graduated.access.memberships import memberships_of, setting_ids
from graduated.access.permissions import (
    LINKED_PUPIL_ROLES,
    PUPIL_PERMISSIONS,
    ROLE_STRENGTH,
    WHOLE_SETTING_ROLES,
    PupilPermission,
)
from graduated.audit.reach import note_pupil_reached
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Enrolment, Pupil, StaffLink

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.accounts.models import User
    from graduated.audit.services import Actor
    from graduated.pupils.models import PupilQuerySet


def visible_pupils_filter(user: "User | AnonymousUser") -> Q:
    """A filter on Pupil for the pupils ``user`` may open; matches nothing for anyone else."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    whole = setting_ids(user, WHOLE_SETTING_ROLES)
    linked = setting_ids(user, LINKED_PUPIL_ROLES)
    current = Enrolment.objects.current()
    condition = Q(pk__in=[])
    if whole:
        condition |= Q(pk__in=current.filter(setting_id__in=whole).values("pupil_id"))
    if linked:
        # The link and a current enrolment must both be in a setting where the user teaches.
        links = StaffLink.objects.filter(user=user, setting_id__in=linked)
        for setting_id in linked:
            condition |= Q(pk__in=links.filter(setting_id=setting_id).values("pupil_id")) & Q(
                pk__in=current.filter(setting_id=setting_id).values("pupil_id")
            )
    return condition


def visible_pupils(user: "User | AnonymousUser") -> "PupilQuerySet":
    """The pupils whose record ``user`` may open."""
    return Pupil.objects.filter(visible_pupils_filter(user))


@dataclass(frozen=True)
class PupilAccess:
    """What one user may do with one pupil, and in which role they do it."""

    user: "User"
    pupil: Pupil
    membership: Membership
    permissions: frozenset[PupilPermission]

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def setting(self) -> Setting:
        assert self.membership.setting is not None
        return self.membership.setting

    @property
    def actor(self) -> "Actor":
        return actor(self.user, self.role, setting_id=self.membership.setting_id)

    def can(self, permission: PupilPermission | str) -> bool:
        return permission in self.permissions

    def require(self, permission: PupilPermission) -> None:
        """Refuse with 403: the user may see this pupil, so saying so hides nothing."""
        if permission not in self.permissions:
            raise PermissionDenied("Your role does not allow this.")


def _reach(user: "User", pupil: Pupil) -> tuple[set[int], set[int]]:
    """The settings where the pupil is enrolled now, and those where a SENCO linked ``user`` to
    them: one query (a UNION) for both."""
    enrolled = Enrolment.objects.current().filter(pupil=pupil).order_by().annotate(linked=Value(False))
    linked = StaffLink.objects.filter(pupil=pupil, user=user).order_by().annotate(linked=Value(True))
    enrolled_in: set[int] = set()
    linked_in: set[int] = set()
    both = enrolled.values_list("setting_id", "linked").union(linked.values_list("setting_id", "linked"), all=True)
    for setting_id, is_link in both.order_by():
        (linked_in if is_link else enrolled_in).add(setting_id)
    return enrolled_in, linked_in


def pupil_access(user: "User | AnonymousUser", pupil: Pupil) -> PupilAccess | None:
    """How ``user`` reaches ``pupil``, or None when they may not. A check only: it writes no audit."""
    if not user.is_authenticated:
        return None
    memberships = [m for m in memberships_of(user) if m.setting_id]
    if not memberships:
        return None
    enrolled_in, linked_in = _reach(user, pupil)
    reaching = [
        m
        for m in memberships
        if m.setting_id in enrolled_in
        and (m.role in WHOLE_SETTING_ROLES or (m.role in LINKED_PUPIL_ROLES and m.setting_id in linked_in))
    ]
    if not reaching:
        return None
    reaching.sort(key=lambda m: ROLE_STRENGTH.index(Role(m.role)))
    permissions = frozenset().union(*(PUPIL_PERMISSIONS[m.role] for m in reaching))
    return PupilAccess(user=user, pupil=pupil, membership=reaching[0], permissions=permissions)


def get_pupil_for_user(
    user: "User | AnonymousUser", pupil_id: int, permission: PupilPermission = PupilPermission.VIEW_SUMMARY
) -> PupilAccess:
    """The pupil with its access, 404 if the user may not reach it, 403 if the role is too weak.

    The pupil is noted as reached in this request: the page's audit VIEW event follows from it
    (graduated.audit.reach), so no page that opens a pupil can forget to write one.
    """
    try:
        pupil = Pupil.objects.select_related("home_local_authority").get(pk=pupil_id)
    except (Pupil.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such pupil.") from error
    access = pupil_access(user, pupil)
    if access is None:
        raise Http404("No such pupil.")
    access.require(permission)
    note_pupil_reached(access.actor, pupil.pk)
    return access
