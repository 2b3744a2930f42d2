"""What provision costs, with the arithmetic shown so a SENCO can explain it.

Staff time is shared by the pupils a session serves:

    a week   = sessions a week × minutes a session ÷ 60 × the role's hourly cost ÷ group size
    a period = a week × the teaching weeks of the period the provision ran
    total    = staff time + the resources cost ÷ group size (each pupil's share, counted once:
               not again when the provision is carried on into the next cycle)

In a group, "group size" is who was there at the time: the adult's week is shared by the pupils
with a place that day, so when a pupil joins late everyone's share shrinks from that day on, and
the shares always add up to the adult's whole time. The resources are shared by every pupil who
had a place.

Teaching weeks (``terms.py``): where the LA has recorded its school term dates, the teaching days
(Monday to Friday inside a half term) ÷ 5, so holidays inside a date range are not charged; where it
has not, for that part of the range, 39 a year spread evenly over the calendar (days × 39 ÷ 365).
A provision with no end date of its own that runs a catalogue item lasts the item's typical length
in teaching weeks from its start (unless its cycle's review comes first), and costs exactly that
many weeks. Money is rounded to the penny once, at the end of each line.

Pure functions here; the database reads are in ``pupil_costed_provisions`` and its batch friends,
each a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from graduated.provision.models import DeliveryRole, StaffCost
from graduated.provision.terms import (
    NO_TERM_DATES,
    TermCalendar,
    WeeksCounted,
    count_weeks,
    end_of_weeks,
    teaching_weeks,
    term_calendars,
)
from graduated.pupils.models import Pupil
from graduated.support.models import CycleStatus, Provision

ROLE_LABELS: dict[str, str] = {role.value: role.label for role in DeliveryRole}

# The school meets the first £6,000 of a pupil's additional support from its notional SEN budget
# (element 2); beyond it, the LA's high-needs top-up (element 3) may be asked for.
ELEMENT_2_THRESHOLD = Decimal("6000.00")
PENNY = Decimal("0.01")
ONE_DAY = timedelta(days=1)


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def pounds(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> str:
    """£1,234.50: how amounts are written on pages and in exports."""
    return f"£{pounds(amount):,.2f}"


def overlap(start: date, end: date, period_start: date, period_end: date) -> tuple[date, date] | None:
    """The part of ``start``–``end`` inside the period, or None when they do not meet."""
    first, last = max(start, period_start), min(end, period_end)
    return (first, last) if first <= last else None


def in_a_sentence(label: str) -> str:
    """A role's label inside a sentence: lower case, but an acronym (SENCO) stays as it is."""
    return label if label.isupper() else label.lower()


@dataclass(frozen=True)
class Share:
    """A stretch of a group place during which the same number of pupils shared the adult's time."""

    starts_on: date
    ends_on: date
    pupils: int
    weeks: Decimal


