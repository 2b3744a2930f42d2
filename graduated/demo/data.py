"""Deterministic demo data: two local authorities, five settings, about 300 pupils, an account for
every role.

``build_plan`` decides everything from ``random.Random(SEED)`` and fixed dates, without touching
the database, so two plans are always equal. ``write_plan`` then stores a plan through the pupil
services, so every enrolment, status change, need and staff link has its chronology entry and its
audit event, as if the demo SENCOs had typed it in.

Year groups are those of the 2026/27 academic year and nothing happens after ``LATEST_EVENT``.
"""

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, NamedTuple

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.demo.catalogue import (
    ACCOUNTS,
    EHC_PLAN_NEEDS,
    LOCAL_AUTHORITIES,
    NEVER_SECONDARY,
    REMOVABLE_NEEDS,
    REMOVAL_REASONS,
    SEN_SUPPORT_NEEDS,
    SEN_SUPPORT_REASONS,
    SETTINGS,
    TEACHER,
    TEACHER_CLASS,
    TEACHING_ASSISTANT,
    LocalAuthorityPlan,
    SettingPlan,
)
from graduated.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, PREFERRED_FORMS
from graduated.organisations.models import LocalAuthority, Membership, Phase, Role, Setting
from graduated.pupils import services
from graduated.pupils.codes import SENProvision, SENType, Sex
from graduated.pupils.identifiers import check_letter
from graduated.pupils.models import Pupil, StaffRelationship

DEMO_PASSWORD = "send-demo-password"  # noqa: S105 - the published password of the demo accounts
SEED = 2026
ACADEMIC_YEAR = 2026  # year groups are those of the 2026/27 academic year
RECORDS_BEGIN = date(2024, 1, 8)  # SEN status histories start in the spring term of 2024
LATEST_EVENT = date(2026, 11, 13)  # nothing in the demo happens after this day


class DemoAccount(NamedTuple):
    email: str
    role: str
    organisation: str


_ORGANISATION_NAMES = {la.key: la.name for la in LOCAL_AUTHORITIES} | {s.key: s.name for s in SETTINGS}
DEMO_ACCOUNTS = [
    DemoAccount(a.email, a.description, _ORGANISATION_NAMES.get(a.organisation, "The whole platform")) for a in ACCOUNTS
]


@dataclass(frozen=True)
class Event:
    """One change to a pupil's record, applied in order through the pupil services."""

    on: date
    kind: Literal["status", "need", "end_need"]
    code: str  # SEN provision for "status", SEN type for the needs
    rank: int = 0
    reason: str = ""


@dataclass
class PupilPlan:
    setting_key: str
    legal_first_name: str
    legal_last_name: str
    preferred_first_name: str
    date_of_birth: date
    sex: str
    upn: str | None
    home_la_key: str
    year_group: int
    start_date: date
    events: list[Event] = field(default_factory=list)
    staff: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, relationship)

    @property
    def final_status(self) -> str:
        statuses = [e.code for e in self.events if e.kind == "status"]
        return statuses[-1] if statuses else SENProvision.NO_SEN.value

    @property
    def primary_need(self) -> str:
        """The rank 1 need still current at the end of the pupil's history ("" if none)."""
        need = ""
        for event in self.events:
            if event.kind == "need" and event.rank == 1:
                need = event.code
            elif (event.kind == "end_need" and event.code == need) or (
                event.kind == "status" and event.code == SENProvision.NO_SEN.value
            ):
                need = ""
        return need


@dataclass
class DemoPlan:
    pupils: list[PupilPlan]


# Dates ----------------------------------------------------------------------------------------


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


Term = Literal["autumn", "spring", "summer"]
TERMS_IN_CALENDAR_ORDER: tuple[Term, ...] = ("spring", "summer", "autumn")


def term_start(year: int, term: Term) -> date:
    month, day = {"autumn": (9, 3), "spring": (1, 6), "summer": (4, 20)}[term]
    return _weekday_on_or_after(date(year, month, day))


