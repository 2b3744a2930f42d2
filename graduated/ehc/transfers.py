"""Transfers between phases of education (SEND Regulations 2014, reg 2(1) and reg 18), found from the setting
a pupil attends: its phase and its age range.

Reg 2(1) names six transfers: (a) relevant early years education to school, (b) infant school to junior school,
(c) primary school to middle school, (d) primary to secondary, (e) middle to secondary, (f) secondary school to
a post-16 institution. Where a child or young person with an EHC plan is to make one, the LA must review the
plan and make its amendments before 15 February of the calendar year of the transfer, or before 31 March for
(f) (reg 18(1); ``clock.phase_transfer_deadline``). Moves between post-16 institutions (reg 18(2), 5 months
before) have no fixed date and are not found here.

The rules, in order:

1. A pupil transfers at the end of the academic year in their setting's last year group, in the September that
   follows (the calendar year of transfer is the one after the academic year began). Moving up within one
   school (a nursery class to Reception, Year 6 to Year 7 in an all-through school) is no transfer: the pupil
   stays in the institution the plan names.
2. The last year group comes from the setting's statutory age range as GIAS publishes it: the statutory high
   age is the age the oldest pupils reach in their last year, so the last year is that age less 5 (11 → Year 6,
   7 → Year 2, 13 → Year 8, 16 → Year 11, 18 → Year 13); the low age less 4 is the first year (4 → Reception).
3. A setting without a high age is taken to have its phase's usual range (``USUAL_AGES``), the one *without*
   a sixth form: a secondary school is taken as 11–16, an all-through school as 4–16. Whether a school has a
   sixth form cannot be told from its phase, and a review in time for a move that does not happen costs less
   than a plan amended too late for one that does. The page says the range was assumed.
4. Early years settings: a child transfers to school in the September they start Reception (the school year
   in which they reach compulsory school age), so in their last year before it, Nursery 2, whatever the
   setting's age range says (nurseries often give theirs as up to 5); a child still there later (a deferred
   start) also transfers next September.
5. The transfer is named from the last year group: Year 2 or before is infant to junior, Years 3 to 5 first
   to middle, Year 6 primary to secondary, Years 7 to 10 middle to secondary (a middle school, deemed primary
   or secondary, such as 9–13 or 8–12: leavers go to an upper or secondary school), Year 11 secondary to
   post-16 (before 31 March). A setting whose range goes beyond Year 11 has no transfer at Year 11: a young
   person staying on in the school's own sixth form is still in secondary education at a school (Education Act
   1996 s.2(2)(b)), and a school is not a post-16 institution (Children and Families Act 2014 s.83(2)), so reg
   2(1)(f) — "secondary school to a post-16 institution" (Code of Practice 9.179) — does not describe it.
   Nor is there one at Year 13: leaving a sixth form is not among reg 2(1)'s transfers.
6. Special schools, whose ranges are wide (2–19 is common): the transfer is at their last year, or at Year 11
   when the range goes beyond it, marked "if leaving": in a special school the post-16 place is decided at the
   Year 11 review and many young people move on to a college or a specialist post-16 institution, so the
   31 March deadline is shown as the one that applies if they do. This is a precaution, not rule 5's reading
   of the law: a young person who stays on in the school makes no transfer.
7. Sixth forms and further education colleges: none (post-16 moves are reg 18(2)).
8. A pupil registered at two settings (dual registration, e.g. with alternative provision) transfers if either
   setting says so, the more recently joined first. A pupil with no current setting is taken to follow the
   usual pattern: Year 6 to secondary, Year 11 to post-16.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Prefetch

from graduated.organisations.models import Phase, Setting
from graduated.pupils.models import Enrolment, Pupil
from graduated.pupils.year_groups import academic_year_start, year_group_label
from graduated.statutory import clock

NURSERY_2 = -1  # the year before Reception
SECONDARY_LAST_YEAR = 11  # the end of compulsory school age
# The attribute ``current_enrolments_prefetch`` fills on a pupil: their current enrolments with the setting.
CURRENT_ENROLMENTS = "current_enrolments"


class TransferKind(models.TextChoices):
    """Reg 2(1)'s transfers between phases of education."""

    EARLY_YEARS_TO_SCHOOL = "early_years_to_school", "Early years to school"
    INFANT_TO_JUNIOR = "infant_to_junior", "Infant to junior"
    FIRST_TO_MIDDLE = "first_to_middle", "First to middle"
    PRIMARY_TO_SECONDARY = "primary_to_secondary", "Primary to secondary"
    MIDDLE_TO_SECONDARY = "middle_to_secondary", "Middle to secondary"
    SECONDARY_TO_POST_16 = "secondary_to_post_16", "Secondary to post-16"