@dataclass
class Roster:
    """Who had a place in a group, and from when to when: (pupil id, first day, last day) a place."""

    places: list[tuple[int, date, date]]
    # A group's pupils share the same stretches: worked out once for each (start, end, terms).
    _sharing: dict[tuple[date, date], tuple[TermCalendar, list[Share]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def pupils(self) -> int:
        return len({pupil_id for pupil_id, _, _ in self.places})

    def sharing(self, start: date, end: date, terms: TermCalendar = NO_TERM_DATES) -> list[Share]:
        """``start``–``end`` cut where pupils joined or left, each stretch with how many were there."""
        known = self._sharing.get((start, end))
        if known is None or known[0] is not terms:
            known = self._sharing[start, end] = (terms, self._cut(start, end, terms))
        return list(known[1])

    def _cut(self, start: date, end: date, terms: TermCalendar) -> list[Share]:
        cuts = {start, end + ONE_DAY}
        for _, first, last in self.places:
            cuts |= {day for day in (first, last + ONE_DAY) if start < day <= end}
        days = sorted(cuts)
        shares: list[Share] = []
        for first, after in pairwise(days):
            there = len({pupil for pupil, joined, left in self.places if joined <= first <= left}) or 1
            last = after - ONE_DAY
            if shares and shares[-1].pupils == there:  # nobody came or went at this cut after all
                first = shares.pop().starts_on
            shares.append(Share(first, last, there, teaching_weeks(first, last, terms)))
        return shares


@dataclass(frozen=True)
class Dosage:
    sessions_per_week: int
    minutes_per_session: int
    group_size: int


@dataclass
class CostLine:
    """One provision's cost over a period, and how it was worked out."""

    description: str
    dosage: Dosage | None
    role: str  # a DeliveryRole value, or "" when nobody said which role delivers it
    hourly_cost: Decimal | None  # None: the setting has not set a cost for that role
    weeks: Decimal
    resources_cost: Decimal = Decimal(0)
    missing: list[str] = field(default_factory=list)  # why the staff time could not be priced
    # A place in a group: who shared the adult's time, stretch by stretch. Empty otherwise, when
    # the dosage's group size shares it.
    shares: list[Share] = field(default_factory=list)
    counted: WeeksCounted | None = None  # how ``weeks`` were counted (None: it did not run in the period)
    # The catalogue item's typical length in teaching weeks, when that is what ends the provision:
    # it then costs that many weeks, however the days fall.
    length_weeks: int | None = None
    starts_on: date | None = None  # when the provision runs, as costed (``provision_dates``)
    ends_on: date | None = None  # None: still running

    @property
    def weeks_sentence(self) -> str:
        """Which weeks were counted, and how: the part of the arithmetic that names them."""
        if self.counted is None:
            return ""
        if self.length_weeks is not None and self.counted.weeks > self.weeks:
            # The even spread rounds the last day's share of a week up past the length.
            return (
                f"Weeks counted: the {self.length_weeks} teaching weeks it runs for, "
                f"{_day(self.counted.starts_on)} to {_day(self.counted.ends_on)} "
                f"({self.counted.sum_in_words} = {self.counted.weeks}, counted as {self.weeks})."
            )
        return self.counted.sentence()

    @property
    def group_weekly_cost(self) -> Decimal:
        """A week of the adult's time, before it is shared."""
        if self.dosage is None or self.hourly_cost is None:
            return Decimal(0)
        d = self.dosage
        return Decimal(d.sessions_per_week * d.minutes_per_session) / 60 * self.hourly_cost

    @property
    def weekly_staff_cost(self) -> Decimal:
        """This pupil's share of a week (in a group whose numbers changed, of its last stretch)."""
        size = self.shares[-1].pupils if self.shares else (self.dosage.group_size if self.dosage else 1)
        return self.group_weekly_cost / size

    @property
    def staff_cost(self) -> Decimal:
        if len(self.shares) > 1:  # each stretch to the penny, so the stretches shown add up
            return sum((pounds(self.group_weekly_cost / s.pupils * s.weeks) for s in self.shares), Decimal(0))
        return pounds(self.weekly_staff_cost * self.weeks)

    @property
    def shared_staff_hours(self) -> Decimal:
        """This pupil's share of the adult's hours in the period, as the cost shares them."""
        if self.dosage is None:
            return Decimal(0)
        hours = Decimal(self.dosage.sessions_per_week * self.dosage.minutes_per_session) / 60
        if self.shares:
            return sum((hours * s.weeks / s.pupils for s in self.shares), Decimal(0))
        return hours * self.weeks / self.dosage.group_size

    @property
    def resources_share(self) -> Decimal:
        size = self.dosage.group_size if self.dosage else 1
        return pounds(self.resources_cost / size)

    @property
    def total(self) -> Decimal:
        return self.staff_cost + self.resources_share

    @property
    def staff_hours(self) -> Decimal:
        """Hours of staff time in the period (not shared out: one adult's time for the session)."""
        if self.dosage is None:
            return Decimal(0)
        d = self.dosage
        return (Decimal(d.sessions_per_week * d.minutes_per_session) / 60 * self.weeks).quantize(Decimal("0.1"))

    @property
    def role_label(self) -> str:
        # A dict made once: DeliveryRole.values builds its list on every call (a setting's map asks hundreds of times).
        return ROLE_LABELS.get(self.role, "No role given")

    def _shared_arithmetic(self, d: Dosage) -> str:
        assert self.hourly_cost is not None
        stretches = "; ".join(
            f"{_day(s.starts_on)} to {_day(s.ends_on)} ÷ {s.pupils} pupil{'' if s.pupils == 1 else 's'} × "
            f"{s.weeks} weeks = {money(pounds(self.group_weekly_cost / s.pupils * s.weeks))}"
            for s in self.shares
        )
        return (
            f"{d.sessions_per_week} session{'' if d.sessions_per_week == 1 else 's'} a week × "
            f"{d.minutes_per_session} minutes × {money(self.hourly_cost)} an hour "
            f"({in_a_sentence(self.role_label)}) = {money(self.group_weekly_cost)} a week for the group, shared "
            f"by the pupils there at the time: {stretches}; together {money(self.staff_cost)}."
        )

    @property
    def arithmetic(self) -> str:
        """The sum in words, as the page shows it, with the weeks it counted."""
        if self.missing:
            staff = "Staff time not costed: " + "; ".join(self.missing) + "."
        else:
            d = self.dosage
            assert d is not None and self.hourly_cost is not None
            size = self.shares[-1].pupils if self.shares else d.group_size
            share = "" if size == 1 else f" ÷ {size} pupils"
            sum_of_a_week = (
                f"{d.sessions_per_week} session{'' if d.sessions_per_week == 1 else 's'} a week × "
                f"{d.minutes_per_session} minutes × "
                f"{money(self.hourly_cost)} an hour ({in_a_sentence(self.role_label)}){share}"
            )
            weekly = self.weekly_staff_cost
            if len(self.shares) > 1:
                staff = self._shared_arithmetic(d)
            elif weekly == pounds(weekly):
                staff = f"{sum_of_a_week} = {money(weekly)} a week × {self.weeks} weeks = {money(self.staff_cost)}."
            else:
                # A week that is not a whole number of pence (£20 ÷ 3) is not rounded before it is
                # multiplied, so the sum is written whole: worked on a calculator, it gives the total.
                staff = (
                    f"{sum_of_a_week} × {self.weeks} weeks = {money(self.staff_cost)} (about {money(weekly)} a week)."
                )
            if self.weeks_sentence:
                staff = f"{staff} {self.weeks_sentence}"
        if not self.resources_cost:
            return staff
        size = self.dosage.group_size if self.dosage else 1
        share = "" if size == 1 else f" ÷ {size} pupils"
        return f"{staff} Resources {money(self.resources_cost)}{share} = {money(self.resources_share)}."


def dosage_for(provision: Provision, group_pupils: int | None = None) -> tuple[Dosage | None, list[str]]:
    """The sessions, minutes and group size that price a ``support.Provision``: its own figures,
    else its group's (slots; pupils placed), else its catalogue item's. Says what is missing."""
    item, group = provision.catalogue_item, provision.group
    slots = list(group.slots.all()) if group is not None else []
    sessions = provision.sessions_per_week or len(slots) or (item.sessions_per_week if item else 0)
    minutes = (
        provision.minutes_per_session
        or (round(sum(slot.minutes for slot in slots) / len(slots)) if slots else 0)
        or (item.minutes_per_session if item else 0)
    )
    size = provision.group_size or group_pupils or (item.group_size if item else 0) or 1
    missing = []
    if not sessions:
        missing.append("sessions a week not given")
    if not minutes:
        missing.append("minutes a session not given")
    if missing:
        return None, missing
    return Dosage(sessions, minutes, size), []


def role_for(provision: Provision) -> str:
    item, group = provision.catalogue_item, provision.group
    return (
        provision.staff_role
        or (group.deliverer_role if group is not None else "")
        or (item.delivered_by_role if item is not None else "")
    )


def hourly_costs(setting_ids: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    """(setting id, role) -> cost an hour, for every role those settings have priced: 1 query."""
    rows = StaffCost.objects.filter(setting_id__in=set(setting_ids)).values_list("setting_id", "role", "hourly_cost")
    return {(setting_id, role): cost for setting_id, role, cost in rows}


def group_sizes(group_ids: Iterable[int]) -> dict[int, Roster]:
    """Group id -> who had a place in it and when (the places' dates as ``provision_dates`` gives
    them): 1 query. Its ``pupils`` share the resources; who was there at the time shares the adult."""
    rows = Provision.objects.filter(group_id__in=set(group_ids)).values_list(
        "group_id", "cycle__pupil_id", "starts_on", "ends_on", "cycle__started_on", "cycle__status",
        "cycle__review__held_on", "group__ends_on",
    )  # fmt: skip
    rosters: dict[int, Roster] = {}
    for group_id, pupil_id, starts_on, ends_on, cycle_start, status, reviewed_on, group_ends in rows:
        end = ends_on or (reviewed_on if status == CycleStatus.CLOSED else None) or group_ends
        rosters.setdefault(group_id, Roster([])).places.append(
            (pupil_id, starts_on or cycle_start, min(end, group_ends))
        )
    return rosters


def length_in_weeks(provision: Provision) -> int | None:
    """The teaching weeks a provision runs for, when only its catalogue item says how long: no end
    date of its own and no group (whose dates are its run)."""
    if provision.ends_on is not None or provision.group_id is not None or provision.catalogue_item_id is None:
        return None
    item = provision.catalogue_item
    return item.typical_weeks if item is not None and item.typical_weeks else None


def provision_dates(provision: Provision, terms: TermCalendar = NO_TERM_DATES) -> tuple[date, date | None]:
    """When a provision ran: its own dates, else its cycle's start and, once reviewed, the review
    (and never past the end of its group). With no end date of its own, a provision of a catalogue
    item ends after the item's typical length in teaching weeks, counted in ``terms`` (the LA's
    term dates), if its cycle's review has not ended it sooner."""
    start, end, _length = _run(provision, terms)
    return start, end


def _run(provision: Provision, terms: TermCalendar) -> tuple[date, date | None, int | None]:
    """``provision_dates``, and the length in weeks when that is what ended it."""
    cycle = provision.cycle
    review = getattr(cycle, "review", None) if cycle.status == CycleStatus.CLOSED else None
    end = provision.ends_on or (review.held_on if review is not None else None)
    group = provision.group
    if group is not None:  # a place in a group ends when the group does, at the latest
        end = min(end, group.ends_on) if end else group.ends_on
    start = provision.starts_on or cycle.started_on
    length = length_in_weeks(provision)
    if length is not None:
        runs_to = end_of_weeks(start, length, terms)
        if end is None or runs_to <= end:
            return start, runs_to, length
    return start, end, None


def cost_line(
    provision: Provision,
    *,
    period: tuple[date, date],
    costs: dict[tuple[int, str], Decimal],
    sizes: dict[int, Roster],
    terms: TermCalendar = NO_TERM_DATES,
) -> CostLine:
    """The cost of one provision over ``period``, from figures already read (no queries, given
    ``catalogue_item``, ``group`` with its slots, and ``cycle`` with its review; ``sizes`` from
    ``group_sizes``; ``terms`` the term dates of the provision's setting's LA, from
    ``term_calendars``)."""
    roster = sizes.get(provision.group_id) if provision.group_id else None
    dosage, missing = dosage_for(provision, roster.pupils if roster else None)
    role = role_for(provision)
    setting_id = provision.cycle.setting_id
    hourly = costs.get((setting_id, role)) if role else None
    if not role:
        missing.append("no staff role given")
    elif hourly is None:
        missing.append(f"no hourly cost set for {in_a_sentence(DeliveryRole(role).label)}s")
    start, end, length = _run(provision, terms)
    ran = overlap(start, end or period[1], *period)
    counted = count_weeks(*ran, terms) if ran else None
    weeks = counted.weeks if counted else Decimal(0)
    if length is not None:  # a provision of 12 teaching weeks costs 12 weeks, however the days fall
        weeks = min(weeks, Decimal(length))
    item = provision.catalogue_item
    # Resources are bought once: a provision carried on into the next cycle does not buy them again.
    first_run = provision.carried_from_id is None
    resources = item.resources_cost if item is not None and ran and first_run else Decimal(0)
    # In a group (its size not fixed on the provision), the adult's time is shared by whoever was
    # there at the time: a late joiner makes everyone's share smaller only from the day they came.
    shared = roster is not None and not provision.group_size and ran is not None
    return CostLine(
        description=provision.description,
        dosage=dosage,
        role=role,
        hourly_cost=hourly,
        weeks=weeks,
        resources_cost=resources,
        missing=missing,
        shares=roster.sharing(*ran, terms) if shared and roster and ran else [],
        counted=counted,
        length_weeks=length,
        starts_on=start,
        ends_on=end,
    )


@dataclass
class PupilCosts:
    lines: list[tuple[Provision, CostLine]]  # (provision, its cost)
    period: tuple[date, date]

    @property
    def total(self) -> Decimal:
        return sum((line.total for _, line in self.lines), Decimal(0))

    @property
    def over_element_2(self) -> bool:
        return self.total > ELEMENT_2_THRESHOLD

    @property
    def above_threshold(self) -> Decimal:
        return max(self.total - ELEMENT_2_THRESHOLD, Decimal(0))


def pupil_costed_provisions(pupil: Pupil, period: tuple[date, date]) -> PupilCosts:
    """Every provision of the pupil's cycles that ran in ``period``, costed, each by the term dates
    of its setting's LA: 6 queries."""
    candidates = list(
        Provision.objects.filter(cycle__pupil=pupil, cycle__started_on__lte=period[1])
        .select_related("cycle__review", "cycle__setting", "catalogue_item", "group")
        .prefetch_related("group__slots")
        .order_by("cycle__number", "id")
    )
    calendars = term_calendars(p.cycle.setting.local_authority_id for p in candidates)

    def terms_of(provision: Provision) -> TermCalendar:
        return calendars.get(provision.cycle.setting.local_authority_id, NO_TERM_DATES)

    provisions = [provision for provision in candidates if _ran_in(provision, period, terms_of(provision))]
    costs = hourly_costs(p.cycle.setting_id for p in provisions)
    sizes = group_sizes(p.group_id for p in provisions if p.group_id)
    lines = [(p, cost_line(p, period=period, costs=costs, sizes=sizes, terms=terms_of(p))) for p in provisions]
    return PupilCosts(lines=lines, period=period)


def _ran_in(provision: Provision, period: tuple[date, date], terms: TermCalendar) -> bool:
    start, end = provision_dates(provision, terms)
    return overlap(start, end or period[1], *period) is not None
