"""One chunk of an import's decisions written in a fixed number of statements, whatever its size.

New rows go in through ``graduated.lib.bulk.insert`` (one statement per table, no model instances:
an import of 130,000 pupils writes about a million rows); the new pupils' ids are then read back
by UPN, which is unique. Changed rows go through ``graduated.lib.bulk.update`` (one UPDATE run
for many rows; ``bulk_update``'s CASE expressions cost 1.5 ms a pupil). Each change writes the chronology
entry the same change made by hand writes (graduated/pupils/services.py), and each pupil created
or changed one audit event.
"""

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, Entry, record_many
from graduated.lib.bulk import insert, update
from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Contact, Enrolment, Need, Pupil, SENStatusPeriod
from graduated.records.changes import LABELS, Decision, ImportOptions, ImportSummary, Outcome, provision_label

_PUPIL_FIELDS = (
    "version", "upn", "legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name",
    "date_of_birth", "sex", "home_local_authority_id", "year_group_override", "sen_unit", "resourced_provision",
    "created_at", "updated_at",
)  # fmt: skip
_DEFAULTS: dict[str, Any] = {
    "preferred_first_name": "", "preferred_last_name": "", "year_group_override": None, "sen_unit": False,
    "resourced_provision": False,
}  # fmt: skip
_CHRONOLOGY_FIELDS = ("pupil_id", "kind", "occurred_on", "recorded_at", "recorded_by_id", "summary")
_PERIOD_FIELDS = ("pupil_id", "status", "start_date", "end_date", "reason", "recorded_by_id", "recorded_at")
_NEED_FIELDS = ("pupil_id", "sen_type", "rank", "start_date", "end_date", "recorded_by_id", "recorded_at")
_CONTACT_FIELDS = (
    "pupil_id", "first_name", "last_name", "relationship", "parental_responsibility", "email", "phone", "priority",
    "created_at", "updated_at",
)  # fmt: skip


def _need_label(code: str) -> str:
    return SENType(code).label if code in SENType.values else code