#: The statutory (low, high) ages assumed for a setting without its own (rule 3); None: no reg 18(1) transfer.
USUAL_AGES: dict[str, tuple[int, int] | None] = {
    Phase.EARLY_YEARS: (0, 4),  # to Nursery 2 (rule 4)
    Phase.PRIMARY: (4, 11),
    Phase.SECONDARY: (11, 16),
    Phase.ALL_THROUGH: (4, 16),
    Phase.SPECIAL: (2, 19),
    Phase.ALTERNATIVE_PROVISION: (5, 16),
    Phase.SIXTH_FORM: None,
    Phase.FURTHER_EDUCATION: None,
}


def first_year_for_age(low_age: int) -> int:
    """The year group whose pupils are ``low_age`` at its start: 4 is Reception (0), 11 is Year 7."""
    return low_age - 4


def last_year_for_age(high_age: int) -> int:
    """The year group in which pupils reach ``high_age``: 11 is Year 6, 16 is Year 11, 18 is Year 13."""
    return high_age - 5


def age_range_label(low_age: int | None, high_age: int | None) -> str:
    if low_age is None or high_age is None:
        return ""
    return f"{low_age}–{high_age}"


def kind_after(last_year: int) -> TransferKind | None:
    """The transfer made by leavers of a setting whose last year group is ``last_year`` (rule 5)."""
    if last_year <= NURSERY_2:
        return TransferKind.EARLY_YEARS_TO_SCHOOL
    if last_year <= 2:
        return TransferKind.INFANT_TO_JUNIOR
    if last_year <= 5:
        return TransferKind.FIRST_TO_MIDDLE
    if last_year == 6:
        return TransferKind.PRIMARY_TO_SECONDARY
    if last_year <= 10:
        return TransferKind.MIDDLE_TO_SECONDARY
    if last_year == SECONDARY_LAST_YEAR:
        return TransferKind.SECONDARY_TO_POST_16
    return None


@dataclass(frozen=True)
class Leaving:
    """When pupils leave a setting for another phase: the year group, and how that was worked out."""

    year: int  # the year group in which they leave
    kind: TransferKind
    range_assumed: bool  # True: the phase's usual range, the setting has none of its own
    only_if_leaving: bool  # True: a special school's Year 11, who may stay on (rule 6)


def leaving(phase: str, high_age: int | None) -> Leaving | None:
    """The year group in which pupils of a setting with this phase and statutory high age leave it for another
    phase, and the transfer; None when its pupils make no reg 18(1) transfer. Pure: rules 2 to 7."""
    usual = USUAL_AGES.get(phase)
    if usual is None:
        return None
    if phase == Phase.EARLY_YEARS:  # rule 4: the range does not matter
        return Leaving(NURSERY_2, TransferKind.EARLY_YEARS_TO_SCHOOL, range_assumed=False, only_if_leaving=False)
    assumed = high_age is None
    last = last_year_for_age(usual[1] if high_age is None else high_age)
    if phase == Phase.SPECIAL and last > SECONDARY_LAST_YEAR:
        return Leaving(SECONDARY_LAST_YEAR, TransferKind.SECONDARY_TO_POST_16, assumed, only_if_leaving=True)
    kind = kind_after(last)
    return Leaving(last, kind, assumed, only_if_leaving=False) if kind is not None else None


def transfers_out(phase: str, high_age: int | None, year: int) -> Leaving | None:
    """The transfer a pupil in year group ``year`` makes at the end of this academic year from a setting with
    this phase and statutory high age, or None."""
    out = leaving(phase, high_age)
    if out is None:
        return None
    if year == out.year or (phase == Phase.EARLY_YEARS and year > out.year):
        return out
    return None


