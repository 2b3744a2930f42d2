"""Stage 6: the audit trail of the three years, exactly the scale's number of events, in time order:
the creation of each pupil (at the import that began the history, or their enrolment), of each
cycle, review, meeting and EHC case, then people looking at pupils' records for the rest; and
some security events (failed sign-ins, pages refused) for the LA admin's page."""

import random
from datetime import datetime, timedelta

from benchmarks.datagen.calendar import at, school_day_between
from benchmarks.datagen.store import Store
from benchmarks.datagen.world import PupilInfo, SettingInfo, World
from graduated.audit.models import AuditAction, AuditEvent, SecurityEvent, SecurityEventKind
from graduated.organisations.models import Role

Event = tuple[datetime, int | None, str, str, int | None, int | None, int | None, str, str, str, str, list[str]]
VIEWED_PAGES = ["pupils: detail", "support: cycle", "support: cycles", "meetings: list", "pupils: chronology",
                "provision: pupil map", "profiles: profile"]  # fmt: skip


def _staff(rng: random.Random, setting: SettingInfo) -> tuple[int, str, str]:
    choice = rng.random()
    if choice < 0.6:
        return setting.senco_id, setting.senco_email, Role.SENCO.value
    if choice < 0.8:
        return setting.teacher_id, f"teacher.{setting.urn}@bench.example.org", Role.TEACHER.value
    return setting.ta_id, f"ta.{setting.urn}@bench.example.org", Role.TEACHING_ASSISTANT.value


def _created(world: World, rng: random.Random) -> list[list[Event]]:
    """The events of each kind of record made, in the order they are kept when the number is short."""
    start = world.window_start
    pupils: list[Event] = []
    for p in world.pupils:
        s = p.setting
        pupils.append((at(max(p.start, start), rng), s.senco_id, s.senco_email, Role.SENCO, s.id, None, p.id,
                       AuditAction.CREATE, "pupils.pupil", str(p.id), "", ["date_of_birth", "legal_first_name",
                       "legal_last_name", "sex", "upn"]))  # fmt: skip
    cycles: list[Event] = []
    reviews: list[Event] = []
    for c in world.cycles:
        s = c.pupil.setting
        cycles.append((at(c.started_on, rng), s.senco_id, s.senco_email, Role.SENCO, s.id, None, c.pupil.id,
                       AuditAction.CREATE, "support.cycle", str(c.id), "", ["number", "started_on"]))  # fmt: skip
        if c.closed and c.review_on:
            reviews.append((at(c.review_on, rng), s.senco_id, s.senco_email, Role.SENCO, s.id, None, c.pupil.id,
                            AuditAction.CREATE, "support.review", "", "", ["decision", "held_on"]))  # fmt: skip
    settings = {p.id: p.setting for p in world.pupils}
    meetings: list[Event] = []
    for meeting_id, pupil_id, held in world.meetings:
        s = settings[pupil_id]
        meetings.append((at(held, rng), s.senco_id, s.senco_email, Role.SENCO, s.id, None, pupil_id,
                         AuditAction.CREATE, "meetings.meeting", str(meeting_id), "", ["held_on", "kind"]))  # fmt: skip
    cases: list[Event] = []
    for p in world.pupils:
        if p.request and p.request.id and p.request.received_on >= start:
            cases.append((at(p.request.received_on, rng), world.officer_id, world.officer_email, Role.LA_OFFICER,
                          None, world.la_id, p.id, AuditAction.CREATE, "ehc.ehcrequest", str(p.request.id), "",
                          ["received_on", "source"]))  # fmt: skip
    return [pupils, cycles, reviews, meetings, cases]


def _views(world: World, rng: random.Random, count: int) -> list[Event]:
    register = [p for p in world.pupils if p.status != "N"] or world.pupils
    events: list[Event] = []
    for _ in range(count):
        pupil: PupilInfo = rng.choice(register) if rng.random() < 0.8 else rng.choice(world.pupils)
        day = school_day_between(rng, max(world.window_start, pupil.start), world.today)
        if pupil.status == "E" and rng.random() < 0.2:
            actor: tuple[int, str, str] = (world.officer_id, world.officer_email, Role.LA_OFFICER.value)
            setting_id, la_id = None, world.la_id
        else:
            actor, setting_id, la_id = _staff(rng, pupil.setting), pupil.setting.id, None
        events.append((at(day, rng), *actor, setting_id, la_id, pupil.id, AuditAction.VIEW, rng.choice(VIEWED_PAGES),
                       str(pupil.id), "", []))  # fmt: skip
    return events


def build(world: World, store: Store) -> None:
    rng = random.Random(world.seed * 100 + 6)  # noqa: S311 - invented data, the same every run
    budget = world.scale.audit_events
    events: list[Event] = []
    for kind in _created(world, rng):
        if len(kind) > budget - len(events):
            kind = rng.sample(kind, budget - len(events))
        events.extend(kind)
    events.extend(_views(world, rng, budget - len(events)))
    events.sort(key=lambda event: event[0])
    table = store.table(AuditEvent, [
        "occurred_at", "actor_id", "actor_email", "actor_role", "setting_id", "local_authority_id", "pupil_id",
        "action", "object_type", "object_id", "description", "changed_fields", "ip_address", "request_id",
    ])  # fmt: skip
    for event in events:
        table.add(*event, f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                  f"{rng.getrandbits(64):016x}")  # fmt: skip
    _security(world, store, rng, max(20, budget // 400))


def _security(world: World, store: Store, rng: random.Random, count: int) -> None:
    table = store.table(SecurityEvent, [
        "occurred_at", "kind", "user_id", "email", "local_authority_id", "setting_id", "ip_address", "request_id",
        "method", "path", "status", "detail",
    ])  # fmt: skip
    rows = []
    for _ in range(count):
        setting = rng.choice(world.settings)
        day = world.window_start + timedelta(days=rng.randrange(max(1, (world.today - world.window_start).days)))
        if rng.random() < 0.7:
            row = (at(day, rng), SecurityEventKind.SIGN_IN_FAILED, setting.senco_id, setting.senco_email, world.la_id,
                   setting.id, "POST", "/accounts/login/", 200, "Wrong password")  # fmt: skip
        else:
            row = (at(day, rng), SecurityEventKind.DENIED, setting.ta_id, f"ta.{setting.urn}@bench.example.org",
                   world.la_id, setting.id, "GET", f"/pupils/{rng.randrange(1, len(world.pupils) + 1)}/", 404,
                   "Not found")  # fmt: skip
        rows.append(row)
    rows.sort(key=lambda row: row[0])
    for occurred, kind, user, email, la, setting_id, method, path, status, detail in rows:
        table.add(occurred, kind, user, email, la, setting_id, f"10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                  f"{rng.getrandbits(64):016x}", method, path, status, detail)  # fmt: skip
