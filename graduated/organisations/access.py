"""The access policy: the one place that decides who may see and change what.

Every view, export and (later) API endpoint asks this module. Rules:

* SENCOs and senior leaders reach every pupil with a current enrolment in their setting.
* Teachers and teaching assistants reach the pupils a SENCO has linked them to, while the pupil is
  enrolled in the setting where they hold that role; they see the pupil's summary (needs, and in
  later features outcomes and strategies), not the whole record.
* LA officers and admins see aggregate figures for their LA's settings, not pupils (yet).
* Outside professionals reach a named pupil only through a live, scoped grant, and only on the
  professionals app's own pages (``get_pupil_for_professional``); never through a PupilAccess.
* Anyone else gets 404 for a pupil: never a hint that the pupil exists.

A user's memberships are read once per request (cached on the user object, which Django builds
afresh for each request), so a removed member loses access on their next request.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from graduated.organisations.models import LocalAuthority, Membership, Role, Setting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.accounts.models import User
    from graduated.audit.services import Actor
    from graduated.professionals.models import ProfessionalGrant
    from graduated.provision.models import InterventionGroup
    from graduated.pupils.models import Pupil


class PupilPermission(StrEnum):
    VIEW_SUMMARY = "view_summary"  # key facts, current status and needs, outcomes, strategies
    VIEW_RECORD = "view_record"  # the whole record: chronology and histories
    EDIT = "edit"  # details, enrolment, status, needs, staff links
    VIEW_AUDIT = "view_audit"  # who viewed or changed the record
    RAISE_CONCERN = "raise_concern"  # raise a concern about the pupil
    PLAN_SUPPORT = "plan_support"  # decide on concerns, change the stage, run APDR cycles and reviews
    LOG_DELIVERY = "log_delivery"  # record that provision was delivered or missed
    EDIT_PROFILE = "edit_profile"  # write a new version of the one-page profile
    RECORD_MEETING = "record_meeting"  # record meetings with parents and professionals


class OrganisationPermission(StrEnum):
    VIEW_REGISTER = "view_register"
    EXPORT_REGISTER = "export_register"
    ADD_PUPIL = "add_pupil"
    MANAGE_MEMBERS = "manage_members"
    VIEW_LA_FIGURES = "view_la_figures"
    # The setting's (or the LA's shared) intervention catalogue; a setting's groups and staff costs.
    MANAGE_CATALOGUE = "manage_catalogue"
    MANAGE_FUNDING = "manage_funding"  # top-up applications and early years funding awards
    VIEW_SECURITY_EVENTS = "view_security_events"  # the security log of the LA's people (graduated.audit)


_P = PupilPermission
PUPIL_PERMISSIONS: dict[str, frozenset[PupilPermission]] = {
    Role.SENCO: frozenset(
        {
            _P.VIEW_SUMMARY,
            _P.VIEW_RECORD,
            _P.EDIT,
            _P.VIEW_AUDIT,
            _P.RAISE_CONCERN,
            _P.PLAN_SUPPORT,
            _P.LOG_DELIVERY,
            _P.EDIT_PROFILE,
            _P.RECORD_MEETING,
        }
    ),
    Role.SENIOR_LEADER: frozenset({_P.VIEW_SUMMARY, _P.VIEW_RECORD, _P.VIEW_AUDIT}),
    Role.TEACHER: frozenset({_P.VIEW_SUMMARY, _P.RAISE_CONCERN, _P.LOG_DELIVERY, _P.EDIT_PROFILE, _P.RECORD_MEETING}),
    Role.TEACHING_ASSISTANT: frozenset({_P.VIEW_SUMMARY, _P.LOG_DELIVERY, _P.EDIT_PROFILE}),
}
WHOLE_SETTING_ROLES = (Role.SENCO, Role.SENIOR_LEADER)
LINKED_PUPIL_ROLES = (Role.TEACHER, Role.TEACHING_ASSISTANT)

_O = OrganisationPermission
SETTING_PERMISSIONS: dict[str, frozenset[OrganisationPermission]] = {
    Role.SENCO: frozenset(
        {_O.VIEW_REGISTER, _O.EXPORT_REGISTER, _O.ADD_PUPIL, _O.MANAGE_MEMBERS, _O.MANAGE_CATALOGUE, _O.MANAGE_FUNDING}
    ),
    Role.SENIOR_LEADER: frozenset({_O.VIEW_REGISTER, _O.EXPORT_REGISTER, _O.MANAGE_FUNDING}),
}
LA_PERMISSIONS: dict[str, frozenset[OrganisationPermission]] = {
    Role.LA_OFFICER: frozenset({_O.VIEW_LA_FIGURES}),
    Role.LA_ADMIN: frozenset({_O.VIEW_LA_FIGURES, _O.MANAGE_MEMBERS, _O.MANAGE_CATALOGUE, _O.VIEW_SECURITY_EVENTS}),
}
# An LA admin may also manage the memberships of every setting in their LA, so that a new
# setting's first SENCO can be invited.
LA_ROLES_OVER_SETTINGS: dict[str, frozenset[OrganisationPermission]] = {
    Role.LA_ADMIN: frozenset({_O.MANAGE_MEMBERS}),
}

# When a user holds several roles that reach one pupil, the audit trail names the strongest.
ROLE_STRENGTH = [Role.SENCO, Role.SENIOR_LEADER, Role.TEACHER, Role.TEACHING_ASSISTANT]


def memberships_of(user: "User | AnonymousUser") -> list[Membership]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("setting", "local_authority"))
        user._memberships_cache = cached  # type: ignore[attr-defined]
    return cached


def _setting_ids(user: "User", roles: tuple[Role, ...]) -> list[int]:
    return [m.setting_id for m in memberships_of(user) if m.role in roles and m.setting_id]


def visible_pupils_filter(user: "User | AnonymousUser") -> Q:
    """A filter on Pupil for the pupils ``user`` may open; matches nothing for anyone else."""
    from graduated.pupils.models import Enrolment, StaffLink

    if not user.is_authenticated:
        return Q(pk__in=[])
    whole = _setting_ids(user, WHOLE_SETTING_ROLES)
    linked = _setting_ids(user, LINKED_PUPIL_ROLES)
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


@dataclass(frozen=True)
class PupilAccess:
    """What one user may do with one pupil, and in which role they do it."""

    user: "User"
    pupil: "Pupil"
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
        from graduated.audit.services import Actor

        return Actor(user=self.user, role=self.role, setting_id=self.membership.setting_id)

    def can(self, permission: PupilPermission | str) -> bool:
        return permission in self.permissions

    def require(self, permission: PupilPermission) -> None:
        """Refuse with 403: the user may see this pupil, so saying so hides nothing."""
        if permission not in self.permissions:
            raise PermissionDenied("Your role does not allow this.")


def pupil_access(user: "User | AnonymousUser", pupil: "Pupil") -> PupilAccess | None:
    """How ``user`` reaches ``pupil``, or None when they may not."""
    from graduated.pupils.models import Enrolment, StaffLink

    if not user.is_authenticated:
        return None
    memberships = [m for m in memberships_of(user) if m.setting_id]
    if not memberships:
        return None
    enrolled_in = set(Enrolment.objects.current().filter(pupil=pupil).values_list("setting_id", flat=True))
    linked_in = set(StaffLink.objects.filter(pupil=pupil, user=user).values_list("setting_id", flat=True))
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
    """The pupil with its access, 404 if the user may not reach it, 403 if the role is too weak."""
    from graduated.pupils.models import Pupil

    try:
        pupil = Pupil.objects.select_related("home_local_authority").get(pk=pupil_id)
    except (Pupil.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No such pupil.") from error
    access = pupil_access(user, pupil)
    if access is None:
        raise Http404("No such pupil.")
    access.require(permission)
    return access


class ProfessionalScope(StrEnum):
    """What an outside professional's grant allows, on the professionals app's own pages only."""

    READ_PLAN = "can_read_plan"
    ADVISE = "can_advise"
    UPLOAD_REPORT = "can_upload_report"


@dataclass(frozen=True)
class ProfessionalAccess:
    """An outside professional's reach to one pupil, through a live grant (graduated.professionals).

    Deliberately not a PupilAccess: a grant gives no PupilPermission, so every staff page of the
    pupil stays a 404 for the professional.
    """

    user: "User"
    pupil: "Pupil"
    grant: "ProfessionalGrant"
    scopes: frozenset[ProfessionalScope]
    role = "professional"

    @property
    def setting(self) -> Setting:
        return self.grant.setting

    @property
    def actor(self) -> "Actor":
        from graduated.audit.services import Actor

        return Actor(user=self.user, role=self.role, setting_id=self.grant.setting_id)

    def can(self, scope: ProfessionalScope) -> bool:
        return scope in self.scopes


def get_pupil_for_professional(
    user: "User | AnonymousUser", pupil_id: int, scope: ProfessionalScope
) -> ProfessionalAccess:
    """The pupil through ``user``'s live grant: 404 without one, 403 if the grant lacks ``scope``.

    The grant is read on every call, never cached, so that expiry or revocation ends access on
    the professional's next request.
    """
    from graduated.accounts.models import User
    from graduated.professionals.models import ProfessionalGrant

    if not isinstance(user, User) or not user.is_active or not isinstance(pupil_id, int):
        raise Http404("No such pupil.")
    grants = ProfessionalGrant.objects.live().filter(user=user, pupil_id=pupil_id)
    grant = grants.select_related("pupil", "setting").order_by("-expires_on", "-id").first()
    if grant is None:
        raise Http404("No such pupil.")
    scopes = frozenset(s for s in ProfessionalScope if getattr(grant, s.value))
    if scope not in scopes:
        raise PermissionDenied("Your access to this pupil does not allow this.")
    return ProfessionalAccess(user=user, pupil=grant.pupil, grant=grant, scopes=scopes)


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


def get_setting_for_user(user: "User | AnonymousUser", setting_id: int, permission: OrganisationPermission) -> Setting:
    """The setting, or 404 when the user holds no role there that gives ``permission``."""
    setting = Setting.objects.select_related("local_authority").filter(pk=setting_id).first()
    if setting is None or permission not in setting_permissions(user, setting):
        raise Http404("No such setting.")
    return setting


GROUP_NEEDS = ("read", "register", "manage")


def get_group_for_user(
    user: "User | AnonymousUser", group_id: int, need: str
) -> tuple["InterventionGroup", frozenset[str]]:
    """An intervention group and what ``user`` may do with it (of ``GROUP_NEEDS``); 404 unless ``need``.

    manage: the setting's catalogue managers (SENCOs). register: managers, and the group's own
    deliverer while a member of its setting. read: those, and whoever sees the setting's register
    (senior leaders). A deliverer reaches the group's pupils through it, for the register only.
    """
    from graduated.provision.models import InterventionGroup

    if need not in GROUP_NEEDS:
        raise ValueError(f"need must be one of {GROUP_NEEDS}, not {need!r}")
    groups = InterventionGroup.objects.select_related("setting__local_authority", "catalogue_item", "deliverer")
    group = groups.filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group.")
    permissions = setting_permissions(user, group.setting)
    granted: set[str] = set()
    if OrganisationPermission.MANAGE_CATALOGUE in permissions:
        granted |= {"manage", "register", "read"}
    is_member = any(m.setting_id == group.setting_id for m in memberships_of(user))
    if is_member and group.deliverer_id is not None and group.deliverer_id == user.pk:
        granted |= {"register", "read"}
    if OrganisationPermission.VIEW_REGISTER in permissions:
        granted.add("read")
    if need not in granted:
        raise Http404("No such group.")
    return group, frozenset(granted)


def get_la_for_user(user: "User | AnonymousUser", la_id: int, permission: OrganisationPermission) -> LocalAuthority:
    la = LocalAuthority.objects.filter(pk=la_id).first()
    if la is None or permission not in la_permissions(user, la):
        raise Http404("No such local authority.")
    return la


def get_organisation_for_user(
    user: "User | AnonymousUser", kind: str, organisation_id: int, permission: OrganisationPermission
) -> Setting | LocalAuthority:
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


def setting_actor(user: "User | AnonymousUser", setting_id: int) -> "Actor":
    """The actor for the audit trail when ``user`` works on ``setting_id`` as a whole (register, caseload)."""
    from graduated.accounts.models import User
    from graduated.audit.services import Actor

    role = next((m.role for m in memberships_of(user) if m.setting_id == setting_id), "")
    return Actor(user=user if isinstance(user, User) else None, role=role, setting_id=setting_id)