@dataclass(frozen=True)
class PhaseTransfer:
    """A transfer between phases the pupil makes next September, and the reg 18(1) deadline for it."""

    kind: TransferKind
    year: int  # the pupil's year group now
    year_of_transfer: int  # the calendar year of the transfer
    deadline: date  # the last day to have reviewed and amended the plan
    setting: Setting | None  # the setting left; None when the pupil has no current setting
    range_assumed: bool  # the setting's usual range was assumed, or (no setting) the usual pattern
    only_if_leaving: bool  # the deadline applies if the young person leaves (rule 6)

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def to_post_16(self) -> bool:
        return self.kind == TransferKind.SECONDARY_TO_POST_16

    @property
    def leaving_words(self) -> str:
        """E.g. "leaving Ash Infant School (4–7) after Year 2"."""
        after = f"after {year_group_label(self.year)}"
        if self.setting is None:
            return f"with no current setting on record (the usual pattern assumed), {after}"
        ages = age_range_label(self.setting.statutory_low_age, self.setting.statutory_high_age)
        words = f"leaving {self.setting.name}{f' ({ages})' if ages else ''} {after}"
        if self.range_assumed:
            words += f" (no age range recorded: a usual {self.setting.get_phase_display().lower()} range assumed)"
        if self.only_if_leaving:
            words += ", if the young person leaves for a post-16 institution rather than staying on"
        return words


def deadline_for(kind: TransferKind, year_of_transfer: int) -> date:
    return clock.phase_transfer_deadline(
        year_of_transfer, secondary_to_post_16=kind == TransferKind.SECONDARY_TO_POST_16
    )


def transfer_from(year: int, settings: Sequence[Setting], today: date) -> PhaseTransfer | None:
    """The transfer a pupil in year group ``year`` on ``today``, at ``settings`` (most recently joined first),
    makes next September, or None. Pure: rules 1 and 8."""
    year_of_transfer = academic_year_start(today) + 1
    for setting in settings:
        out = transfers_out(setting.phase, setting.statutory_high_age, year)
        if out is not None:
            deadline = deadline_for(out.kind, year_of_transfer)
            return PhaseTransfer(
                out.kind, year, year_of_transfer, deadline, setting, out.range_assumed, out.only_if_leaving
            )
    if settings:
        return None
    usual = {6: TransferKind.PRIMARY_TO_SECONDARY, SECONDARY_LAST_YEAR: TransferKind.SECONDARY_TO_POST_16}
    if year not in usual:
        return None
    kind = usual[year]
    return PhaseTransfer(kind, year, year_of_transfer, deadline_for(kind, year_of_transfer), None, True, False)


def current_enrolments_prefetch(today: date, lookup: str = "enrolments") -> Prefetch:
    """Loads each pupil's enrolments current on ``today`` (started, not ended) with their settings, in one
    query for a whole list; ``lookup`` is the path to the pupils' enrolments ("pupil__enrolments" from plans)."""
    current = Enrolment.objects.current(today).filter(start_date__lte=today).select_related("setting")
    return Prefetch(lookup, queryset=current.order_by("-start_date", "-id"), to_attr=CURRENT_ENROLMENTS)


def current_settings(pupil: Pupil, today: date) -> list[Setting]:
    """The settings the pupil attends on ``today``, most recently joined first: from
    ``current_enrolments_prefetch`` when it was used, else one query."""
    enrolments: Iterable[Enrolment] | None = getattr(pupil, CURRENT_ENROLMENTS, None)
    if enrolments is None:
        enrolments = (
            Enrolment.objects.current(today)
            .filter(pupil=pupil, start_date__lte=today)
            .select_related("setting")
            .order_by("-start_date", "-id")
        )
    return [enrolment.setting for enrolment in enrolments]


def transfer_for_pupil(pupil: Pupil, today: date) -> PhaseTransfer | None:
    """The transfer between phases the pupil makes at the end of this academic year, or None."""
    return transfer_from(pupil.year_group(today), current_settings(pupil, today), today)
