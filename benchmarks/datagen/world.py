"""The sizes of each scale, and what the stages decide and later stages read (ids, dates, people).

Everything is decided from one ``random.Random`` per stage, seeded from ``--seed``, and from the
anchor day (today by default): the same seed and anchor give the same rows and the same ids.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from graduated.organisations.models import Phase


@dataclass(frozen=True)
class Scale:
    name: str
    settings: int
    pupils: int
    register: int  # on the SEN register now: SEN support (K) and EHC plans (E)
    ehc_plans: int
    deliveries: int  # delivery records, roughly: the sessions' length is fitted to it
    audit_events: int  # exactly
    years: int = 3  # of cycles, meetings, sessions and audit events


LA = Scale("la", settings=300, pupils=130_525, register=20_896, ehc_plans=8_358, deliveries=2_600_000,
           audit_events=770_000)  # fmt: skip
# For CI: three settings (a primary, a secondary, a nursery), the same shares of everything.
SMALL = Scale("small", settings=3, pupils=600, register=96, ehc_plans=38, deliveries=12_000, audit_events=3_540)
SCALES = {scale.name: scale for scale in (LA, SMALL)}

# Kinds of setting in an LA of 300: (phase, how many in 300, typical roll, year groups, share of
# pupils on the register, share of those with an EHC plan). Rolls and shares are scaled to hit the
# totals exactly. Special schools' pupils nearly all have plans; further education holds 16-19s.
MIX = [
    (Phase.EARLY_YEARS, 25, 50, range(-2, 1), 0.08, 0.15),
    (Phase.PRIMARY, 200, 300, range(0, 7), 0.15, 0.30),
    (Phase.SECONDARY, 50, 1050, range(7, 14), 0.15, 0.30),
    (Phase.SPECIAL, 12, 140, range(0, 14), 0.98, 0.95),
    (Phase.FURTHER_EDUCATION, 8, 1400, range(12, 15), 0.17, 0.30),
    (Phase.ALTERNATIVE_PROVISION, 5, 60, range(7, 12), 0.5, 0.3),
]
SMALL_MIX = [
    (Phase.PRIMARY, 1, 300, range(0, 7), 0.15, 0.30),
    (Phase.SECONDARY, 1, 1050, range(7, 14), 0.15, 0.30),
    (Phase.EARLY_YEARS, 1, 50, range(-2, 1), 0.08, 0.15),
]


@dataclass(slots=True)
class SettingInfo:
    id: int
    name: str
    urn: str
    phase: str
    pupils: int
    register: int
    ehc_plans: int
    year_groups: range
    senco_id: int = 0
    senco_email: str = ""
    teacher_id: int = 0
    ta_id: int = 0
    adopted: list[int] = field(default_factory=list)  # catalogue item ids in its catalogue (adopted)


@dataclass(slots=True)
class Request:
    """A request for an EHC needs assessment, as decided for one pupil."""

    received_on: date
    outcome: str  # an ehc.models.Stage value
    decided_on: date | None = None
    draft_on: date | None = None
    final_on: date | None = None
    id: int = 0


@dataclass(slots=True)
class PupilInfo:
    id: int
    setting: SettingInfo
    first: str
    last: str
    sex: str
    born: date
    year_group: int
    start: date
    status: str = "N"  # now: N, K or E
    sen_start: date | None = None  # SEN support began
    plan_from: date | None = None  # EHC plan (status E) from
    removed_on: date | None = None  # back to N (left the register) on
    area: str = "CL"  # broad area of the primary need
    parent: str = ""  # the first contact's name, for meetings
    request: Request | None = None
    cycles: int = 0


@dataclass(slots=True)
class CycleInfo:
    """What later stages need of a cycle: its meetings, its audit events."""

    id: int
    pupil: PupilInfo
    number: int
    started_on: date
    agreed_on: date | None
    review_on: date | None  # the review held (closed cycles) or due (open ones)
    closed: bool


@dataclass
class World:
    scale: Scale
    seed: int
    today: date
    now: datetime
    la_id: int = 0
    la_name: str = ""
    other_la_id: int = 0
    officer_id: int = 0
    officer_email: str = ""
    admin_id: int = 0
    admin_email: str = ""
    stages: dict[str, int] = field(default_factory=dict)  # pathway stage key -> id
    settings: list[SettingInfo] = field(default_factory=list)
    pupils: list[PupilInfo] = field(default_factory=list)
    cycles: list[CycleInfo] = field(default_factory=list)
    meetings: list[tuple[int, int, date]] = field(default_factory=list)  # (id, pupil id, held on)
    groups: list[tuple[int, int]] = field(default_factory=list)  # (group id, setting id)
    secrets: dict[int, str] = field(default_factory=dict)  # user id -> TOTP secret (base32)
    # Each setting's adopted catalogue items: id -> (areas, role, group size, sessions a week,
    # minutes, typical weeks, name, has an entry and exit measure).
    items: dict[int, tuple[list[str], str, int, int, int, int, str, bool]] = field(default_factory=dict)
    password: str = ""

    @property
    def window_start(self) -> date:
        """The first day of the history: ``years`` before the anchor day."""
        try:
            return self.today.replace(year=self.today.year - self.scale.years)
        except ValueError:
            return self.today.replace(year=self.today.year - self.scale.years, day=28)
