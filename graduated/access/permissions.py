"""What each role may do: the permission names and the tables that grant them.

Each permission says what it guards. The tables are the whole policy for staff; docs/permissions.md
shows them as tables, and a test keeps the two in step.
"""

from enum import StrEnum

from graduated.organisations.models import Role


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
    VIEW_REGISTER = "view_register"  # a setting's SEN register, overviews and provision map
    # A setting's intervention groups: all of them with VIEW_REGISTER, otherwise those the person delivers.
    VIEW_GROUPS = "view_groups"
    EXPORT_REGISTER = "export_register"  # the register and the setting's provision map as files
    ADD_PUPIL = "add_pupil"
    # Ask another setting for a pupil's SEN record, and release this setting's to the one they join.
    TRANSFER_RECORDS = "transfer_records"
    MANAGE_MEMBERS = "manage_members"  # invite people, change and end their roles
    MANAGE_FUNDING = "manage_funding"  # top-up applications and early years funding awards
    # An LA's figures across its settings: aggregates, no pupil names.
    VIEW_LA_FIGURES = "view_la_figures"
    # The LA's statutory case work: the EHC inbox, each case and every action on it (pupil-level).
    WORK_EHC_CASES = "work_ehc_cases"
    # What the LA offers every setting, to read: its shared catalogue, local rules, services directory.
    VIEW_LOCAL_OFFER = "view_local_offer"
    # A setting's (or the LA's shared) intervention catalogue and tiers; a setting's groups and staff costs.
    MANAGE_PROVISION_CATALOGUE = "manage_provision_catalogue"
    MANAGE_LOCAL_RULES = "manage_local_rules"  # draft and publish the LA's rule pack
    MANAGE_SERVICES_DIRECTORY = "manage_services_directory"  # the LA's directory of specialist services
    VIEW_SECURITY_EVENTS = "view_security_events"  # the security log of the LA's people (graduated.audit)
    # The LA's guidance, its ordinarily available provision and its training offer: drafts and publishing.
    MANAGE_GUIDANCE = "manage_guidance"
    # A setting's yearly self-review against the LA's ordinarily available provision.
    SELF_REVIEW = "self_review"
    # A setting's record of its staff's training and their awareness of named pupils' needs.
    RECORD_TRAINING = "record_training"


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
    # A setting's service token (an MIS sync): read the records, keep details, needs and status up to date.
    Role.SERVICE: frozenset({_P.VIEW_SUMMARY, _P.VIEW_RECORD, _P.EDIT}),
}
WHOLE_SETTING_ROLES = (Role.SENCO, Role.SENIOR_LEADER, Role.SERVICE)
LINKED_PUPIL_ROLES = (Role.TEACHER, Role.TEACHING_ASSISTANT)

_O = OrganisationPermission
SETTING_PERMISSIONS: dict[str, frozenset[OrganisationPermission]] = {
    Role.SENCO: frozenset(
        {
            _O.VIEW_REGISTER,
            _O.VIEW_GROUPS,
            _O.EXPORT_REGISTER,
            _O.ADD_PUPIL,
            _O.TRANSFER_RECORDS,
            _O.MANAGE_MEMBERS,
            _O.MANAGE_PROVISION_CATALOGUE,
            _O.MANAGE_FUNDING,
            _O.SELF_REVIEW,
            _O.RECORD_TRAINING,
        }
    ),
    Role.SENIOR_LEADER: frozenset(
        {_O.VIEW_REGISTER, _O.VIEW_GROUPS, _O.EXPORT_REGISTER, _O.MANAGE_FUNDING, _O.SELF_REVIEW, _O.RECORD_TRAINING}
    ),
    Role.TEACHER: frozenset({_O.VIEW_GROUPS}),
    Role.TEACHING_ASSISTANT: frozenset({_O.VIEW_GROUPS}),
    Role.SERVICE: frozenset({_O.VIEW_REGISTER, _O.ADD_PUPIL}),
}
_LA_READING = frozenset({_O.VIEW_LA_FIGURES, _O.WORK_EHC_CASES, _O.VIEW_LOCAL_OFFER})
LA_PERMISSIONS: dict[str, frozenset[OrganisationPermission]] = {
    Role.LA_OFFICER: _LA_READING,
    Role.SERVICE: _LA_READING,  # an LA's service token: its figures and EHC cases, to read
    Role.LA_ADMIN: _LA_READING
    | {
        _O.MANAGE_MEMBERS,
        _O.MANAGE_PROVISION_CATALOGUE,
        _O.MANAGE_LOCAL_RULES,
        _O.MANAGE_SERVICES_DIRECTORY,
        _O.VIEW_SECURITY_EVENTS,
        _O.MANAGE_GUIDANCE,
    },
}
# An LA admin may also manage the memberships of every setting in their LA, so that a new
# setting's first SENCO can be invited.
LA_ROLES_OVER_SETTINGS: dict[str, frozenset[OrganisationPermission]] = {
    Role.LA_ADMIN: frozenset({_O.MANAGE_MEMBERS}),
}

# When a user holds several roles that reach one pupil, the audit trail names the strongest.
ROLE_STRENGTH = [Role.SENCO, Role.SENIOR_LEADER, Role.TEACHER, Role.TEACHING_ASSISTANT, Role.SERVICE]
