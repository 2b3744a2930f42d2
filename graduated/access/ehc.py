"""The LA's case work: an EHC case is reached through WORK_EHC_CASES at the case's own LA."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graduated.access.organisations import OrganisationAccess, get_la_for_user
from graduated.access.permissions import OrganisationPermission
from graduated.audit.reach import note_pupil_reached
from graduated.ehc import selectors
from graduated.ehc.models import EHCRequest
from graduated.organisations.models import LocalAuthority

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from graduated.accounts.models import User
    from graduated.audit.services import Actor


@dataclass(frozen=True)
class CaseAccess:
    la_access: OrganisationAccess
    case: EHCRequest

    @property
    def la(self) -> LocalAuthority:
        return self.la_access.la

    @property
    def actor(self) -> "Actor":
        return self.la_access.actor


def get_case_for_user(user: "User | AnonymousUser", la_id: int, case_id: int) -> CaseAccess:
    """The LA's case, 404 for another LA's case or an LA the user works for without case work.

    The case's pupil is noted as reached: the page's audit VIEW event follows (graduated.audit.reach).
    """
    la_access = get_la_for_user(user, la_id, OrganisationPermission.WORK_EHC_CASES)
    case = selectors.case_for(la_access.la, case_id)
    found = CaseAccess(la_access=la_access, case=case)
    note_pupil_reached(found.actor, case.pupil_id)
    return found