def _is_school_day(day: date) -> bool:
    """A weekday outside the summer and Christmas holidays (near enough for demo dates)."""
    christmas = (day.month == 12 and day.day > 20) or (day.month == 1 and day.day < 4)
    return day.weekday() < 5 and day.month != 8 and not christmas


def _school_day_between(rng: random.Random, earliest: date, latest: date) -> date:
    """A school day from ``earliest`` to ``latest`` (``earliest`` itself if there is none)."""
    days = (earliest + timedelta(days=n) for n in range((latest - earliest).days + 1))
    school_days = [day for day in days if _is_school_day(day)]
    return rng.choice(school_days) if school_days else earliest


def _term_starts(first: date, last: date) -> list[date]:
    starts = (term_start(year, term) for year in range(first.year, last.year + 1) for term in TERMS_IN_CALENDAR_ORDER)
    return [start for start in starts if first <= start <= last]


def _date_of_birth(rng: random.Random, year_group: int) -> date:
    """A birthday in the cohort that is in ``year_group`` during the 2026/27 academic year."""
    cohort_start = date(ACADEMIC_YEAR - 5 - year_group, 9, 1)
    cohort_days = (cohort_start.replace(year=cohort_start.year + 1) - cohort_start).days
    return cohort_start + timedelta(days=rng.randrange(cohort_days))


def _start_date(rng: random.Random, setting: SettingPlan, year_group: int, dob: date) -> date:
    """When the pupil joined: at the usual point of entry, a few of them in the year."""
    this_autumn = term_start(ACADEMIC_YEAR, "autumn")
    if setting.phase == Phase.EARLY_YEARS:  # at the start of a term, once aged two
        second_birthday = dob.replace(year=dob.year + 2, day=min(dob.day, 28))
        return rng.choice(_term_starts(max(second_birthday, date(2024, 9, 1)), this_autumn))
    entry_year = {Phase.PRIMARY: 0, Phase.SECONDARY: 7, Phase.FURTHER_EDUCATION: 12}[setting.phase]
    usual = term_start(ACADEMIC_YEAR - (year_group - entry_year), "autumn")
    if usual < this_autumn and rng.random() < 0.08:  # an in-year admission
        return rng.choice(_term_starts(usual + timedelta(days=1), this_autumn))
    return usual


# Pupils ---------------------------------------------------------------------------------------


