"""Changes to intervention groups: a group and its weekly slots, pupils' places, registers, scores.

A pupil's place in a group is their ``support.Provision`` (made and ended through the support
services, so the plan and its audit trail see it). A register writes each pupil's delivery record
for the day through ``support.reviews.log_delivery``, so a register taken twice corrects the first
rather than counting a session twice. Each function runs in one transaction and writes one audit
event per change.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import StaleEditError, check_version, save_versioned
from graduated.organisations.models import Membership, Setting
from graduated.provision import impact_summaries
from graduated.provision.group_selectors import Place, places_on
from graduated.provision.models import (
    CatalogueItem,
    GroupScore,
    GroupSession,
    GroupSlot,
    InterventionGroup,
    SessionStatus,
)
from graduated.pupils.models import Enrolment, Pupil
from graduated.support import reviews
from graduated.support import services as support_services
from graduated.support.models import Cycle, CycleStatus, DeliveryStatus, MissedReason, Provision, ProvisionKind

GROUP_FIELDS = ["name", "deliverer", "deliverer_role", "location", "starts_on", "ends_on"]


@dataclass(frozen=True)
class SlotTimes:
    weekday: int
    starts_at: time
    ends_at: time


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _check_details(setting: Setting, details: Mapping[str, Any], slots: Sequence[SlotTimes]) -> None:
    if not slots:
        raise ValidationError("Add at least one weekly time the group meets.")
    if details["ends_on"] < details["starts_on"]:
        raise ValidationError({"ends_on": "The end date must be the same as or after the start date."})
    deliverer = details.get("deliverer")
    if deliverer is not None and not Membership.objects.filter(setting=setting, user=deliverer).exists():
        raise ValidationError({"deliverer": "Choose a member of staff of this setting."})


def _write_slots(group: InterventionGroup, slots: Sequence[SlotTimes]) -> None:
    GroupSlot.objects.bulk_create(
        GroupSlot(group=group, weekday=s.weekday, starts_at=s.starts_at, ends_at=s.ends_at) for s in slots
    )


@transaction.atomic
def create_group(
    *, actor: Actor, setting: Setting, item: CatalogueItem, details: Mapping[str, Any], slots: Sequence[SlotTimes]
) -> InterventionGroup:
    """A new run of ``item`` (an item of the setting's own catalogue) with its weekly slots."""
    if item.setting_id != setting.pk:
        raise ValidationError({"catalogue_item": "Choose an intervention from this setting's catalogue."})
    _check_details(setting, details, slots)
    if InterventionGroup.objects.filter(setting=setting, name__iexact=details["name"]).exists():
        raise ValidationError({"name": f"This setting already has a group called {details['name']}."})
    try:
        with transaction.atomic():
            group = InterventionGroup.objects.create(setting=setting, catalogue_item=item, **details)
    except IntegrityError as error:  # the same name saved a moment ago
        raise ValidationError({"name": f"This setting already has a group called {details['name']}."}) from error
    _write_slots(group, slots)
    record(
        actor, AuditAction.CREATE, obj=group, changed_fields=[*details, "catalogue_item", "slots"],
        description=f"Group {group.name} of {item.name} set up",
    )  # fmt: skip
    return group


@transaction.atomic
def update_group(
    *,
    actor: Actor,
    group: InterventionGroup,
    details: Mapping[str, Any],
    slots: Sequence[SlotTimes],
    expected_version: int,
) -> InterventionGroup:
    """Save the group's details and replace its slots, refusing a stale form. The dates may not
    shrink past a register already taken or a place already begun."""
    _check_details(group.setting, details, slots)
    if (
        InterventionGroup.objects.filter(setting=group.setting, name__iexact=details["name"])
        .exclude(pk=group.pk)
        .exists()
    ):
        raise ValidationError({"name": f"This setting already has a group called {details['name']}."})
    starts, ends = details["starts_on"], details["ends_on"]
    outside = group.sessions.exclude(on__range=(starts, ends)).order_by("on").first()
    if outside is not None:
        raise ValidationError(
            f"A register was taken on {_long(outside.on)}, outside these dates. Keep that day inside the group's dates."
        )
    late = Provision.objects.filter(group=group, starts_on__gt=ends).select_related("cycle__pupil").first()
    if late is not None:
        raise ValidationError(
            f"{late.cycle.pupil.display_name} joins on {_long(late.starts_on)}, after the new end date."  # type: ignore[arg-type]
        )
    for name, value in details.items():
        setattr(group, name, value)
    save_versioned(group, update_fields=details, expected_version=expected_version)
    impact_summaries.mark_stale([group.pk])  # a versioned save sends no signal: its dates and role count
    old_slots = sorted((s.weekday, s.starts_at, s.ends_at) for s in group.slots.all())
    group.slots.all().delete()
    _write_slots(group, slots)
    group.refresh_from_db()
    changed = [name for name in details if name in GROUP_FIELDS]
    if old_slots != sorted((s.weekday, s.starts_at, s.ends_at) for s in slots):
        changed.append("slots")
    record(actor, AuditAction.CHANGE, obj=group, changed_fields=changed)
    return group


def _open_cycle(pupil: Pupil) -> Cycle | None:
    return Cycle.objects.filter(pupil=pupil).exclude(status=CycleStatus.CLOSED).first()


@transaction.atomic
def place_pupil(*, actor: Actor, group: InterventionGroup, pupil: Pupil, joined_on: date) -> Provision:
    """Give ``pupil`` a place in the group from ``joined_on``: a provision in their open cycle."""
    if not Enrolment.objects.current().filter(pupil=pupil, setting_id=group.setting_id).exists():
        raise ValidationError({"pupil": "Choose a pupil of this setting."})
    if not group.starts_on <= joined_on <= group.ends_on:
        raise ValidationError(
            {"joined_on": f"The date must be within the group's dates ({_long(group.starts_on)} to "
                          f"{_long(group.ends_on)})."}
        )  # fmt: skip
    cycle = _open_cycle(pupil)
    if cycle is None:
        raise ValidationError(
            {"pupil": f"{pupil.display_name} has no support cycle in progress. Start one first: a place in a "
                      "group is part of the pupil's plan."}
        )  # fmt: skip
    if cycle.setting_id != group.setting_id:
        raise ValidationError({"pupil": f"{pupil.display_name}'s support cycle is run by another setting."})
    already = Provision.objects.filter(group=group, cycle__pupil=pupil).exclude(ends_on__lt=joined_on).exists()
    if already:
        raise ValidationError({"pupil": f"{pupil.display_name} already has a place in this group."})
    item = group.catalogue_item
    data = {
        "group": group, "catalogue_item": item, "kind": ProvisionKind.INTERVENTION, "description": item.name,
        "staff_role": group.deliverer_role, "delivered_by": group.deliverer,
        "delivered_by_role": group.get_deliverer_role_display(), "location": group.location, "starts_on": joined_on,
    }  # fmt: skip
    return support_services.save_provision(actor=actor, cycle=cycle, data=data, expected_version=cycle.version)


@transaction.atomic
def end_place(*, actor: Actor, place: Provision, left_on: date) -> Provision:
    """The pupil leaves the group on ``left_on`` (their last session day)."""
    group = place.group
    assert group is not None
    if not group.starts_on <= left_on <= group.ends_on:
        raise ValidationError(
            {"left_on": f"The date must be within the group's dates ({_long(group.starts_on)} to "
                        f"{_long(group.ends_on)})."}
        )  # fmt: skip
    if place.starts_on and left_on < place.starts_on:
        raise ValidationError({"left_on": f"The pupil joined on {_long(place.starts_on)}: leave on or after it."})
    later = place.deliveries.filter(on__gt=left_on).order_by("-on").first()
    if later is not None:
        raise ValidationError({"left_on": f"A session on {_long(later.on)} is recorded: leave on or after it."})
    cycle = place.cycle
    return support_services.save_provision(
        actor=actor, cycle=cycle, provision=place, data={"ends_on": left_on}, expected_version=cycle.version
    )


@dataclass(frozen=True)
class RegisterResult:
    session: GroupSession
    created: bool
    changed_pupils: int


@transaction.atomic
def take_register(
    *,
    actor: Actor,
    group: InterventionGroup,
    on: date,
    present: Mapping[int, bool],
    cancelled_reason: str = "",
) -> RegisterResult:
    """The register for ``on``: each place present (True) or absent (False), keyed by provision id;
    or, with a ``cancelled_reason``, the session called off for everyone. Taking it again for the
    same day corrects it (a double submit changes nothing)."""
    if on > timezone.localdate():
        raise ValidationError({"on": "A register can be taken for today or a day in the past."})
    if not group.starts_on <= on <= group.ends_on:
        raise ValidationError(
            {"on": f"The group runs from {_long(group.starts_on)} to {_long(group.ends_on)}: choose a day then."}
        )
    places = [place for place in places_on(group, on) if place.recordable]
    cancelled = bool(cancelled_reason.strip())
    if not cancelled and set(present) != {place.provision.pk for place in places}:
        raise ValidationError("The pupils in the group changed while the register was open. Check them and save again.")
    status = SessionStatus.CANCELLED if cancelled else SessionStatus.HELD
    values = {"status": status, "cancelled_reason": cancelled_reason.strip() if cancelled else ""}
    session, created = _save_session(actor, group, on, values)
    changed_pupils = 0
    for place in places:
        delivery_status, reason, note = _attendance(place, present, cancelled, values["cancelled_reason"])
        _, changed = reviews.log_delivery(
            actor=actor, provision=place.provision, on=on, status=delivery_status, missed_reason=reason, note=note
        )
        changed_pupils += changed
    return RegisterResult(session=session, created=created, changed_pupils=changed_pupils)


def _attendance(place: Place, present: Mapping[int, bool], cancelled: bool, reason: str) -> tuple[str, str, str]:
    if cancelled:
        return DeliveryStatus.MISSED, MissedReason.CANCELLED, reason
    if present[place.provision.pk]:
        return DeliveryStatus.DELIVERED, "", ""
    return DeliveryStatus.MISSED, MissedReason.PUPIL_ABSENT, ""


def _save_session(
    actor: Actor, group: InterventionGroup, on: date, values: Mapping[str, Any]
) -> tuple[GroupSession, bool]:
    existing = GroupSession.objects.select_for_update().filter(group=group, on=on).first()
    if existing is None:
        try:
            with transaction.atomic():
                session = GroupSession.objects.create(group=group, on=on, recorded_by=actor.user, **values)
        except IntegrityError:  # the same register posted twice at once: correct the first
            existing = GroupSession.objects.select_for_update().get(group=group, on=on)
        else:
            record(actor, AuditAction.CREATE, obj=session, changed_fields=["on", *values])
            return session, True
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.recorded_by, existing.recorded_at = actor.user, timezone.now()
        existing.save()
        record(actor, AuditAction.CHANGE, obj=existing, changed_fields=changed)
    return existing, False


SCORE_FIELDS = ["entry_score", "entry_on", "exit_score", "exit_on"]


@dataclass(frozen=True)
class ScoreEntry:
    pupil_id: int
    expected_version: int  # 0: the form was opened before the pupil had any scores
    entry_score: Decimal | None
    entry_on: date | None
    exit_score: Decimal | None
    exit_on: date | None

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SCORE_FIELDS}


