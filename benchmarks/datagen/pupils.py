"""Stage 2: pupils, as the services would have recorded them: each enrolled at one setting with a
UPN (most), a year group from their date of birth, contacts, their SEN status history (N, then K,
then E for those with plans; a few back to N), needs, staff links, their stage on the LA's
pathway, the concern that started their SEN support, and the chronology of all of it.

Requests for EHC needs assessments are decided here too (their dates set the statuses), and
written by the EHC stage.
"""

import random
from collections.abc import Collection, Mapping
from datetime import date, timedelta

from benchmarks.datagen.calendar import (
    academic_year_start,
    add_years,
    at,
    next_term_start,
    school_day_between,
    term,
    weekday_on_or_after,
)
from benchmarks.datagen.store import Store
from benchmarks.datagen.world import PupilInfo, Request, SettingInfo, World
from graduated.demo.catalogue import (
    EHC_PLAN_NEEDS,
    NEVER_SECONDARY,
    REMOVABLE_NEEDS,
    REMOVAL_REASONS,
    SEN_SUPPORT_NEEDS,
    SEN_SUPPORT_REASONS,
)
from graduated.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES, PREFERRED_FORMS
from graduated.ehc.models import Stage as CaseStage
from graduated.pathway.models import Concern, Decision, PupilStage, StageKey
from graduated.pupils.codes import BROAD_AREA_OF_TYPE, SENProvision, SENType
from graduated.pupils.identifiers import check_letter
from graduated.pupils.models import (
    ChronologyEntry,
    ChronologyKind,
    Contact,
    Enrolment,
    Need,
    Pupil,
    SENStatusPeriod,
    StaffLink,
    StaffRelationship,
)

STATUS_LABEL = {code: label for code, label in SENProvision.choices}
# Requests that put the pupil at the pathway's "EHC needs assessment requested" stage.
REQUESTED = (CaseStage.RECEIVED, CaseStage.ASSESSING, CaseStage.DRAFT, CaseStage.FINAL)
CONCERNS = [  # (what is seen, already tried)
    ("Reading well below peers; avoids reading aloud.", "Daily phonics catch-up, coloured overlays, word mats."),
    ("Struggles to follow instructions with more than one step.", "Instructions chunked and shown visually."),
    ("Frequent upsets at unstructured times.", "A calm corner and a named adult at playtime."),
    ("Not retaining number facts from one week to the next.", "Concrete apparatus and pre-teaching."),
    ("Tires quickly when writing; letters poorly formed.", "A writing slope and a pencil grip."),
]


def _weighted_choice(rng: random.Random, weights: Mapping[SENType, float], exclude: Collection[str] = ()) -> str:
    codes = [code for code in weights if code.value not in exclude]
    return rng.choices(codes, weights=[weights[c] for c in codes])[0].value


