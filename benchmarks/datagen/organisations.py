"""Stage 1: the LA (and a neighbour, where some pupils live), its pathway stages, its settings with
URNs, their staff (a SENCO, a teacher and a teaching assistant each) and the LA's officer and
admin, each with an authenticator app; staff costs and notional SEN budgets; the LA's shared
catalogue of interventions (the demo's), adopted by each setting; the LA's directory of services."""

import base64
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks.datagen.calendar import academic_year_start
from benchmarks.datagen.store import Store
from benchmarks.datagen.world import LA, MIX, SMALL_MIX, SettingInfo, World
from graduated.accounts.models import User
from graduated.organisations.models import LocalAuthority, Membership, Role, Setting
from graduated.pathway.services import stages_for
from graduated.provision.demo import LOWER_IS_BETTER, SHARED
from graduated.provision.models import CatalogueItem, DeliveryRole, SenBudget, StaffCost
from graduated.provision.services import COPIED_FIELDS
from graduated.specialists.demo import NORTHSHIRE as DEMO_SERVICES
from graduated.specialists.models import Service

PLACES = [
    "Ashby", "Barrow", "Bramley", "Brook", "Castleford", "Cherry Hinton", "Clayton", "Dale", "Denholme", "Eastwood",
    "Elmfield", "Fairfield", "Fenwick", "Glenside", "Greenhill", "Hadley", "Hartley", "Heathfield", "Highcliffe",
    "Holme", "Kingsway", "Kirkby", "Langley", "Larkfield", "Linden", "Marsh", "Meadowbank", "Millfield", "Moorside",
    "Northgate", "Oakwood", "Orchard", "Parkside", "Pennine", "Queensbury", "Ravenscroft", "Redhill", "Riverside",
    "Rowan", "St Anne's", "St Mark's", "Sandal", "Selby Road", "Shelf", "Southfield", "Springwood", "Stanley",
    "Thornbury", "Tong", "Underhill", "Valley", "Westfield", "Whitcliffe", "Willow Bank", "Windhill", "Woodside",
    "Wrenthorpe", "Yeadon",
]  # fmt: skip
KINDS = {
    "early_years": ["Day Nursery", "Pre-school", "Nursery School"],
    "primary": ["Primary School", "Primary Academy", "C of E Primary School", "Junior and Infant School"],
    "secondary": ["Academy", "High School", "School"],
    "special": ["Special School", "School and Specialist Centre"],
    "further_education": ["College", "Sixth Form College"],
    "alternative_provision": ["Learning Centre"],
}
HOURLY = {
    DeliveryRole.TEACHER: "38.50", DeliveryRole.TEACHING_ASSISTANT: "19.20", DeliveryRole.SENCO: "44.00",
    DeliveryRole.SPECIALIST_TEACHER: "52.00", DeliveryRole.THERAPIST: "61.00",
}  # fmt: skip
# The catalogue items a setting's pupils are placed in: small groups or one to one.
PLACEABLE = [row for row in SHARED if row[5] <= 6]


