"""Working out the summaries the dashboard reads (models.py says why there are any).

Each ``refresh_*`` works one key out again from the records, whole: the rows for the key are
deleted and written afresh in one transaction, so running it twice, or after a change it never
heard of, gives the right figures. ``rebuild`` does every key at once, a handful of grouped queries
(and one costed provision map per setting), for ``graduated manage rebuild_oversight``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from graduated.meetings.models import Meeting, MeetingQuerySet
from graduated.organisations.models import LocalAuthority, Setting
from graduated.oversight import register_lines, terms
from graduated.oversight.models import CostSummary, DeliveryTally, ItemCost, ParentMeetings, TermSnapshot
from graduated.provision.cost_forms import Period
from graduated.provision.models import CatalogueItem
from graduated.provision.provision_maps import setting_map
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment
from graduated.support.models import Cycle, DeliveryRecord, DeliveryStatus

# The LA intervention a provision runs: its catalogue item when that is the LA's own, else the LA
# item the setting's copy was adopted from (None: neither, the setting's own or no catalogue item).
SHARED_ITEM = Case(
    When(provision__catalogue_item__local_authority__isnull=False, then=F("provision__catalogue_item_id")),
    default=F("provision__catalogue_item__adopted_from_id"),
    output_field=IntegerField(),
)
# The calendar year the academic year of a date began in (1 September).
ACADEMIC_YEAR_OF_MEETING = ExtractYear("held_on") - Case(
    When(held_on__month__lt=9, then=Value(1)), default=Value(0), output_field=IntegerField()
)


def shared_item_of(item: CatalogueItem | None) -> int | None:
    if item is None:
        return None
    return item.pk if item.local_authority_id is not None else item.adopted_from_id


# -- Delivery records ---------------------------------------------------------------------------------


def _delivery_rows(records: QuerySet[DeliveryRecord], by_setting: bool) -> list[DeliveryTally]:
    keys = ["month", "shared", "status", *(["setting"] if by_setting else [])]
    grouped = (
        records.annotate(month=ExtractMonth("on"), shared=SHARED_ITEM, setting=F("provision__cycle__setting_id"))
        .order_by()
        .values(*keys)
        .annotate(n=Count("pk"))
    )
    tallies: dict[tuple[int, int, int | None], DeliveryTally] = {}
    for row in grouped:
        key = (row.get("setting", 0), terms.SEASON_OF_MONTH[row["month"]], row["shared"])
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = DeliveryTally(setting_id=key[0], season=key[1], shared_item_id=key[2])
        if row["status"] == DeliveryStatus.DELIVERED:
            tally.delivered += row["n"]
        else:
            tally.missed += row["n"]
    return list(tallies.values())


def _academic_year(year: int) -> tuple[date, date]:
    return date(year, 9, 1), date(year + 1, 8, 31)


@transaction.atomic
def refresh_deliveries(setting_id: int, year: int) -> None:
    """The setting's sessions delivered and missed in each term of the academic year ``year``."""
    records = DeliveryRecord.objects.filter(provision__cycle__setting_id=setting_id, on__range=_academic_year(year))
    rows = _delivery_rows(records, by_setting=False)
    for row in rows:
        row.setting_id, row.year_starting = setting_id, year
    DeliveryTally.objects.filter(setting_id=setting_id, year_starting=year).delete()
    if Setting.objects.filter(pk=setting_id).exists():
        DeliveryTally.objects.bulk_create(rows)


# -- Meetings with parents -----------------------------------------------------------------------------


def meeting_counts(meetings: MeetingQuerySet) -> list[ParentMeetings]:
    grouped = (
        meetings.with_parents()
        .annotate(year=ACADEMIC_YEAR_OF_MEETING)
        .order_by()
        .values("pupil_id", "year")
        .annotate(n=Count("pk"))
    )
    return [ParentMeetings(pupil_id=row["pupil_id"], year_starting=row["year"], meetings=row["n"]) for row in grouped]