class _UPNs:
    """Allocates unique UPNs: check letter, LA code, establishment, year allocated, serial."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serials: Counter[tuple[str, str, int]] = Counter()

    def allocate(self, la_code: str, establishment: str, year: int) -> str:
        key = (la_code, establishment, year % 100)
        self.serials[key] += self.rng.randint(1, 4)
        body = f"{la_code}{establishment}{year % 100:02d}{self.serials[key]:03d}"
        return check_letter(body) + body


def _upn(
    rng: random.Random,
    upns: _UPNs,
    setting: SettingPlan,
    home: LocalAuthorityPlan,
    pupil: PupilPlan,
) -> str | None:
    if setting.phase == Phase.EARLY_YEARS:  # only some nurseries give UPNs
        if rng.random() < 0.5:
            return None
        return upns.allocate(_la(setting.la_key).code, setting.establishment, pupil.start_date.year)
    reception_year = ACADEMIC_YEAR - pupil.year_group
    joined_in_reception = pupil.start_date == term_start(reception_year, "autumn")
    if setting.phase == Phase.PRIMARY and joined_in_reception:
        return upns.allocate(_la(setting.la_key).code, setting.establishment, reception_year)
    # Allocated at the primary school the pupil first attended, near home.
    return upns.allocate(home.code, rng.choice(home.feeder_schools), reception_year)


def _la(key: str) -> LocalAuthorityPlan:
    return next(la for la in LOCAL_AUTHORITIES if la.key == key)


def _pupils(rng: random.Random) -> list[PupilPlan]:
    upns = _UPNs(rng)
    used_names: set[tuple[str, str]] = set()
    pupils = []
    for setting in SETTINGS:
        other_la = next(la for la in LOCAL_AUTHORITIES if la.key != setting.la_key)
        for year_group, count in setting.year_groups.items():
            for _ in range(count):
                sex = rng.choice([Sex.FEMALE.value, Sex.MALE.value])
                names = FEMALE_FIRST_NAMES if sex == Sex.FEMALE else MALE_FIRST_NAMES
                first, last = rng.choice(names), rng.choice(LAST_NAMES)
                while (first, last) in used_names:
                    first, last = rng.choice(names), rng.choice(LAST_NAMES)
                used_names.add((first, last))
                preferred = PREFERRED_FORMS.get(first, "") if rng.random() < 0.6 else ""
                home = other_la if rng.random() < setting.from_other_la else _la(setting.la_key)
                dob = _date_of_birth(rng, year_group)
                pupil = PupilPlan(
                    setting_key=setting.key,
                    legal_first_name=first,
                    legal_last_name=last,
                    preferred_first_name=preferred,
                    date_of_birth=dob,
                    sex=sex,
                    upn=None,
                    home_la_key=home.key,
                    year_group=year_group,
                    start_date=_start_date(rng, setting, year_group, dob),
                )
                pupil.upn = _upn(rng, upns, setting, home, pupil)
                pupils.append(pupil)
    return pupils


# The SEN register -----------------------------------------------------------------------------


def _quota(weights: dict[SENType, float], count: int) -> list[str]:
    """``count`` needs in the proportions of ``weights``, rounded by largest remainders."""
    total = sum(weights.values())
    exact = {code: weight * count / total for code, weight in weights.items()}
    shares = {code: int(value) for code, value in exact.items()}
    by_remainder = sorted(weights, key=lambda code: exact[code] - shares[code], reverse=True)
    for code in by_remainder[: count - sum(shares.values())]:
        shares[code] += 1
    return [code.value for code, share in shares.items() for _ in range(share)]


def _weighted_sample(rng: random.Random, pupils: Sequence[PupilPlan], count: int) -> list[PupilPlan]:
    """Pick ``count`` pupils, boys about twice as likely as girls (as on the national register)."""
    keys = [rng.random() ** (1 / (2.0 if p.sex == Sex.MALE else 1.0)) for p in pupils]
    ranked = sorted(range(len(pupils)), key=lambda i: keys[i], reverse=True)
    return [pupils[i] for i in sorted(ranked[:count])]


def _window(pupil: PupilPlan) -> tuple[date, date]:
    """When a status change may fall: after the pupil settled in, within the records' span."""
    return max(pupil.start_date + timedelta(days=14), RECORDS_BEGIN), LATEST_EVENT


def _draw_need(rng: random.Random, allowed: Iterable[str]) -> str:
    """One need, as often as nationally among SEN support needs, from those ``allowed``."""
    choices = [code for code in SEN_SUPPORT_NEEDS if code.value in set(allowed)]
    return rng.choices(choices, weights=[SEN_SUPPORT_NEEDS[c] for c in choices])[0].value


def _second_need(rng: random.Random, primary: str) -> str:
    """A secondary need: not the primary one, nor one that is practically always primary."""
    return _draw_need(rng, [c for c in SEN_SUPPORT_NEEDS if c not in NEVER_SECONDARY | {primary}])


def _assign_needs(rng: random.Random, pupils: list[PupilPlan], weights: dict[SENType, float]) -> list[str]:
    needs = _quota(weights, len(pupils))
    rng.shuffle(needs)
    # Specific learning difficulties are rarely identified before Year 2: swap with an older pupil.
    for young in [i for i, p in enumerate(pupils) if p.year_group < 2 and needs[i] == SENType.SPLD]:
        older = next(
            (i for i, p in enumerate(pupils) if p.year_group >= 2 and needs[i] != SENType.SPLD),
            None,
        )
        if older is not None:
            needs[young], needs[older] = needs[older], needs[young]
    return needs


