"""The SENCO's caseload: what needs doing in a setting, gathered from every feature.

Each section is one or two queries whatever the size of the setting, so the page's query count
is fixed (asserted in the tests).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from graduated.meetings.selectors import overdue_actions_in_setting, short_of_parent_meetings
from graduated.organisations.models import Setting
from graduated.pathway.selectors import setting_concerns
from graduated.pupils.models import Pupil, StaffLink
from graduated.support.models import Cycle, CycleStatus, PlanAcknowledgement

SOON = timedelta(days=14)


@dataclass(frozen=True)
class Unacknowledged:
    cycle: Cycle
    staff: list[str]  # the names of linked staff who have not yet said they read the plan


# What the caseload shows of a cycle and its pupil (a plan's texts and JSON are most of a row, and
# a school's caseload loads hundreds of cycles).
CYCLE_FIELDS = [
    *("id", "pupil_id", "setting_id", "number", "status", "started_on", "review_date"),
    *("pupil__id", "pupil__legal_first_name", "pupil__legal_last_name"),
    *("pupil__preferred_first_name", "pupil__preferred_last_name"),
]


def _cycles(setting: Setting, on: date) -> Any:
    enrolled = Pupil.objects.enrolled_in(setting, on).values("pk")
    return Cycle.objects.filter(setting=setting, pupil__in=enrolled).select_related("pupil").only(*CYCLE_FIELDS)


def reviews_due(setting: Setting, on: date) -> tuple[list[Cycle], list[Cycle]]:
    """Plans in the Do stage whose review falls in the next two weeks, and those past their date."""
    doing = _cycles(setting, on).filter(status=CycleStatus.DO, review_date__lte=on + SOON).order_by("review_date", "id")
    soon: list[Cycle] = []
    overdue: list[Cycle] = []
    for cycle in doing:
        assert cycle.review_date is not None
        (overdue if cycle.review_date < on else soon).append(cycle)
    return soon, overdue


def incomplete_plans(setting: Setting, on: date) -> list[Cycle]:
    """Open cycles with no outcome yet or no review date: a plan cannot be agreed without both."""
    return list(
        _cycles(setting, on)
        .exclude(status=CycleStatus.CLOSED)
        .annotate(outcome_count=Count("outcomes"))
        .filter(Q(outcome_count=0) | Q(review_date__isnull=True))
        .order_by("started_on", "id")
    )


def unacknowledged_plans(setting: Setting, on: date) -> list[Unacknowledged]:
    """Agreed plans that a member of staff linked to the pupil has not yet said they have read."""
    cycles = list(_cycles(setting, on).filter(status=CycleStatus.DO).order_by("review_date", "id"))
    if not cycles:
        return []
    links = StaffLink.objects.filter(setting=setting, pupil_id__in=[c.pupil_id for c in cycles]).values_list(
        "pupil_id", "user_id", "user__full_name"
    )
    staff_of: dict[int, list[tuple[int, str]]] = {}
    for pupil_id, user_id, full_name in links:
        staff_of.setdefault(pupil_id, []).append((user_id, full_name))
    read = set(
        PlanAcknowledgement.objects.filter(cycle__in=cycles).values_list("cycle_id", "user_id")
    )  # fmt: skip
    waiting = []
    for cycle in cycles:
        names = sorted({name for user_id, name in staff_of.get(cycle.pupil_id, []) if (cycle.pk, user_id) not in read})
        if names:
            waiting.append(Unacknowledged(cycle, names))
    return waiting


def caseload(setting: Setting, on: date) -> dict[str, Any]:
    soon, overdue = reviews_due(setting, on)
    concerns = setting_concerns(setting, on)
    return {
        "reviews_soon": soon,
        "reviews_overdue": overdue,
        "incomplete_plans": incomplete_plans(setting, on),
        "unacknowledged": unacknowledged_plans(setting, on),
        "short_of_meetings": short_of_parent_meetings(Pupil.objects.enrolled_in(setting, on), on),
        "overdue_actions": list(overdue_actions_in_setting(setting, on)),
        "open_concerns": concerns["open_concerns"],
        "look_again": concerns["due_for_review"],
    }
