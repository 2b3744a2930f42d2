"""Outside professionals reach a named pupil only through a live, scoped grant, and only on the
professionals app's own pages; never through a PupilAccess."""

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from graduated.access.actors import actor
from graduated.accounts.models import User
from graduated.audit.reach import note_pupil_reached
from graduated.organisations.models import Setting
from graduated.professionals.models import ProfessionalGrant

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.audit.services import Actor
    from graduated.pupils.models import Pupil


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

    user: User
    pupil: "Pupil"
    grant: ProfessionalGrant
    scopes: frozenset[ProfessionalScope]
    role = "professional"

    @property
    def setting(self) -> Setting:
        return self.grant.setting

    @property
    def actor(self) -> "Actor":
        return actor(self.user, self.role, setting_id=self.grant.setting_id)

    def can(self, scope: ProfessionalScope) -> bool:
        return scope in self.scopes


def get_pupil_for_professional(
    user: "User | AnonymousUser", pupil_id: int, scope: ProfessionalScope
) -> ProfessionalAccess:
    """The pupil through ``user``'s live grant: 404 without one, 403 if the grant lacks ``scope``.

    The grant is read on every call, never cached, so that expiry or revocation ends access on
    the professional's next request.
    """
    if not isinstance(user, User) or not user.is_active or not isinstance(pupil_id, int):
        raise Http404("No such pupil.")
    grants = ProfessionalGrant.objects.live().filter(user=user, pupil_id=pupil_id)
    grant = grants.select_related("pupil", "setting").order_by("-expires_on", "-id").first()
    if grant is None:
        raise Http404("No such pupil.")
    scopes = frozenset(s for s in ProfessionalScope if getattr(grant, s.value))
    if scope not in scopes:
        raise PermissionDenied("Your access to this pupil does not allow this.")
    access = ProfessionalAccess(user=user, pupil=grant.pupil, grant=grant, scopes=scopes)
    note_pupil_reached(access.actor, grant.pupil_id)
    return access