def _plan_register(rng: random.Random, pupils: list[PupilPlan]) -> None:
    sen_support: list[PupilPlan] = []
    ehc: list[PupilPlan] = []
    for setting in SETTINGS:
        here = [p for p in pupils if p.setting_key == setting.key]
        register = _weighted_sample(rng, here, setting.on_register)
        plans = set(map(id, rng.sample(register, setting.with_ehc_plan)))
        for pupil in register:
            (ehc if id(pupil) in plans else sen_support).append(pupil)

    with_second = set(map(id, rng.sample([*sen_support, *ehc], round(len(sen_support + ehc) / 3))))
    support_needs = _assign_needs(rng, sen_support, SEN_SUPPORT_NEEDS)
    replaced = set(map(id, _pick_replaced(rng, sen_support, support_needs)))
    for pupil, need in zip(sen_support, support_needs, strict=True):
        _plan_sen_support(rng, pupil, need, id(pupil) in with_second, id(pupil) in replaced)
    for pupil, need in zip(ehc, _assign_needs(rng, ehc, EHC_PLAN_NEEDS), strict=True):
        _plan_ehc(rng, pupil, need, id(pupil) in with_second)

    on_register = {id(p) for p in [*sen_support, *ehc]}
    long_enrolled = [
        p for p in pupils if id(p) not in on_register and _window(p)[0] <= LATEST_EVENT - timedelta(days=300)
    ]
    for pupil in rng.sample(long_enrolled, 5):
        _plan_removed(rng, pupil)


def _pick_replaced(rng: random.Random, sen_support: list[PupilPlan], needs: list[str]) -> list[PupilPlan]:
    """Pupils whose first recorded need was later ended and replaced (after an assessment)."""
    eligible = [
        pupil
        for pupil, need in zip(sen_support, needs, strict=True)
        if need != SENType.NSA and _window(pupil)[0] <= LATEST_EVENT - timedelta(days=200)
    ]
    return rng.sample(eligible, 4)


def _plan_sen_support(rng: random.Random, pupil: PupilPlan, need: str, second: bool, replaced: bool) -> None:
    earliest, latest = _window(pupil)
    if replaced:
        latest -= timedelta(days=150)
    start = _school_day_between(rng, earliest, latest)
    pupil.events.append(Event(start, "status", SENProvision.SEN_SUPPORT.value, reason=rng.choice(SEN_SUPPORT_REASONS)))
    if replaced and need != SENType.NSA:
        # Recorded first as "no specialist assessment" (or as a language need before an autism
        # diagnosis), replaced once the specialist's report came.
        first = SENType.SLCN.value if need == SENType.ASD else SENType.NSA.value
        pupil.events.append(Event(start, "need", first, rank=1))
        report = _school_day_between(rng, start + timedelta(days=60), LATEST_EVENT - timedelta(days=14))
        pupil.events.append(Event(report - timedelta(days=1), "end_need", first))
        start = report
    pupil.events.append(Event(start, "need", need, rank=1))
    if second and need != SENType.NSA:
        later = _school_day_between(rng, start, min(start + timedelta(days=180), LATEST_EVENT))
        pupil.events.append(Event(later, "need", _second_need(rng, need), rank=2))


def _plan_ehc(rng: random.Random, pupil: PupilPlan, need: str, second: bool) -> None:
    earliest, latest = _window(pupil)
    issuer = _la(pupil.home_la_key).name
    if latest - earliest < timedelta(days=240):  # joined recently, already with a plan
        start = _school_day_between(rng, pupil.start_date + timedelta(days=1), pupil.start_date + timedelta(days=5))
        pupil.events.append(
            Event(
                start,
                "status",
                SENProvision.EHC_PLAN.value,
                reason=f"Joined with an EHC plan issued by {issuer}.",
            )
        )
    else:  # SEN support first; then a request for an EHC needs assessment, and the plan
        start = _school_day_between(rng, earliest, latest - timedelta(days=240))
        pupil.events.append(Event(start, "status", SENProvision.SEN_SUPPORT.value))
        plan_issued = _school_day_between(rng, start + timedelta(days=200), latest)
        pupil.events.append(
            Event(
                plan_issued,
                "status",
                SENProvision.EHC_PLAN.value,
                reason=f"EHC plan issued by {issuer}.",
            )
        )
    pupil.events.append(Event(start, "need", need, rank=1))
    if second:
        later = _school_day_between(rng, start, min(start + timedelta(days=180), LATEST_EVENT))
        pupil.events.append(Event(later, "need", _second_need(rng, need), rank=2))
    pupil.events.sort(key=lambda event: event.on)  # stable: a status stays before its needs