def _shares(weights: list[float], total: int, caps: list[int] | None = None) -> list[int]:
    """``total`` split in proportion to ``weights``, none above its cap, rounded by largest
    remainders: the shares always sum to ``total`` (when the caps allow it)."""
    limits = caps or [total] * len(weights)
    fixed: dict[int, int] = {}  # shares held at their cap
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        left = total - sum(fixed.values())
        whole = sum(weights[i] for i in free) or 1.0
        exact = {i: weights[i] * left / whole for i in free}
        over = [i for i in free if exact[i] > limits[i]]
        if not over:
            break
        fixed.update({i: limits[i] for i in over})
    shares = {i: int(exact[i]) for i in free} | fixed
    spare = sorted((i for i in free if shares[i] < limits[i]), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in spare[: total - sum(shares.values())]:
        shares[i] += 1
    return [shares[i] for i in range(len(weights))]


def _plan_settings(world: World, rng: random.Random) -> list[SettingInfo]:
    scale = world.scale
    mix = MIX if scale.settings == LA.settings else SMALL_MIX
    kinds = [row for row in mix for _ in range(row[1])]
    kinds = [kinds[i % len(kinds)] for i in range(scale.settings)]
    rolls = [row[2] * rng.uniform(0.7, 1.3) for row in kinds]
    pupils = _shares(rolls, scale.pupils)
    register = _shares([n * row[4] for n, row in zip(pupils, kinds, strict=True)], scale.register, pupils)
    plans = _shares([r * row[5] for r, row in zip(register, kinds, strict=True)], scale.ehc_plans, register)
    used: set[str] = set()
    settings = []
    for index, row in enumerate(kinds):
        phase = row[0].value
        name = ""
        while not name or name in used:
            name = f"{rng.choice(PLACES)} {rng.choice(KINDS[phase])}"
            if name in used and rng.random() < 0.3:
                name = f"{name} ({index + 1})"
        used.add(name)
        settings.append(
            SettingInfo(
                id=0,
                name=name,
                urn=f"{150001 + index}",
                phase=phase,
                pupils=pupils[index],
                register=register[index],
                ehc_plans=plans[index],
                year_groups=row[3],
            )
        )
    return settings


def build(world: World, store: Store) -> None:
    rng = random.Random(world.seed * 100 + 1)  # noqa: S311 - invented data, the same every run
    las = store.table(LocalAuthority, ["name", "code"])
    world.la_name = "Benchshire"
    world.la_id = las.add("Benchshire", "990")
    world.other_la_id = las.add("Neighbourshire", "991")
    las.flush()  # the pathway stages are made by the app's own service, which reads the LA
    la = LocalAuthority.objects.get(pk=world.la_id)
    world.stages = {stage.key: stage.pk for stage in stages_for(la)}

    world.settings = _plan_settings(world, rng)
    settings = store.table(Setting, ["name", "urn", "phase", "local_authority_id"])
    for info in world.settings:
        info.id = settings.add(info.name, info.urn, info.phase, world.la_id)
    _people(world, store, rng)
    _costs(world, store)
    _catalogue(world, store, rng)
    _services(world, store)


def _people(world: World, store: Store, rng: random.Random) -> None:
    # One hash for every account (argon2 takes a tenth of a second), its salt from the seed: the same
    # seed, the same rows.
    hashed = make_password(world.password, salt=f"benchmarksalt{world.seed}")
    users = store.table(User, ["email", "full_name", "password", "date_joined"])
    members = store.table(Membership, ["user_id", "role", "setting_id", "local_authority_id", "created_at"])
    devices = store.table(TOTPDevice, ["user_id", "name", "confirmed", "key"])
    joined = world.now.replace(year=world.now.year - world.scale.years)

    def person(email: str, name: str, role: str, setting_id: int | None, la_id: int | None) -> int:
        user_id = users.add(email, name, hashed, joined)
        members.add(user_id, role, setting_id, la_id, joined)
        secret = bytes(rng.randrange(256) for _ in range(20))
        devices.add(user_id, "Authenticator app", True, secret.hex())
        world.secrets[user_id] = base64.b32encode(secret).decode()
        return user_id

    world.officer_email, world.admin_email = "officer@benchshire.example.org", "admin@benchshire.example.org"
    world.officer_id = person(world.officer_email, "Olu Officer", Role.LA_OFFICER, None, world.la_id)
    world.admin_id = person(world.admin_email, "Ada Admin", Role.LA_ADMIN, None, world.la_id)
    for info in world.settings:
        info.senco_email = f"senco.{info.urn}@bench.example.org"
        info.senco_id = person(info.senco_email, f"SENCO of {info.name}", Role.SENCO, info.id, None)
        info.teacher_id = person(f"teacher.{info.urn}@bench.example.org", "A Teacher", Role.TEACHER, info.id, None)
        info.ta_id = person(f"ta.{info.urn}@bench.example.org", "A Teaching Assistant", Role.TEACHING_ASSISTANT,
                            info.id, None)  # fmt: skip


def _costs(world: World, store: Store) -> None:
    costs = store.table(StaffCost, ["setting_id", "role", "hourly_cost"])
    budgets = store.table(SenBudget, ["setting_id", "year_starting", "amount"])
    first = academic_year_start(world.window_start)
    for info in world.settings:
        for role, cost in HOURLY.items():
            costs.add(info.id, role.value, Decimal(cost))
        for year in range(first, academic_year_start(world.today) + 1):
            budgets.add(info.id, year, Decimal(6000 * max(1, info.register) // 2))


def _details(row: tuple[Any, ...]) -> dict[str, object]:
    name, areas, tier, strength, role, group, sessions, minutes, weeks, cost, measure, description = row
    details: dict[str, object] = {
        "name": name, "description": description, "areas": areas, "tier": tier, "evidence_note": "",
        "evidence_link": "", "evidence_strength": strength, "delivered_by_role": role, "group_size": group,
        "sessions_per_week": sessions, "minutes_per_session": minutes, "typical_weeks": weeks,
        "resources_cost": Decimal(cost), "measure_name": "", "measure_unit": "", "measure_kind": "",
        "higher_is_better": True,
    }  # fmt: skip
    if measure:
        details.update(measure_name=measure[0], measure_unit=measure[1], measure_kind=measure[2])
        details["higher_is_better"] = measure[0] not in LOWER_IS_BETTER
    return details


CATALOGUE_FIELDS = ["setting_id", "local_authority_id", "adopted_from_id", *COPIED_FIELDS]


def _catalogue(world: World, store: Store, rng: random.Random) -> None:
    items = store.table(CatalogueItem, CATALOGUE_FIELDS)
    shared = []
    for row in SHARED:
        details = _details(row)
        shared.append((items.add(None, world.la_id, None, *(details[name] for name in COPIED_FIELDS)), row))
    placeable = [(pk, row) for pk, row in shared if row in PLACEABLE]
    for info in world.settings:
        for shared_id, row in rng.sample(placeable, min(len(placeable), rng.randint(7, 11))):
            details = _details(row)
            pk = items.add(info.id, None, shared_id, *(details[name] for name in COPIED_FIELDS))
            info.adopted.append(pk)
            world.items[pk] = (row[1], row[4], row[5], row[6], row[7], row[8], row[0], row[10] is not None)


def _services(world: World, store: Store) -> None:
    fields = [name for name in DEMO_SERVICES[0] if name != "local_authority"]
    services = store.table(Service, ["local_authority_id", *fields])
    for details in DEMO_SERVICES:
        values = {**details, "name": details["name"].replace("Northshire", world.la_name)}
        services.add(world.la_id, *(values[name] for name in fields))