@transaction.atomic
def refresh_parent_meetings(pupil_id: int) -> None:
    """The pupil's meetings with a parent or carer there, counted per academic year."""
    rows = meeting_counts(Meeting.objects.filter(pupil_id=pupil_id))
    ParentMeetings.objects.filter(pupil_id=pupil_id).delete()
    ParentMeetings.objects.bulk_create(rows)


# -- Costed provision ----------------------------------------------------------------------------------


@dataclass
class _ItemTally:
    pupil_ids: set[int] = field(default_factory=set)
    provisions: int = 0
    cost: Decimal = Decimal(0)


@transaction.atomic
def refresh_costs(setting_id: int, year: int) -> None:
    """The setting's costed provision map for the academic year, as its totals and by LA intervention."""
    setting = Setting.objects.select_related("local_authority").filter(pk=setting_id).first()
    if setting is None:
        return
    costed = setting_map(setting, Period.academic_year(year))
    by_item: dict[int, _ItemTally] = defaultdict(_ItemTally)
    lines = 0
    for row in costed.rows:
        for line in row.lines:
            lines += 1
            shared = shared_item_of(line.provision.catalogue_item)
            if shared is not None:
                tally = by_item[shared]
                tally.pupil_ids.add(row.pupil.pk)
                tally.provisions += 1
                tally.cost += line.cost.total
    CostSummary.objects.update_or_create(
        setting=setting,
        year_starting=year,
        defaults={
            "total": costed.total, "pupils": len(costed.rows), "provisions": lines, "not_costed": costed.not_costed,
            "over_element_2": len(costed.over_element_2), "computed_at": timezone.now(),
        },
    )  # fmt: skip
    ItemCost.objects.filter(setting=setting, year_starting=year).delete()
    existing = set(CatalogueItem.objects.filter(pk__in=list(by_item)).values_list("pk", flat=True))
    ItemCost.objects.bulk_create(
        ItemCost(
            setting=setting, year_starting=year, shared_item_id=item_id, pupils=len(tally.pupil_ids),
            provisions=tally.provisions, cost=tally.cost,
        )
        for item_id, tally in sorted(by_item.items())
        if item_id in existing
    )  # fmt: skip


# -- Figures at the end of a term ----------------------------------------------------------------------


def _on_roll(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def _status_on(day: date) -> Q:
    return Q(
        pupil__sen_statuses__start_date__lte=day,
        pupil__sen_statuses__status__in=[SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN],
    ) & (Q(pupil__sen_statuses__end_date__isnull=True) | Q(pupil__sen_statuses__end_date__gte=day))


@transaction.atomic
def snapshot_term(setting_ids: Iterable[int], term: terms.Term) -> int:
    """Each setting's figures on the term's last day, from the dated records: 4 queries and the writes."""
    ids = list(setting_ids)
    day = terms.bounds(term)[1]
    enrolments = Enrolment.objects.filter(_on_roll(day), setting_id__in=ids).order_by()
    pupils = dict(
        enrolments.values("setting_id").annotate(n=Count("pupil_id", distinct=True)).values_list("setting_id", "n")
    )
    statuses: dict[tuple[int, str], int] = {
        (row["setting_id"], row["pupil__sen_statuses__status"]): row["n"]
        for row in enrolments.filter(_status_on(day))
        .values("setting_id", "pupil__sen_statuses__status")
        .annotate(n=Count("pupil_id", distinct=True))
    }
    on_roll_there = Enrolment.objects.filter(
        _on_roll(day), pupil_id=OuterRef("pupil_id"), setting_id=OuterRef("setting_id")
    )
    overdue = dict(
        Cycle.objects.filter(setting_id__in=ids, plan_agreed_on__lte=day, review_date__lt=day)
        .filter(Q(review__isnull=True) | Q(review__held_on__gt=day))
        .filter(Exists(on_roll_there))
        .order_by()
        .values("setting_id")
        .annotate(n=Count("pk"))
        .values_list("setting_id", "n")
    )
    now = timezone.now()
    TermSnapshot.objects.filter(setting_id__in=ids, year_starting=term.year, season=term.season_index).delete()
    rows = [
        TermSnapshot(
            setting_id=setting_id, year_starting=term.year, season=term.season_index, taken_on=day,
            pupils=pupils.get(setting_id, 0), sen_support=statuses.get((setting_id, SENProvision.SEN_SUPPORT), 0),
            ehc_plans=statuses.get((setting_id, SENProvision.EHC_PLAN), 0), reviews_overdue=overdue.get(setting_id, 0),
            computed_at=now,
        )
        for setting_id in ids
    ]  # fmt: skip
    TermSnapshot.objects.bulk_create(rows)
    return len(rows)


# -- Everything ----------------------------------------------------------------------------------------


@dataclass
class Rebuilt:
    settings: int = 0
    delivery_tallies: int = 0
    parent_meeting_counts: int = 0
    cost_summaries: int = 0
    term_snapshots: int = 0
    register_lines: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.register_lines} register lines",
            f"{self.settings} settings",
            f"{self.delivery_tallies} delivery tallies",
            f"{self.parent_meeting_counts} pupils' parent meeting counts",
            f"{self.cost_summaries} costed provision summaries",
            f"{self.term_snapshots} term snapshots",
        ]