def _plan_removed(rng: random.Random, pupil: PupilPlan) -> None:
    """SEN support for a while, then off the register (which ends the needs)."""
    earliest, latest = _window(pupil)
    start = _school_day_between(rng, earliest, latest - timedelta(days=200))
    need = _draw_need(rng, REMOVABLE_NEEDS)
    removed = _school_day_between(rng, start + timedelta(days=150), latest)
    pupil.events += [
        Event(start, "status", SENProvision.SEN_SUPPORT.value),
        Event(start, "need", need, rank=1),
        Event(removed, "status", SENProvision.NO_SEN.value, reason=rng.choice(REMOVAL_REASONS)),
    ]


def _plan_staff_links(pupils: list[PupilPlan]) -> None:
    """The demo teacher's class (Years 5 and 6) and the TA's intervention groups at the primary."""
    for pupil in pupils:
        if pupil.setting_key != "primary":
            continue
        if pupil.year_group in TEACHER_CLASS:
            pupil.staff.append((TEACHER, StaffRelationship.CLASS_TEACHER.value))
        if pupil.final_status != SENProvision.NO_SEN and pupil.year_group >= 1:
            pupil.staff.append((TEACHING_ASSISTANT, StaffRelationship.TEACHING_ASSISTANT.value))


def build_plan(seed: int = SEED) -> DemoPlan:
    """Everything the demo holds, decided without the database: the same seed, the same plan."""
    rng = random.Random(seed)
    pupils = _pupils(rng)
    _plan_register(rng, pupils)
    _plan_staff_links(pupils)
    return DemoPlan(pupils=pupils)


# Writing --------------------------------------------------------------------------------------


def check_password(password: str) -> None:
    """Raise ValidationError unless every demo account may have ``password``."""
    for account in ACCOUNTS:
        validate_password(password, User(email=account.email, full_name=account.full_name))


def is_loaded() -> bool:
    first = LOCAL_AUTHORITIES[0]
    return LocalAuthority.objects.filter(code=first.code, name=first.name).exists()


def conflicts() -> list[str]:
    """Existing records that would clash with the demo data (when it is not already loaded)."""
    found = [
        f"local authority {la.code}"
        for la in LocalAuthority.objects.filter(code__in=[la.code for la in LOCAL_AUTHORITIES])
    ]
    found += [
        f"setting URN {urn}"
        for urn in Setting.objects.filter(urn__in=[s.urn for s in SETTINGS]).values_list("urn", flat=True)
    ]
    found += list(User.objects.filter(email__in=[a.email for a in ACCOUNTS]).values_list("email", flat=True))
    return found


@transaction.atomic
def write_plan(plan: DemoPlan, password: str) -> dict[str, int]:
    """Store ``plan``, all or nothing. Returns counts for the summary."""
    system = Actor.system("demo")
    las = {}
    for la_plan in LOCAL_AUTHORITIES:
        la = LocalAuthority.objects.create(name=la_plan.name, code=la_plan.code)
        record(system, AuditAction.CREATE, obj=la, description="Demo data")
        las[la_plan.key] = la
    settings = {}
    for setting_plan in SETTINGS:
        setting = Setting.objects.create(
            name=setting_plan.name,
            urn=setting_plan.urn,
            phase=setting_plan.phase,
            statutory_low_age=setting_plan.ages[0],
            statutory_high_age=setting_plan.ages[1],
            local_authority=las[setting_plan.la_key],
        )
        record(system, AuditAction.CREATE, obj=setting, description="Demo data")
        settings[setting_plan.key] = setting
    users = _write_accounts(system, password, settings, las)

    actors = {
        a.organisation: Actor(user=users[a.email], role=Role.SENCO, setting_id=settings[a.organisation].pk)
        for a in ACCOUNTS
        if a.role == Role.SENCO
    }
    counts: Counter[str] = Counter()
    for pupil_plan in plan.pupils:
        _write_pupil(pupil_plan, actors[pupil_plan.setting_key], settings, las, users)
        counts[pupil_plan.final_status] += 1
        counts["staff links"] += len(pupil_plan.staff)
    return {
        "local authorities": len(las),
        "settings": len(settings),
        "accounts": len(users),
        "pupils": len(plan.pupils),
        "on SEN support (K)": counts[SENProvision.SEN_SUPPORT.value],
        "with an EHC plan (E)": counts[SENProvision.EHC_PLAN.value],
        "no SEN (N)": counts[SENProvision.NO_SEN.value],
        "staff links": counts["staff links"],
    }


