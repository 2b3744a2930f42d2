"""The access policy: the one place that decides who may see and change what.

It sits above the domain apps: it imports their models, and no model imports it. Every view,
export and API endpoint asks it, through a lookup that returns an access object (``.can()`` for
what the person may do, ``.actor`` for who the audit trail names) or answers 404:

* SENCOs and senior leaders reach every pupil with a current enrolment in their setting.
* Teachers and teaching assistants reach the pupils a SENCO has linked them to, while the pupil is
  enrolled in the setting where they hold that role; they see the pupil's summary, not the whole
  record.
* LA officers and admins see aggregate figures for their LA's settings, and pupils only through
  the LA's statutory case work (an EHC case).
* Outside professionals reach a named pupil only through a live, scoped grant, and only on the
  professionals app's own pages; never through a PupilAccess.
* Anyone else gets 404 for a pupil: never a hint that the pupil exists.

A lookup that opens a pupil notes it for the audit trail (graduated.audit.reach).
"""

from graduated.access.actors import actor, actor_in
from graduated.access.ehc import CaseAccess, get_case_for_user
from graduated.access.families import FamilyAccess, get_child_for_family, live_links
from graduated.access.groups import GROUP_NEEDS, GroupAccess, get_group_for_user
from graduated.access.memberships import memberships_of
from graduated.access.organisations import (
    OrganisationAccess,
    get_la_for_user,
    get_organisation_for_user,
    get_setting_for_user,
    la_permissions,
    manageable_roles,
    setting_permissions,
)
from graduated.access.permissions import (
    LA_PERMISSIONS,
    PUPIL_PERMISSIONS,
    ROLE_STRENGTH,
    SETTING_PERMISSIONS,
    OrganisationPermission,
    PupilPermission,
)
from graduated.access.previous import WrittenElsewhere, require_written_here
from graduated.access.professionals import ProfessionalAccess, ProfessionalScope, get_pupil_for_professional
from graduated.access.pupils import PupilAccess, get_pupil_for_user, pupil_access, visible_pupils, visible_pupils_filter

__all__ = [
    "GROUP_NEEDS",
    "LA_PERMISSIONS",
    "PUPIL_PERMISSIONS",
    "ROLE_STRENGTH",
    "SETTING_PERMISSIONS",
    "CaseAccess",
    "FamilyAccess",
    "GroupAccess",
    "OrganisationAccess",
    "OrganisationPermission",
    "ProfessionalAccess",
    "ProfessionalScope",
    "PupilAccess",
    "PupilPermission",
    "WrittenElsewhere",
    "actor",
    "actor_in",
    "get_case_for_user",
    "get_child_for_family",
    "get_group_for_user",
    "get_la_for_user",
    "get_organisation_for_user",
    "get_pupil_for_professional",
    "get_pupil_for_user",
    "get_setting_for_user",
    "la_permissions",
    "live_links",
    "manageable_roles",
    "memberships_of",
    "pupil_access",
    "require_written_here",
    "setting_permissions",
    "visible_pupils",
    "visible_pupils_filter",
]
