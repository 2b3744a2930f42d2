"""Reading the training offer, a setting's training record and staff's awareness of pupils' needs.

Every list reads a fixed number of queries, whatever the number of staff, pupils or records: a
page of people or pupils (``lib.paging``), then one query for all their records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import HttpRequest

from graduated.accounts.models import User
from graduated.lib.paging import Section, section
from graduated.organisations.models import LocalAuthority, Membership, Setting
from graduated.pupils.codes import ON_REGISTER
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil, SENStatusPeriod, StaffLink
from graduated.training.models import Awareness, Course, TrainingRecord

# What changes a pupil's profile or plans, so that staff should read them again: the chronology
# entries of these kinds (each written when the change is saved, with the time it was recorded).
PLAN_CHANGES = [
    ChronologyKind.PROFILE_UPDATED,
    ChronologyKind.PLAN_AGREED,
    ChronologyKind.OUTCOME_ADDED,
    ChronologyKind.SUPPORT_PLAN_AGREED,
    ChronologyKind.EHC_FINAL_PLAN,
]


def offer(la: LocalAuthority | int) -> tuple[list[Course], list[Course]]:
    """The LA's courses: (offered, withdrawn), each by title."""
    courses = list(Course.objects.filter(local_authority=la))
    return [c for c in courses if c.offered], [c for c in courses if not c.offered]


def course_of(la: LocalAuthority, course_id: int) -> Course | None:
    return Course.objects.filter(local_authority=la, pk=course_id).first()


def record_of(setting: Setting, record_id: int) -> TrainingRecord | None:
    """A training record of a current member of ``setting``."""
    entry = TrainingRecord.objects.filter(setting=setting, pk=record_id).select_related("course", "user").first()
    if entry is None or not staff(setting).filter(user_id=entry.user_id).exists():
        return None
    return entry


def staff(setting: Setting) -> QuerySet[Membership]:
    """The setting's people now, by name: service tokens' accounts are not staff."""
    return Membership.objects.people().filter(setting=setting).select_related("user").order_by("user__full_name", "id")


def member_of(setting: Setting, membership_id: int) -> Membership | None:
    return staff(setting).filter(pk=membership_id).first()


@dataclass
class StaffRow:
    membership: Membership
    records: list[TrainingRecord] = field(default_factory=list)

    @property
    def user(self) -> User:
        return self.membership.user


def _records_by_user(setting: Setting, user_ids: list[int]) -> dict[int, list[TrainingRecord]]:
    by_user: dict[int, list[TrainingRecord]] = defaultdict(list)
    for entry in TrainingRecord.objects.filter(setting=setting, user_id__in=user_ids).select_related("course"):
        by_user[entry.user_id].append(entry)
    return by_user


def staff_training(request: HttpRequest, setting: Setting, *, area: str = "") -> Section:
    """A page of the setting's staff, each with their training (only what covers ``area``, if given)."""
    page = section(request, staff(setting), param="page", label="staff", anchor="staff")  # type: ignore[arg-type]
    by_user = _records_by_user(setting, [m.user_id for m in page.items])
    rows = []
    for membership in page.items:
        records = by_user.get(membership.user_id, [])
        if area:
            records = [entry for entry in records if area in entry.areas]
        rows.append(StaffRow(membership, records))
    page.items[:] = rows
    return page


def member_training(setting: Setting, user: User) -> list[TrainingRecord]:
    return _records_by_user(setting, [user.pk]).get(user.pk, [])


def member_awareness(request: HttpRequest, setting: Setting, user: User) -> Section:
    """The pupils on roll at ``setting`` whose needs ``user`` confirmed, latest first, a page at a time."""
    confirmations = (
        Awareness.objects.filter(setting=setting, user=user, pupil__in=Pupil.objects.enrolled_in(setting))
        .select_related("pupil", "recorded_by")
        .order_by("-confirmed_at", "-id")
    )
    return section(request, confirmations, param="pupils", label="pupils confirmed", anchor="awareness")  # type: ignore[arg-type]


def _latest_change() -> Subquery:
    changes = ChronologyEntry.objects.filter(pupil=OuterRef("pk"), kind__in=PLAN_CHANGES).order_by("-recorded_at")
    return Subquery(changes.values("recorded_at")[:1])


@dataclass
class LinkedStaff:
    link: StaffLink
    last_confirmed: datetime | None

    def confirmed_since(self, change: datetime | None) -> bool:
        return self.last_confirmed is not None and (change is None or self.last_confirmed >= change)


@dataclass
class PupilRow:
    pupil: Pupil
    latest_change: datetime | None
    linked: list[LinkedStaff]

    @property
    def not_confirmed(self) -> list[LinkedStaff]:
        return [staff for staff in self.linked if not staff.confirmed_since(self.latest_change)]


def _linked_staff(setting: Setting, pupil_ids: list[int]) -> dict[int, list[LinkedStaff]]:
    """Each pupil's linked staff who are members of ``setting`` now, with their latest confirmation."""
    links = (
        StaffLink.objects.filter(pupil_id__in=pupil_ids, setting=setting)
        .filter(user__in=staff(setting).values("user_id"))
        .select_related("user")
        .order_by("user__full_name", "id")
    )
    latest = {
        (row["pupil_id"], row["user_id"]): row["last"]
        for row in Awareness.objects.filter(pupil_id__in=pupil_ids, setting=setting)
        .values("pupil_id", "user_id")
        .annotate(last=Max("confirmed_at"))
    }
    by_pupil: dict[int, list[LinkedStaff]] = defaultdict(list)
    for link in links:
        by_pupil[link.pupil_id].append(LinkedStaff(link, latest.get((link.pupil_id, link.user_id))))
    return by_pupil


def awareness_overview(request: HttpRequest, setting: Setting) -> Section:
    """A page of the pupils on the SEN register, each with the linked staff who have not confirmed
    awareness since the pupil's latest change of profile or plan."""
    on_register = SENStatusPeriod.objects.filter(end_date__isnull=True, status__in=ON_REGISTER).values("pupil_id")
    pupils = (
        Pupil.objects.enrolled_in(setting)
        .filter(id__in=on_register)
        .annotate(latest_change=_latest_change())
        .order_by("legal_last_name", "legal_first_name", "id")
    )
    page = section(request, pupils, param="page", label="pupils on the SEN register", anchor="pupils")  # type: ignore[arg-type]
    linked = _linked_staff(setting, [p.pk for p in page.items])
    page.items[:] = [PupilRow(p, p.latest_change, linked.get(p.pk, [])) for p in page.items]
    return page


def pupil_row(setting: Setting, pupil: Pupil) -> PupilRow:
    """One pupil's linked staff and whether each has confirmed since the latest change."""
    change = ChronologyEntry.objects.filter(pupil=pupil, kind__in=PLAN_CHANGES).aggregate(at=Max("recorded_at"))["at"]
    return PupilRow(pupil, change, _linked_staff(setting, [pupil.pk]).get(pupil.pk, []))


def confirmations_of(pupil: Pupil, setting: Setting, *, user: User | None = None) -> list[Awareness]:
    """The confirmations about ``pupil`` in ``setting`` (only ``user``'s, if given), latest first;
    the latest 20, which is as far back as anyone needs to look."""
    found = Awareness.objects.filter(pupil=pupil, setting=setting).select_related("user", "recorded_by")
    if user is not None:
        found = found.filter(user=user)
    return list(found.order_by("-confirmed_at", "-id")[:20])