@transaction.atomic
def record_scores(*, actor: Actor, group: InterventionGroup, entries: Sequence[ScoreEntry]) -> int:
    """Save each pupil's entry and exit scores; all or nothing. A pupil's row changed by someone
    else since the form was opened refuses the whole save. Returns how many rows changed."""
    placed = set(Provision.objects.filter(group=group).values_list("cycle__pupil_id", flat=True))
    existing = {s.pupil_id: s for s in GroupScore.objects.select_for_update().filter(group=group)}
    changed_rows = 0
    for entry in entries:
        if entry.pupil_id not in placed:
            raise ValidationError("Scores can be recorded only for pupils placed in the group.")
        values = entry.values()
        if values["entry_on"] and values["exit_on"] and values["exit_on"] < values["entry_on"]:
            raise ValidationError("An exit score must be taken on or after the entry score.")
        row = existing.get(entry.pupil_id)
        if row is None:
            if entry.expected_version:  # the form was read when the pupil had scores: they are gone now
                raise StaleEditError(GroupScore.stale_message)
            if not any(value is not None for value in values.values()):
                continue
            try:
                with transaction.atomic():
                    row = GroupScore.objects.create(group=group, pupil_id=entry.pupil_id, **values)
            except IntegrityError as error:  # someone else's first scores for this pupil, a moment ago
                raise StaleEditError(GroupScore.stale_message) from error
            record(actor, AuditAction.CREATE, obj=row, pupil_id=entry.pupil_id, changed_fields=values)
        else:
            check_version(row, entry.expected_version)  # the rows are locked above
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if not changed:
                continue
            for name, value in values.items():
                setattr(row, name, value)
            save_versioned(row, update_fields=values)
            record(actor, AuditAction.CHANGE, obj=row, pupil_id=entry.pupil_id, changed_fields=changed)
        changed_rows += 1
    if changed_rows:
        impact_summaries.mark_stale([group.pk])  # versioned saves send no signal
    return changed_rows
