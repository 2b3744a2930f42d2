"""The authorisation matrix: every URL × method × persona × own/foreign object, in one table.

Each row names a URL, a method, the kind of object its arguments point at, and which personas
(see graduated/lib/testing.py) may use it on an object of their own organisation ("own": setting A
or LA Northshire) and on one of another organisation ("foreign": setting C or LA Southborough).
Everyone not listed gets 404 — never a hint that the object exists — except personas listed in
``forbidden``, who may see the object but not do this, and get 403. Anonymous visitors are sent to
sign in. test_authorisation_matrix.py runs every cell, and fails when a URL is missing here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

OK = "ok"  # 200, or a redirect after a successful POST


@dataclass(frozen=True)
class Row:
    url_name: str
    method: str
    target: str  # a key of TARGETS in the test: "none", "pupil", "setting", "la", ...
    own: frozenset[str]
    foreign: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    # The form posted: a dict, or a function (world, args, side) -> dict for data that depends on
    # the target (a version number, an id made by the target).
    data: dict[str, Any] | Callable[..., dict[str, Any]] = field(default_factory=dict)
    public: bool = False  # open to anonymous visitors


def personas(*names: str) -> frozenset[str]:
    return frozenset(names)


EVERYONE = personas(
    "senco_a", "teacher_a", "ta_a", "other_teacher_a", "head_a", "senco_b", "senco_c",
    "officer_north", "officer_south", "la_admin_north", "platform_admin",
    "professional_p1", "professional_expired", "parent_p1", "parent_p2", "parent_p4", "young_p1", "young_p2",
)  # fmt: skip
SETTING_A_LEADERS = personas("senco_a", "head_a")
LINKED_TO_P1 = personas("teacher_a", "ta_a")

ROWS: list[Row] = [
    Row("home", "GET", "none", own=EVERYONE),
    Row("healthz", "GET", "none", own=EVERYONE, public=True),
    Row("accessibility", "GET", "none", own=EVERYONE, public=True),
    Row("set_language", "POST", "none", own=EVERYONE, public=True, data={"language": "cy", "next": "/"}),
]

# URL names that take no part in the matrix, each with the reason.
EXEMPT: dict[str, str] = {
    "admin": "Django's own admin site, for platform admins; it holds no pupil data.",
    "api_v1": "The JSON API: covered by graduated/api/tests (every endpoint x persona x own/foreign, by token).",
}

P1_SENCO_ONLY = personas("senco_a")
P1_READERS_NOT_EDITORS = personas("head_a", "teacher_a", "ta_a")
P1_SUMMARY_ONLY = personas("teacher_a", "ta_a")
FOREIGN_SENCO = personas("senco_c")

ROWS += [
    Row("pupils:register", "GET", "setting", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO),
    Row("pupils:register_export", "GET", "setting", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO),
    Row("pupils:add", "GET", "setting", own=P1_SENCO_ONLY, foreign=FOREIGN_SENCO),
    Row(
        "pupils:add",
        "POST",
        "setting",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        data={
            "legal_first_name": "Nia",
            "legal_last_name": "New",
            "date_of_birth_0": "5",
            "date_of_birth_1": "6",
            "date_of_birth_2": "2017",
            "sex": "F",
            "start_date_0": "1",
            "start_date_1": "9",
            "start_date_2": "2025",
        },
    ),
    Row("pupils:detail", "GET", "pupil", own=SETTING_A_LEADERS | LINKED_TO_P1, foreign=FOREIGN_SENCO),
    Row("pupils:chronology", "GET", "pupil", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO, forbidden=P1_SUMMARY_ONLY),
    Row("pupils:audit_log", "GET", "pupil", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO, forbidden=P1_SUMMARY_ONLY),
    Row(
        "pupils:edit_details",
        "GET",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
    ),
    Row(
        "pupils:edit_details",
        "POST",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"__pupil_form__": True, "preferred_first_name": "Pri"},
    ),
    Row(
        "pupils:change_status",
        "GET",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
    ),
    Row(
        "pupils:change_status",
        "POST",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"status": "E", "start_date_0": "1", "start_date_1": "3", "start_date_2": "2025"},
    ),
    Row("pupils:add_need", "GET", "pupil", own=P1_SENCO_ONLY, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row(
        "pupils:add_need",
        "POST",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"sen_type": "SLCN", "rank": "1", "start_date_0": "1", "start_date_1": "3", "start_date_2": "2025"},
    ),
    Row("pupils:end_need", "GET", "need", own=P1_SENCO_ONLY, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS),
    Row(
        "pupils:end_need",
        "POST",
        "need",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"end_date_0": "1", "end_date_1": "6", "end_date_2": "2025"},
    ),
    Row(
        "pupils:link_staff", "GET", "pupil", own=P1_SENCO_ONLY, foreign=FOREIGN_SENCO, forbidden=P1_READERS_NOT_EDITORS
    ),
    Row(
        "pupils:link_staff",
        "POST",
        "pupil",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
        data={"__staff_membership__": True, "relationship": "subject_teacher"},
    ),
    Row(
        "pupils:unlink_staff",
        "POST",
        "staff_link",
        own=P1_SENCO_ONLY,
        foreign=FOREIGN_SENCO,
        forbidden=P1_READERS_NOT_EDITORS,
    ),
]

# Accounts: signing in and out, password reset, invitations (graduated/accounts).
LEAD_PEOPLE = personas("senco_a", "la_admin_north")  # may manage the people of setting A
ROWS += [
    Row("accounts:login", "GET", "none", own=EVERYONE, public=True),
    Row("accounts:login", "POST", "none", own=EVERYONE, public=True,
        data={"username": "teacher.a@example.org", "password": "correct horse battery staple"}),
    Row("accounts:logout", "POST", "none", own=EVERYONE, public=True),
    Row("accounts:signed_out", "GET", "none", own=EVERYONE, public=True),
    Row("accounts:password_reset", "GET", "none", own=EVERYONE, public=True),
    Row("accounts:password_reset", "POST", "none", own=EVERYONE, public=True,
        data={"email": "nobody@example.org"}),
    Row("accounts:password_reset_done", "GET", "none", own=EVERYONE, public=True),
    Row("accounts:password_reset_confirm", "GET", "reset_link", own=EVERYONE, foreign=EVERYONE,
        public=True),
    Row("accounts:password_reset_complete", "GET", "none", own=EVERYONE, public=True),
    # The invitation in the target is for an address with no account: a visitor makes the
    # account (302); signed-in people see a page asking them to sign out first (200), and may
    # not accept it for themselves (403, on either side).
    Row("accounts:accept_invitation", "GET", "invitation_token", own=EVERYONE, foreign=EVERYONE,
        public=True),
    Row("accounts:accept_invitation", "POST", "invitation_token", own=frozenset(),
        forbidden=EVERYONE, public=True,
        data={"full_name": "Nell New", "password": "a long unguessable phrase",
              "password_confirm": "a long unguessable phrase"}),
]  # fmt: skip

# Organisations: the people in a setting or LA, and the LA overview (graduated/organisations).
# URLs take (kind, organisation id, ...): targets "people_setting", "people_la", "invitation" etc.
ROWS += [
    Row("organisations:members", "GET", "people_setting", own=LEAD_PEOPLE,
        foreign=personas("senco_c")),
    Row("organisations:members", "GET", "people_la", own=personas("la_admin_north")),
    Row("organisations:invite", "POST", "people_setting", own=LEAD_PEOPLE,
        foreign=personas("senco_c"), data={"email": "new.person@example.org", "role": "teacher"}),
    Row("organisations:invite", "POST", "people_la", own=personas("la_admin_north"),
        data={"email": "new.person@example.org", "role": "la_officer"}),
    Row("organisations:revoke_invitation", "POST", "invitation", own=LEAD_PEOPLE,
        foreign=personas("senco_c")),
    # "membership": own is teacher_a's at setting A, foreign is senco_c's at C. Making senco_c a
    # SENCO changes nothing, so it succeeds; removing C's only SENCO would be refused (400), so
    # removal uses "staff_membership".
    Row("organisations:change_role", "GET", "membership", own=LEAD_PEOPLE,
        foreign=personas("senco_c")),
    Row("organisations:change_role", "POST", "membership", own=LEAD_PEOPLE,
        foreign=personas("senco_c"), data={"role": "senco"}),
    Row("organisations:remove_member", "GET", "membership", own=LEAD_PEOPLE,
        foreign=personas("senco_c")),
    Row("organisations:remove_member", "POST", "staff_membership", own=LEAD_PEOPLE,
        foreign=personas("senco_c")),
    # Only an LA admin may reset a member's second factor; the setting's SENCO is not offered it.
    Row("organisations:reset_second_factor", "GET", "membership", own=personas("la_admin_north")),
    Row("organisations:reset_second_factor", "POST", "membership", own=personas("la_admin_north")),
    Row("organisations:la_overview", "GET", "la", own=personas("officer_north", "la_admin_north"),
        foreign=personas("officer_south")),
]  # fmt: skip


# Work lists (graduated/worklists).
ROWS += [
    Row("worklists:caseload", "GET", "setting", own=SETTING_A_LEADERS, foreign=FOREIGN_SENCO),
    Row("worklists:my_pupils", "GET", "none", own=EVERYONE),
]

# Feature apps keep their own rows in ``graduated/<app>/tests/matrix_rows.py``: ``ROWS`` (a list of
# Row) and optionally ``TARGETS``, a dict of target name -> function (world, side) -> URL args.
FEATURE_APPS = [
    "accounts",
    "pathway",
    "support",
    "profiles",
    "meetings",
    "documents",
    "provision",
    "funding",
    "statutory",
    "specialists",
    "professionals",
    "rulepacks",
    "plans",
    "guidance",
    "oap",
    "training",
    "ehc",
    "assessment_requests",
    "audit",
    "api",
    "records",
    "families",
    "family_notices",
    "oversight",
]
TARGETS: dict[str, Callable[..., list[Any]]] = {}
for _app in FEATURE_APPS:
    try:
        _module = import_module(f"graduated.{_app}.tests.matrix_rows")
    except ModuleNotFoundError as _error:
        if _error.name != f"graduated.{_app}.tests.matrix_rows":
            raise
        continue
    ROWS += _module.ROWS
    TARGETS.update(getattr(_module, "TARGETS", {}))