def _write_accounts(
    system: Actor, password: str, settings: dict[str, Setting], las: dict[str, LocalAuthority]
) -> dict[str, User]:
    users = {}
    for account in ACCOUNTS:
        platform = account.role is None
        user = User.objects.create_user(
            email=account.email,
            password=password,
            full_name=account.full_name,
            is_staff=platform,
            is_superuser=platform,
        )
        record(system, AuditAction.CREATE, obj=user, description="Demo account")
        if account.role is not None:
            membership = Membership.objects.create(
                user=user,
                role=account.role,
                setting=settings.get(account.organisation),
                local_authority=las.get(account.organisation),
            )
            record(system, AuditAction.CREATE, obj=membership, description="Demo account")
        users[account.email] = user
    return users


def _write_pupil(
    plan: PupilPlan,
    actor: Actor,
    settings: dict[str, Setting],
    las: dict[str, LocalAuthority],
    users: dict[str, User],
) -> Pupil:
    setting = settings[plan.setting_key]
    pupil = services.register_pupil(
        actor=actor,
        setting=setting,
        start_date=plan.start_date,
        details={
            "legal_first_name": plan.legal_first_name,
            "legal_last_name": plan.legal_last_name,
            "preferred_first_name": plan.preferred_first_name,
            "date_of_birth": plan.date_of_birth,
            "sex": plan.sex,
            "upn": plan.upn,
            "home_local_authority": las[plan.home_la_key],
        },
    )
    for event in plan.events:
        if event.kind == "status":
            services.change_sen_status(
                actor=actor,
                pupil=pupil,
                status=event.code,
                start_date=event.on,
                reason=event.reason,
            )
        elif event.kind == "need":
            services.record_need(actor=actor, pupil=pupil, sen_type=event.code, rank=event.rank, start_date=event.on)
        else:
            need = pupil.needs.current().get(sen_type=event.code)
            services.end_need(actor=actor, need=need, end_date=event.on)
    for email, relationship in plan.staff:
        services.link_staff(actor=actor, pupil=pupil, setting=setting, user=users[email], relationship=relationship)
    return pupil


# Each feature app may add to the demo in ``graduated/<app>/demo.py`` with
# ``load_demo_data() -> dict[str, int]`` (what it made, counted), working from the pupils and
# accounts written above, deterministically. They run in this order, each after those it needs.
FEATURE_DEMOS = [
    "graduated.pathway.demo",
    "graduated.support.demo",
    "graduated.profiles.demo",
    "graduated.meetings.demo",
    "graduated.provision.demo",
    "graduated.documents.demo",
    "graduated.funding.demo",
    "graduated.statutory.demo",
    "graduated.specialists.demo",
    "graduated.professionals.demo",
    "graduated.ehc.demo",
    "graduated.rulepacks.demo",
    "graduated.plans.demo",  # after the support demo: tiers for its cycles
    "graduated.guidance.demo",
    "graduated.assessment_requests.demo",
    "graduated.records.demo",
    "graduated.families.demo",
    "graduated.training.demo",
    "graduated.oap.demo",
    "graduated.oversight.demo",  # after every demo whose records the LA's dashboard counts
    "graduated.demo.second_factor",  # last: every demo account exists by now
]


def load_feature_demos() -> dict[str, int]:
    from importlib import import_module

    counts: dict[str, int] = {}
    for dotted in FEATURE_DEMOS:
        try:
            module = import_module(dotted)
        except ModuleNotFoundError as error:
            if error.name != dotted:
                raise
            continue
        counts.update(module.load_demo_data())
    return counts