class Writer:
    def __init__(self, actor: Actor, setting: Setting, options: ImportOptions, summary: ImportSummary) -> None:
        self.actor = actor
        self.setting = setting
        self.options = options
        self.summary = summary
        self.user_id = actor.user.pk if actor.user else None
        self.now = timezone.now()
        self.chronology: list[tuple[Any, ...]] = []
        self.ids: dict[str, int] = {}  # UPN -> pupil id

    def note(self, pupil_id: int, kind: ChronologyKind, on: date, summary: str) -> None:
        self.chronology.append((pupil_id, kind.value, on, self.now, self.user_id, summary[:300]))

    def write(self, decisions: list[Decision]) -> None:
        created = [d for d in decisions if d.outcome.outcome == Outcome.CREATE]
        changed = [d for d in decisions if d.outcome.outcome == Outcome.UPDATE]
        if not created and not changed:
            return
        self._create_pupils(created)
        for d in changed:
            assert d.held is not None
            self.ids[d.record.upn] = d.held.pupil_id
        self._details(changed)
        both = created + changed
        self._enrolments(both)
        self._statuses(both)
        self._needs(both)
        self._contacts(both)
        insert(ChronologyEntry, _CHRONOLOGY_FIELDS, self.chronology)
        self._audit(created, changed)

    def _create_pupils(self, created: list[Decision]) -> None:
        if not created:
            return
        la = self.setting.local_authority_id
        rows = []
        for d in created:
            values = {**_DEFAULTS, **d.details, "version": 1, "upn": d.record.upn, "home_local_authority_id": la,
                      "created_at": self.now, "updated_at": self.now}  # fmt: skip
            rows.append(tuple(values[name] for name in _PUPIL_FIELDS))
        insert(Pupil, _PUPIL_FIELDS, rows)
        upns = [d.record.upn for d in created]
        found = Pupil.objects.filter(upn__in=upns).order_by().values_list("upn", "id")
        self.ids.update({upn: pk for upn, pk in found if upn})

    def _details(self, changed: list[Decision]) -> None:
        updated = [d for d in changed if d.details and d.held is not None]
        if not updated:
            return
        names = sorted({name for d in updated for name in d.details})
        rows = []
        for d in updated:
            assert d.held is not None
            # Every pupil gets every field named: each keeps its held value where it did not change.
            values = {name: d.held.pupil[name] for name in names} | d.details
            rows.append((d.held.pupil_id, *(values[name] for name in names), self.now))
            labels = ", ".join(sorted(LABELS.get(name, name) for name in d.details))
            self.note(d.held.pupil_id, ChronologyKind.DETAILS_CHANGED, self.options.today,
                      f"Details changed ({self.options.source}): {labels}")  # fmt: skip
        # The version goes up, so a form opened on the pupil before the import is refused as stale.
        update(Pupil, [*names, "updated_at"], rows, increment=["version"])

    def _enrolments(self, decisions: list[Decision]) -> None:
        new, moved = [], []
        for d in decisions:
            pupil_id = self.ids[d.record.upn]
            if d.enrol_from is not None:
                new.append((pupil_id, self.setting.pk, d.enrol_from, None))
                self.note(pupil_id, ChronologyKind.ENROLLED, d.enrol_from, f"Enrolled at {self.setting.name}")
            if d.enrolment_start is not None:
                enrolment, start = d.enrolment_start
                moved.append((enrolment.pk, start))
        insert(Enrolment, ("pupil_id", "setting_id", "start_date", "end_date"), new)
        update(Enrolment, ["start_date"], moved)

    def _statuses(self, decisions: list[Decision]) -> None:
        closing, replacing, opening = [], [], []
        reason = f"From {self.options.source}"
        for d in decisions:
            if not d.periods:
                continue
            pupil_id = self.ids[d.record.upn]
            previous = d.held.status if d.held else None
            before = provision_label(previous.status) if previous else "none"
            if previous is not None and d.replaces_status:
                entry = d.periods[0]
                replacing.append((previous.pk, entry.provision, reason, self.user_id, self.now))
                self.note(pupil_id, ChronologyKind.STATUS_CHANGED, entry.start_date,
                          f"SEN status changed from {before} to {provision_label(entry.provision)} "
                          f"({self.options.source})")  # fmt: skip
                self.summary.status_changes += 1
                continue
            if previous is not None:
                closing.append((previous.pk, d.periods[0].start_date - timedelta(days=1)))
            for i, entry in enumerate(d.periods):
                end = d.periods[i + 1].start_date - timedelta(days=1) if i + 1 < len(d.periods) else None
                opening.append((pupil_id, entry.provision, entry.start_date, end, reason, self.user_id, self.now))
                after = provision_label(entry.provision)
                if previous is not None or i > 0 or entry.provision != SENProvision.NO_SEN:
                    self.note(pupil_id, ChronologyKind.STATUS_CHANGED, entry.start_date,
                              f"SEN status changed from {before} to {after} ({self.options.source})")  # fmt: skip
                    self.summary.status_changes += 1
                before = after
        update(SENStatusPeriod, ["end_date"], closing)  # before the new periods: one open period a pupil
        update(SENStatusPeriod, ["status", "reason", "recorded_by_id", "recorded_at"], replacing)
        insert(SENStatusPeriod, _PERIOD_FIELDS, opening)

    def _needs(self, decisions: list[Decision]) -> None:
        ending: list[tuple[int, date]] = []
        adding = []
        for d in decisions:
            pupil_id = self.ids[d.record.upn]
            for need, end in d.end_needs:
                ending.append((need.pk, end))
                self.note(pupil_id, ChronologyKind.NEED_ENDED, end, f"Need ended: {_need_label(need.sen_type)}")
            for entry in d.add_needs:
                assert entry.start_date is not None
                adding.append((pupil_id, entry.sen_type, entry.rank, entry.start_date, entry.end_date, self.user_id,
                               self.now))  # fmt: skip
                rank = "primary" if entry.rank == 1 else f"rank {entry.rank}"
                self.note(pupil_id, ChronologyKind.NEED_RECORDED, entry.start_date,
                          f"Need recorded: {_need_label(entry.sen_type)} ({rank})")  # fmt: skip
                if entry.end_date is not None:
                    self.note(pupil_id, ChronologyKind.NEED_ENDED, entry.end_date,
                              f"Need ended: {_need_label(entry.sen_type)}")  # fmt: skip
        update(Need, ["end_date"], ending)  # before the new needs: one current need per rank
        insert(Need, _NEED_FIELDS, adding)
        self.summary.needs_ended += len(ending)
        self.summary.needs_recorded += len(adding)

    def _contacts(self, decisions: list[Decision]) -> None:
        replaced = [d for d in decisions if d.contacts]
        if not replaced:
            return
        held_ids = [d.held.pupil_id for d in replaced if d.held is not None]
        if held_ids:
            Contact.objects.filter(pupil_id__in=held_ids).delete()
        rows = [
            (self.ids[d.record.upn], c.first_name, c.last_name, c.relationship, c.parental_responsibility, c.email,
             c.phone, c.priority, self.now, self.now)
            for d in replaced for c in d.contacts or ()
        ]  # fmt: skip
        insert(Contact, _CONTACT_FIELDS, rows)
        self.summary.contacts_written += len(rows)

    def _audit(self, created: list[Decision], changed: list[Decision]) -> None:
        source = self.options.source
        entries = []
        for d in created:
            pupil_id = self.ids[d.record.upn]
            description = (
                f"Created by {source} in setting {self.setting.pk}: {len(d.periods)} SEN periods, "
                f"{len(d.add_needs)} needs, {len(d.contacts or ())} contacts"
            )
            fields = [*d.details, "upn", "enrolment", "sen_status", *(["needs"] if d.add_needs else []),
                      *(["contacts"] if d.contacts else [])]  # fmt: skip
            entries.append(
                Entry(AuditAction.CREATE, "pupils.pupil", str(pupil_id), pupil_id, description, tuple(fields))
            )
        for d in changed:
            pupil_id = self.ids[d.record.upn]
            fields = list(d.details)
            fields += ["enrolment"] if d.enrol_from or d.enrolment_start else []
            fields += ["sen_status"] if d.periods else []
            fields += ["needs"] if d.end_needs or d.add_needs else []
            fields += ["contacts"] if d.contacts else []
            description = (
                f"Changed by {source} in setting {self.setting.pk}: {len(fields)} parts; "
                f"{len(d.end_needs)} needs ended, {len(d.add_needs)} recorded"
            )
            entries.append(
                Entry(AuditAction.CHANGE, "pupils.pupil", str(pupil_id), pupil_id, description, tuple(fields))
            )
        record_many(self.actor, entries)
