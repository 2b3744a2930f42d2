"""Groups, places, registers and scores in a known state, for tests of costs, maps and impact.

These write rows directly (the register's own service is tested on its own), so that a test can
set up exactly the history its hand-worked arithmetic describes.
"""

from collections.abc import Iterable, Mapping
from datetime import date, time
from decimal import Decimal

from graduated.organisations.models import Setting
from graduated.provision.models import (
    CatalogueItem,
    DeliveryRole,
    GroupScore,
    GroupSession,
    GroupSlot,
    InterventionGroup,
    SessionStatus,
    StaffCost,
)
from graduated.pupils.models import Pupil
from graduated.support import services
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, DeliveryStatus, MissedReason, Provision
from graduated.support.tests.factories import ACTOR


def hourly_costs(setting: Setting, **costs: str) -> None:
    """hourly_costs(setting, teaching_assistant="20.00", teacher="40.00")."""
    for role, cost in costs.items():
        StaffCost.objects.update_or_create(setting=setting, role=role, defaults={"hourly_cost": Decimal(cost)})


def make_group(
    item: CatalogueItem,
    *,
    setting: Setting | None = None,
    name: str = "Monday and Thursday group",
    starts_on: date = date(2026, 9, 7),
    ends_on: date = date(2026, 12, 11),
    slots: Iterable[tuple[int, str, str]] = ((0, "09:00", "09:30"), (3, "09:00", "09:30")),
    role: str = DeliveryRole.TEACHING_ASSISTANT,
    deliverer: object = None,
) -> InterventionGroup:
    """A group of ``item`` (slots: (weekday, "HH:MM", "HH:MM"); Monday is 0)."""
    owner = setting or item.setting
    assert owner is not None, "an LA item runs in a setting: pass setting="
    group = InterventionGroup.objects.create(
        setting=owner, catalogue_item=item, name=name, deliverer=deliverer, deliverer_role=role,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    for weekday, start, end in slots:
        GroupSlot.objects.create(
            group=group, weekday=weekday, starts_at=time.fromisoformat(start), ends_at=time.fromisoformat(end)
        )
    return group


def place(
    group: InterventionGroup, pupil: Pupil, *, joined_on: date | None = None, left_on: date | None = None
) -> Provision:
    """Give ``pupil`` a place in ``group``: a provision in their open cycle (started if need be)."""
    cycle = Cycle.objects.filter(pupil=pupil).exclude(status=CycleStatus.CLOSED).first()
    if cycle is None:
        cycle = services.start_cycle(actor=ACTOR, pupil=pupil, setting=group.setting, started_on=group.starts_on)
    return Provision.objects.create(
        cycle=cycle, group=group, catalogue_item=group.catalogue_item, kind="intervention",
        description=group.catalogue_item.name, starts_on=joined_on or group.starts_on, ends_on=left_on,
    )  # fmt: skip


def take_register(
    group: InterventionGroup, on: date, attended: Mapping[Provision, bool] | None = None, *, cancelled: str = ""
) -> GroupSession:
    """A register for ``on``: each place present (True) or absent (False); or the session cancelled
    with a reason, which marks every given place missed as cancelled."""
    session = GroupSession.objects.create(
        group=group, on=on, status=SessionStatus.CANCELLED if cancelled else SessionStatus.HELD,
        cancelled_reason=cancelled,
    )  # fmt: skip
    for provision, present in (attended or {}).items():
        if cancelled:
            status, reason = DeliveryStatus.MISSED, MissedReason.CANCELLED
        elif present:
            status, reason = DeliveryStatus.DELIVERED, ""
        else:
            status, reason = DeliveryStatus.MISSED, MissedReason.PUPIL_ABSENT
        DeliveryRecord.objects.create(provision=provision, on=on, status=status, missed_reason=reason, note=cancelled)
    return session


def scores(
    group: InterventionGroup,
    pupil: Pupil,
    entry: str | None,
    exit: str | None,
    *,
    entry_on: date | None = None,
    exit_on: date | None = None,
) -> GroupScore:
    return GroupScore.objects.create(
        group=group, pupil=pupil,
        entry_score=Decimal(entry) if entry is not None else None,
        entry_on=entry_on or (group.starts_on if entry is not None else None),
        exit_score=Decimal(exit) if exit is not None else None,
        exit_on=exit_on or (group.ends_on if exit is not None else None),
    )  # fmt: skip