def rebuild(
    *,
    local_authority: LocalAuthority | None = None,
    today: date | None = None,
    costs: bool = True,
    only_terms: bool = False,
) -> Rebuilt:
    """Every summary of one LA's settings (or all), for this academic year and the last three terms."""
    today = today or timezone.localdate()
    settings = (
        Setting.objects.all() if local_authority is None else Setting.objects.filter(local_authority=local_authority)
    )
    ids = list(settings.order_by("pk").values_list("pk", flat=True))
    done = Rebuilt(settings=len(ids))
    for term in terms.ended_terms(today):
        done.term_snapshots += snapshot_term(ids, term)
    if only_terms:
        return done
    # Deliveries: this academic year, and the last (the terms compared may fall in it).
    year = terms.academic_year_start(today)
    for delivery_year in sorted({year, terms.ended_terms(today)[0].year}):
        with transaction.atomic():
            records = DeliveryRecord.objects.filter(
                provision__cycle__setting_id__in=ids, on__range=_academic_year(delivery_year)
            )
            rows = _delivery_rows(records, by_setting=True)
            for row in rows:
                row.year_starting = delivery_year
            DeliveryTally.objects.filter(setting_id__in=ids, year_starting=delivery_year).delete()
            DeliveryTally.objects.bulk_create(rows, batch_size=2000)
            done.delivery_tallies += len(rows)
    with transaction.atomic():
        meetings = Meeting.objects.all()
        stale = ParentMeetings.objects.all()
        if local_authority is not None:
            pupils = Enrolment.objects.filter(setting__local_authority=local_authority).values("pupil_id")
            meetings, stale = meetings.filter(pupil_id__in=pupils), stale.filter(pupil_id__in=pupils)
        counts = meeting_counts(meetings)
        pupil_ids = {row.pupil_id for row in counts}
        stale.delete()
        ParentMeetings.objects.filter(pupil_id__in=pupil_ids).delete()
        ParentMeetings.objects.bulk_create(counts, batch_size=2000)
        done.parent_meeting_counts = len(pupil_ids)
    # After the meetings counts, which the lines carry.
    on_roll = None
    if local_authority is not None:
        on_roll = Enrolment.objects.filter(setting__local_authority=local_authority).values("pupil_id")
    done.register_lines = register_lines.rebuild(today, on_roll)
    if costs:
        for setting_id in ids:
            refresh_costs(setting_id, year)
            done.cost_summaries += 1
    return done
