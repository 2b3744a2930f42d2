"""What the demo world holds: its local authorities, settings and accounts, and the shares of
each type of need. Invented: any likeness to a real school or person is a coincidence.
"""

from dataclasses import dataclass

from graduated.organisations.models import Phase, Role
from graduated.pupils.codes import SENType

# Primary needs, in per cent (domain.md §11). SEN support: approximate shares in that order (SLCN
# about 26%, then SEMH, MLD, SPLD, ASD); EHC plans: England, January 2025. NSA is valid with SEN
# support only, so the EHC list leaves it out.
SEN_SUPPORT_NEEDS = {
    SENType.SLCN: 26.0, SENType.SEMH: 21.0, SENType.MLD: 14.0, SENType.SPLD: 12.0,
    SENType.ASD: 10.0, SENType.NSA: 5.0, SENType.OTH: 4.0, SENType.PD: 3.0, SENType.HI: 2.0,
    SENType.VI: 1.0, SENType.SLD: 1.0, SENType.MSI: 0.5, SENType.DS: 0.5,
}  # fmt: skip
EHC_PLAN_NEEDS = {
    SENType.ASD: 31.5, SENType.SLCN: 21.3, SENType.SEMH: 20.7, SENType.MLD: 10.6,
    SENType.SLD: 3.9, SENType.PD: 3.9, SENType.SPLD: 2.4, SENType.HI: 1.4, SENType.PMLD: 1.3,
    SENType.OTH: 1.2, SENType.VI: 0.8, SENType.MSI: 0.3,
}  # fmt: skip

# Needs practically always recorded as the primary need, never drawn as a second one.
NEVER_SECONDARY = {"NSA", "SLD", "PMLD", "MSI", "DS"}
# Needs that SEN support sometimes meets well enough for the pupil to leave the register. (Not NSA:
# the services refuse to take a pupil off the register until that need is ended.)
REMOVABLE_NEEDS = ["SLCN", "SEMH", "MLD", "SPLD"]

SEN_SUPPORT_REASONS = [
    "Less than expected progress despite adjustments in class; parents agreed SEN support.",
    "Concerns shared with parents at a review meeting; first Assess, Plan, Do, Review cycle.",
    "",
]
REMOVAL_REASONS = [
    "Good progress over two review cycles; needs now met by high-quality teaching.",
    "Outcomes achieved; parents agreed to removal from the SEN register.",
    "No longer needs provision additional to or different from that made for peers.",
]


@dataclass(frozen=True)
class LocalAuthorityPlan:
    key: str
    name: str
    code: str
    feeder_schools: tuple[str, ...]  # DfE establishment numbers of primaries that allocate UPNs


@dataclass(frozen=True)
class SettingPlan:
    key: str
    name: str
    urn: str
    phase: Phase
    la_key: str
    establishment: str  # the DfE establishment number used in UPNs ("" for a college)
    year_groups: dict[int, int]  # year group (-2 Nursery 1 … 13) → number of pupils
    on_register: int
    with_ehc_plan: int
    from_other_la: float  # share of pupils living in the other local authority
    # The statutory low and high ages, as GIAS gives them (a day nursery's are how it describes itself).
    ages: tuple[int, int]


LOCAL_AUTHORITIES = [
    LocalAuthorityPlan("northshire", "Northshire", "860", ("2153", "2041", "2208", "3012")),
    LocalAuthorityPlan("southborough", "Southborough", "931", ("2086", "2114", "3005")),
]
SETTINGS = [
    SettingPlan(
        "earlyyears", "Little Wrens Day Nursery", "509417", Phase.EARLY_YEARS, "northshire",
        "1012", {-2: 14, -1: 16}, on_register=4, with_ehc_plan=1, from_other_la=0.05,
        ages=(0, 5),
    ),
    SettingPlan(
        "primary", "Millbeck Primary School", "146208", Phase.PRIMARY, "northshire", "2153",
        {0: 13, 1: 13, 2: 13, 3: 13, 4: 13, 5: 13, 6: 12}, on_register=15, with_ehc_plan=2,
        from_other_la=0.05, ages=(4, 11),
    ),
    SettingPlan(
        "secondary", "Ravensmoor Academy", "148731", Phase.SECONDARY, "northshire", "4027",
        {7: 20, 8: 20, 9: 20, 10: 20, 11: 20, 12: 6, 13: 4}, on_register=18, with_ehc_plan=3,
        from_other_la=0.06, ages=(11, 18),  # with a sixth form: its Year 11 stay on
    ),
    SettingPlan(
        "college", "Northshire College of Further Education", "130742",
        Phase.FURTHER_EDUCATION, "northshire", "", {12: 22, 13: 18}, on_register=6,
        with_ehc_plan=1, from_other_la=0.15, ages=(16, 99),  # GIAS's high age for a college
    ),
    SettingPlan(
        "south-primary", "Tidewell Primary School", "152964", Phase.PRIMARY, "southborough",
        "2086", {0: 4, 1: 4, 2: 5, 3: 4, 4: 5, 5: 4, 6: 4}, on_register=5, with_ehc_plan=1,
        from_other_la=0.1, ages=(4, 11),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class AccountPlan:
    email: str
    full_name: str
    role: Role | None  # None: a platform administrator, with no membership
    organisation: str  # the key of a setting or LA ("" for the platform administrator)
    description: str


TEACHER = "teacher.primary@example.org"
TEACHING_ASSISTANT = "ta.primary@example.org"
TEACHER_CLASS = (5, 6)  # the year groups in the demo teacher's class

ACCOUNTS = [
    AccountPlan(email, name, role, organisation, description)
    for email, name, role, organisation, description in [
        ("senco.primary@example.org", "Grace Adeyemi", Role.SENCO, "primary", "SENCO"),
        (TEACHER, "Tom Hargreaves", Role.TEACHER, "primary", "Class teacher (Years 5 and 6)"),
        (
            TEACHING_ASSISTANT,
            "Shazia Malik",
            Role.TEACHING_ASSISTANT,
            "primary",
            "Teaching assistant",
        ),
        (
            "head.primary@example.org",
            "Eleanor Marsh",
            Role.SENIOR_LEADER,
            "primary",
            "Headteacher (senior leader)",
        ),
        ("senco.secondary@example.org", "Daniel Okoro", Role.SENCO, "secondary", "SENCO"),
        ("senco.earlyyears@example.org", "Bronwen Price", Role.SENCO, "earlyyears", "SENCO"),
        (
            "senco.college@example.org",
            "Marcus Webb",
            Role.SENCO,
            "college",
            "SENCO (named person for SEND)",
        ),
        ("senco.south@example.org", "Aleksandra Nowak", Role.SENCO, "south-primary", "SENCO"),
        ("officer.north@example.org", "Ruth Fenwick", Role.LA_OFFICER, "northshire", "LA officer"),
        ("admin.north@example.org", "Imran Qureshi", Role.LA_ADMIN, "northshire", "LA admin"),
        ("officer.south@example.org", "Joanne Kerr", Role.LA_OFFICER, "southborough", "LA officer"),
        ("platform.admin@example.org", "Chris Lowe", None, "", "Platform administrator"),
    ]
]