class _Writer:
    def __init__(self, world: World, store: Store, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self.pupils = store.table(Pupil, [
            "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name", "date_of_birth",
            "sex", "upn", "home_local_authority_id", "year_group_override", "sen_unit", "resourced_provision",
            "created_at", "updated_at", "version",
        ])  # fmt: skip
        self.enrolments = store.table(Enrolment, ["pupil_id", "setting_id", "start_date", "end_date"])
        self.statuses = store.table(
            SENStatusPeriod, ["pupil_id", "status", "start_date", "end_date", "reason", "recorded_by_id", "recorded_at"]
        )
        self.needs = store.table(
            Need, ["pupil_id", "sen_type", "rank", "start_date", "end_date", "recorded_by_id", "recorded_at"]
        )
        self.contacts = store.table(Contact, [
            "pupil_id", "first_name", "last_name", "relationship", "parental_responsibility", "email", "phone",
            "priority", "created_at", "updated_at",
        ])  # fmt: skip
        self.links = store.table(StaffLink, ["pupil_id", "setting_id", "user_id", "relationship", "created_at"])
        self.stages = store.table(
            PupilStage, ["pupil_id", "stage_id", "start_date", "end_date", "reason", "recorded_by_id", "recorded_at"]
        )
        self.concerns = store.table(Concern, [
            "pupil_id", "raised_by_id", "raised_on", "areas", "what_is_seen", "already_tried", "parents_view",
            "decision", "decided_on", "decided_by_id", "decision_note", "look_again_on", "parents_notified_on",
            "created_at",
        ])  # fmt: skip
        self.chronology = store.table(
            ChronologyEntry, ["pupil_id", "kind", "occurred_on", "recorded_at", "recorded_by_id", "summary"]
        )
        self.serials: dict[tuple[int, int], int] = {}

    def chronicle(self, pupil: PupilInfo, kind: str, on: date, summary: str, by: int | None = None) -> None:
        self.chronology.add(pupil.id, kind, on, at(on, self.rng), by or pupil.setting.senco_id, summary[:300])

    # Deciding ----------------------------------------------------------------------------------

    def _upn(self, setting_index: int, born: date, phase: str) -> str | None:
        if phase == "early_years" and self.rng.random() < 0.5:
            return None
        cohort = (academic_year_start(born) + 5) % 100  # the year the pupil started Reception
        key = (setting_index, cohort)
        self.serials[key] = self.serials.get(key, 0) + 1
        body = f"990{2000 + setting_index:04d}{cohort:02d}{self.serials[key]:03d}"
        return check_letter(body) + body

    def _start(self, setting: SettingInfo, year_group: int, born: date) -> date:
        rng, today = self.rng, self.world.today
        this_year = academic_year_start(today)
        entry = {"primary": 0, "secondary": 7, "further_education": 12}.get(setting.phase)
        if setting.phase == "early_years":  # the term after their second birthday
            usual = next_term_start(add_years(born, 2))
        elif entry is None:  # special schools and alternative provision: any time since Reception
            usual = today - timedelta(days=rng.randint(30, 5 * 365))
            if year_group >= 0:
                usual = max(usual, term(this_year - year_group, "autumn").start)
        else:
            usual = term(this_year - (year_group - entry), "autumn").start
        usual = min(usual, today - timedelta(days=1))
        if rng.random() < 0.08 and usual < today - timedelta(days=60):  # an in-year admission
            usual = school_day_between(rng, usual, today - timedelta(days=30))
        return weekday_on_or_after(usual) if weekday_on_or_after(usual) < today else usual

    def plan_setting(self, setting: SettingInfo, index: int) -> list[PupilInfo]:
        rng, today = self.rng, self.world.today
        groups = list(setting.year_groups)
        counts = [setting.pupils // len(groups)] * len(groups)
        for i in rng.sample(range(len(groups)), setting.pupils - sum(counts)):
            counts[i] += 1
        made = []
        this_year = academic_year_start(today)
        for year_group, count in zip(groups, counts, strict=True):
            cohort_start = date(this_year - 5 - year_group, 9, 1)
            for _ in range(count):
                sex = rng.choice("FM")
                first = rng.choice(FEMALE_FIRST_NAMES if sex == "F" else MALE_FIRST_NAMES)
                born = cohort_start + timedelta(days=rng.randrange(365))
                info = PupilInfo(
                    id=0, setting=setting, first=first, last=rng.choice(LAST_NAMES), sex=sex, born=born,
                    year_group=year_group, start=self._start(setting, year_group, born),
                )  # fmt: skip
                made.append(info)
        self._plan_register(setting, made)
        return made

    def _plan_register(self, setting: SettingInfo, pupils: list[PupilInfo]) -> None:
        rng = self.rng
        keys = [rng.random() ** (1 / (2.0 if p.sex == "M" else 1.0)) for p in pupils]  # boys twice as likely
        ranked = [pupils[i] for i in sorted(range(len(pupils)), key=lambda i: keys[i], reverse=True)]
        register, rest = ranked[: setting.register], ranked[setting.register :]
        with_plans = set(map(id, rng.sample(register, setting.ehc_plans)))
        for pupil in register:
            if id(pupil) in with_plans:
                self._plan_ehc(pupil)
            else:
                self._plan_sen_support(pupil)
        for pupil in rng.sample(rest, min(len(rest), round(setting.register * 0.05))):
            self._plan_removed(pupil)

    def _plan_sen_support(self, pupil: PupilInfo) -> None:
        rng, today = self.rng, self.world.today
        earliest = max(pupil.start + timedelta(days=14), today - timedelta(days=6 * 365))
        latest = today - timedelta(days=10)
        if earliest >= latest:  # joined lately, already on SEN support elsewhere
            pupil.sen_start = min(today, pupil.start + timedelta(days=rng.randint(1, 5)))
        else:
            pupil.sen_start = school_day_between(rng, earliest, latest)
        pupil.status = "K"

    def _plan_ehc(self, pupil: PupilInfo) -> None:
        rng, today = self.rng, self.world.today
        settle = pupil.start + timedelta(days=14)
        if (today - settle).days >= 300 and pupil.setting.phase != "special" and rng.random() < 0.75:
            pupil.sen_start = school_day_between(rng, max(settle, today - timedelta(days=7 * 365)),
                                                 today - timedelta(days=300))  # fmt: skip
            received = school_day_between(rng, pupil.sen_start + timedelta(days=100), today - timedelta(days=160))
            received = max(received, pupil.sen_start + timedelta(days=1))
        else:  # joined with a plan this LA issued while the pupil was elsewhere
            received = pupil.start - timedelta(days=rng.randint(150, 400))
        final = received + timedelta(days=rng.randint(126, 154))  # about 20 weeks; some late
        if pupil.sen_start is None:
            final = min(final, pupil.start)
        pupil.request = Request(
            received_on=received, outcome=CaseStage.FINAL, decided_on=received + timedelta(days=rng.randint(30, 42)),
            draft_on=received + timedelta(days=rng.randint(95, 110)), final_on=final,
        )  # fmt: skip
        pupil.plan_from = max(final, pupil.start + timedelta(days=rng.randint(1, 5)))
        if pupil.sen_start is not None and pupil.plan_from <= pupil.sen_start:
            pupil.plan_from = pupil.sen_start + timedelta(days=1)
        pupil.status = "E"

    def _plan_removed(self, pupil: PupilInfo) -> None:
        rng, today = self.rng, self.world.today
        earliest = max(pupil.start + timedelta(days=14), today - timedelta(days=5 * 365))
        if (today - earliest).days < 320:
            return
        pupil.sen_start = school_day_between(rng, earliest, today - timedelta(days=300))
        pupil.removed_on = school_day_between(rng, pupil.sen_start + timedelta(days=150), today - timedelta(days=20))

    def plan_requests(self, pupils: list[PupilInfo]) -> None:
        """Requests that did not (or not yet) end in a plan, for pupils on SEN support."""
        rng, today, scale = self.rng, self.world.today, self.world.scale
        candidates = [p for p in pupils if p.status == "K" and p.sen_start and (today - p.sen_start).days > 200]
        rng.shuffle(candidates)
        open_count, refused, not_issued = (round(scale.ehc_plans * share) for share in (0.09, 0.12, 0.03))
        for index, pupil in enumerate(candidates[: open_count + refused + not_issued]):
            assert pupil.sen_start is not None
            if index < open_count:
                received = today - timedelta(days=rng.randint(3, 140))
                age = (today - received).days
                if age < 42:
                    request = Request(received, CaseStage.RECEIVED)
                elif age < 105:
                    request = Request(
                        received, CaseStage.ASSESSING, decided_on=received + timedelta(days=rng.randint(30, 41))
                    )
                else:
                    decided = received + timedelta(days=rng.randint(30, 41))
                    draft = received + timedelta(days=rng.randint(95, 104))
                    request = Request(received, CaseStage.DRAFT, decided_on=decided, draft_on=draft)
            else:
                latest = today - timedelta(days=50 if index < open_count + refused else 150)
                earliest = max(pupil.sen_start + timedelta(days=60), self.world.window_start)
                if earliest >= latest:
                    continue
                received = school_day_between(rng, earliest, latest)
                decided = received + timedelta(days=rng.randint(28, 42))
                if index < open_count + refused:
                    request = Request(received, CaseStage.NOT_ASSESSING, decided_on=decided)
                else:
                    request = Request(received, CaseStage.NOT_ISSUING, decided_on=decided,
                                      draft_on=received + timedelta(days=rng.randint(95, 110)))  # fmt: skip
            pupil.request = request

    # Writing ------------------------------------------------------------------------------------

    def write(self, pupil: PupilInfo, index: int) -> None:
        rng, world = self.rng, self.world
        setting = pupil.setting
        preferred = PREFERRED_FORMS.get(pupil.first, "") if rng.random() < 0.3 else ""
        created = at(max(pupil.start, world.window_start), rng)
        home = world.other_la_id if rng.random() < 0.04 else world.la_id
        pupil.id = self.pupils.add(
            pupil.first, pupil.last, preferred, "", pupil.born, pupil.sex, self._upn(index, pupil.born, setting.phase),
            home, None, False, False, created, created, 1,
        )  # fmt: skip
        self.enrolments.add(pupil.id, setting.id, pupil.start, None)
        self.chronicle(pupil, ChronologyKind.ENROLLED, pupil.start, f"Enrolled at {setting.name}")
        parent_first = rng.choice(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES)
        relationship = "Mother" if parent_first in FEMALE_FIRST_NAMES else "Father"
        pupil.parent = f"{parent_first} {pupil.last}"
        self.contacts.add(pupil.id, parent_first, pupil.last, relationship, True,
                          f"parent{pupil.id}@example.com", "07700 900123", 1, created, created)  # fmt: skip
        if rng.random() < 0.5:
            self.contacts.add(pupil.id, rng.choice(MALE_FIRST_NAMES), pupil.last, "Father", True, "",
                              "07700 900456", 2, created, created)  # fmt: skip
        self._statuses(pupil)
        if pupil.sen_start or pupil.plan_from:
            self._needs(pupil)
            self._stages(pupil)
            if pupil.status != "N":
                self._links(pupil)

    def _statuses(self, pupil: PupilInfo) -> None:
        changes: list[tuple[str, date, str]] = [(SENProvision.NO_SEN, pupil.start, "")]
        if pupil.sen_start:
            changes.append((SENProvision.SEN_SUPPORT, pupil.sen_start, self.rng.choice(SEN_SUPPORT_REASONS)))
        if pupil.plan_from:
            changes.append((SENProvision.EHC_PLAN, pupil.plan_from, f"EHC plan issued by {self.world.la_name}."))
        if pupil.removed_on:
            changes.append((SENProvision.NO_SEN, pupil.removed_on, self.rng.choice(REMOVAL_REASONS)))
        for position, (status, start, reason) in enumerate(changes):
            end = changes[position + 1][1] - timedelta(days=1) if position + 1 < len(changes) else None
            self.statuses.add(pupil.id, status, start, end, reason, pupil.setting.senco_id, at(start, self.rng))
            if position:
                before = STATUS_LABEL[changes[position - 1][0]]
                summary = f"SEN status changed from {before} to {STATUS_LABEL[status]}"
                self.chronicle(
                    pupil, ChronologyKind.STATUS_CHANGED, start, f"{summary}: {reason}" if reason else summary
                )

    def _needs(self, pupil: PupilInfo) -> None:
        rng = self.rng
        start = pupil.sen_start or pupil.plan_from
        assert start is not None
        if pupil.removed_on:
            primary = rng.choice(REMOVABLE_NEEDS)
        else:
            primary = _weighted_choice(rng, EHC_PLAN_NEEDS if pupil.plan_from else SEN_SUPPORT_NEEDS)
        area = BROAD_AREA_OF_TYPE.get(primary)
        pupil.area = area.value if area else "CL"
        needs = [(primary, 1, start)]
        if primary != "NSA" and rng.random() < 1 / 3:
            second = _weighted_choice(rng, SEN_SUPPORT_NEEDS, NEVER_SECONDARY | {primary})
            later = min(start + timedelta(days=rng.randint(0, 180)), self.world.today)
            if pupil.removed_on is None or later < pupil.removed_on:
                needs.append((second, 2, later))
        for sen_type, rank, since in needs:
            end = max(since, pupil.removed_on - timedelta(days=1)) if pupil.removed_on else None
            self.needs.add(pupil.id, sen_type, rank, since, end, pupil.setting.senco_id, at(since, rng))
            label = "primary" if rank == 1 else f"rank {rank}"
            self.chronicle(pupil, ChronologyKind.NEED_RECORDED, since, f"Need recorded: {sen_type} ({label})")
            if end:
                self.chronicle(pupil, ChronologyKind.NEED_ENDED, end, f"Need ended: {sen_type}")

    def _stages(self, pupil: PupilInfo) -> None:
        moves: list[tuple[str, date]] = []
        request = pupil.request
        if pupil.sen_start:
            moves.append((StageKey.SEN_SUPPORT, pupil.sen_start))
        if request and request.outcome in REQUESTED and pupil.sen_start and request.received_on > pupil.sen_start:
            moves.append((StageKey.EHC_ASSESSMENT_REQUESTED, request.received_on))
        if pupil.plan_from:
            moves.append((StageKey.EHC_PLAN, pupil.plan_from))
        if pupil.removed_on:
            moves.append((StageKey.QUALITY_FIRST_TEACHING, pupil.removed_on))
        moves = [move for i, move in enumerate(moves) if i == 0 or move[1] > moves[i - 1][1]]
        for position, (key, start) in enumerate(moves):
            end = moves[position + 1][1] - timedelta(days=1) if position + 1 < len(moves) else None
            self.stages.add(
                pupil.id, self.world.stages[key], start, end, "", pupil.setting.senco_id, at(start, self.rng)
            )
            self.chronicle(pupil, ChronologyKind.STAGE_CHANGED, start, f"Stage changed to {StageKey(key).label}")
        if (
            pupil.sen_start
            and pupil.sen_start > pupil.start + timedelta(days=14)
            and pupil.sen_start >= self.world.window_start
        ):
            self._concern(pupil, pupil.sen_start, Decision.START_SEN_SUPPORT)

    def _concern(self, pupil: PupilInfo, decided: date | None, decision: str | None) -> None:
        rng = self.rng
        seen, tried = rng.choice(CONCERNS)
        latest = decided or self.world.today
        raised = max(pupil.start, latest - timedelta(days=rng.randint(0 if decided is None else 7, 40)))
        setting = pupil.setting
        look_again = decided + timedelta(days=42) if decision == Decision.MONITOR and decided else None
        told = decided if decision == Decision.START_SEN_SUPPORT else None
        self.concerns.add(
            pupil.id, setting.teacher_id, raised, [pupil.area], seen, tried, "", decision, decided,
            setting.senco_id if decided else None, "", look_again, told, at(raised, rng),
        )  # fmt: skip
        self.chronicle(pupil, ChronologyKind.CONCERN_RAISED, raised, "Concern raised", setting.teacher_id)
        if decided and decision:
            self.chronicle(pupil, ChronologyKind.CONCERN_DECIDED, decided, f"Decision: {Decision(decision).label}")

    def _links(self, pupil: PupilInfo) -> None:
        setting = pupil.setting
        teacher = StaffRelationship.KEY_PERSON if setting.phase == "early_years" else StaffRelationship.CLASS_TEACHER
        self.links.add(pupil.id, setting.id, setting.teacher_id, teacher, self.world.now)
        self.links.add(pupil.id, setting.id, setting.ta_id, StaffRelationship.TEACHING_ASSISTANT, self.world.now)

    def other_concerns(self, pupils: list[PupilInfo]) -> None:
        """Concerns about pupils not on the register: some watched, some closed, three open per setting."""
        rng, today = self.rng, self.world.today
        by_setting: dict[int, list[PupilInfo]] = {}
        for pupil in pupils:
            if pupil.status == "N" and not pupil.removed_on:
                by_setting.setdefault(pupil.setting.id, []).append(pupil)
        for candidates in by_setting.values():
            for pupil in rng.sample(candidates, min(len(candidates), 3)):
                self._concern(pupil, None, None)
            for pupil in rng.sample(candidates, min(len(candidates), max(1, len(candidates) // 70))):
                decided = school_day_between(rng, max(pupil.start + timedelta(days=14), self.world.window_start),
                                             today - timedelta(days=7))  # fmt: skip
                self._concern(pupil, decided, rng.choice([Decision.MONITOR, Decision.NO_FURTHER_ACTION]))


def build(world: World, store: Store) -> None:
    rng = random.Random(world.seed * 100 + 2)  # noqa: S311 - invented data, the same every run
    writer = _Writer(world, store, rng)
    for index, setting in enumerate(world.settings):
        world.pupils.extend(writer.plan_setting(setting, index))
    writer.plan_requests(world.pupils)
    index_of = {setting.id: index for index, setting in enumerate(world.settings)}
    for pupil in world.pupils:
        writer.write(pupil, index_of[pupil.setting.id])
    writer.other_concerns(world.pupils)
