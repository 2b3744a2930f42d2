"""Which groups' impact figures (``GroupImpact``) a change makes stale, marked in the change's own
transaction (``impact_summaries.mark_stale``) and worked out again after it commits.

A group's figures are worked out from (``impact_selectors.load_runs``): the group (its dates, role,
catalogue item) and its weekly times; its registers; its pupils' places (``support.Provision``) with
their cycles and cycles' reviews; the places' delivery records; the pupils' scores; the outcomes the
places work towards and their reviews; the setting's staff costs; its LA's term dates; the catalogue
item's costs and dosage; and the pupils' names (the order in which scores are added up).

Model signals catch every save made one row at a time, through any code. Saves that send none are
marked where they are made: the versioned saves of this app's services (a group, scores, staff
costs, term dates, a catalogue item: ``save_versioned`` is one UPDATE) call ``mark_*`` themselves, and
those of other apps are caught through the audit event each of them writes (a cycle's, and a pupil's
change of name). Bulk loads that send neither (the demo, the benchmark generator) are followed by
``graduated rebuild-impact``, or leave rows missing, which a page works out when it meets them.
Delivery records are only ever deleted with their provision, whose own deletion marks the group.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from graduated.audit.models import AuditEvent
from graduated.provision.impact_summaries import (
    mark_item_stale,
    mark_las_stale,
    mark_settings_stale,
    mark_stale,
    refresh_after_commit,
)
from graduated.provision.models import (
    CatalogueItem,
    GroupImpact,
    GroupScore,
    GroupSession,
    GroupSlot,
    InterventionGroup,
    StaffCost,
    TermBlock,
    TermDates,
)
from graduated.support.models import Cycle, DeliveryRecord, Outcome, OutcomeReview, Provision, Review

NAME_FIELDS = frozenset({"legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name"})


def _places() -> Any:
    return Provision.objects.filter(group__isnull=False).values_list("group_id", flat=True)


def groups_of_provisions(provision_ids: Iterable[int]) -> list[int]:
    return list(_places().filter(pk__in=list(provision_ids)))


def groups_of_cycles(cycle_ids: Iterable[int]) -> list[int]:
    return list(_places().filter(cycle_id__in=list(cycle_ids)))


def groups_of_outcomes(outcome_ids: Iterable[int]) -> list[int]:
    return list(_places().filter(outcomes__in=list(outcome_ids)))


# This app's records -----------------------------------------------------------------------------


def group_saved(sender: type[InterventionGroup], instance: InterventionGroup, created: bool, raw: bool = False,
                **kwargs: Any) -> None:  # fmt: skip
    if raw:
        return
    if created:  # its row from the start, stale until worked out: a change before then marks it
        GroupImpact.objects.bulk_create([GroupImpact(group_id=instance.pk)], ignore_conflicts=True)
        refresh_after_commit([instance.pk])
    else:
        mark_stale([instance.pk])


def group_part_changed(sender: type[Any], instance: GroupSession | GroupSlot | GroupScore, raw: bool = False,
                       **kwargs: Any) -> None:  # fmt: skip
    if not raw:
        mark_stale([instance.group_id])


def staff_cost_changed(sender: type[StaffCost], instance: StaffCost, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_settings_stale([instance.setting_id])


def term_dates_changed(sender: type[TermDates], instance: TermDates, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_las_stale([instance.local_authority_id])


def term_block_changed(sender: type[TermBlock], instance: TermBlock, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    term_dates = TermDates.objects.filter(pk=instance.term_dates_id).values_list("local_authority_id", flat=True)
    mark_las_stale(term_dates)


def item_saved(sender: type[CatalogueItem], instance: CatalogueItem, created: bool, raw: bool = False,
               **kwargs: Any) -> None:  # fmt: skip
    if not raw and not created:
        mark_item_stale(instance.pk)


# Support's records: places, delivery records, outcomes, reviews, cycles ----------------------------


def provision_saving(sender: type[Provision], instance: Provision, raw: bool = False,
                     update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:  # fmt: skip
    """A place moved to another group leaves the old group's figures behind it too."""
    if raw or instance.pk is None or (update_fields is not None and not {"group", "group_id"} & set(update_fields)):
        return
    before = Provision.objects.filter(pk=instance.pk).values_list("group_id", flat=True).first()
    if before != instance.group_id:
        mark_stale([before])


def provision_changed(sender: type[Provision], instance: Provision, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        mark_stale([instance.group_id])


def delivery_saved(sender: type[DeliveryRecord], instance: DeliveryRecord, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if DeliveryRecord.provision.is_cached(instance):  # the register's own provision: no query
        mark_stale([instance.provision.group_id])
    else:
        mark_stale(groups_of_provisions([instance.provision_id]))


def links_changed(sender: type[Any], instance: Provision | Outcome, action: str, reverse: bool,
                  pk_set: set[int] | None, **kwargs: Any) -> None:  # fmt: skip
    """A place's linked outcomes changed (from either side)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Provision):
        mark_stale([instance.group_id])
    elif action == "pre_clear":
        mark_stale(groups_of_outcomes([instance.pk]))
    else:
        mark_stale(groups_of_provisions(pk_set or ()))


def outcome_deleting(sender: type[Outcome], instance: Outcome, **kwargs: Any) -> None:
    """Before it goes: its links to places go with it."""
    mark_stale(groups_of_outcomes([instance.pk]))


def outcome_review_changed(sender: type[OutcomeReview], instance: OutcomeReview, raw: bool = False,
                           **kwargs: Any) -> None:  # fmt: skip
    if not raw:
        mark_stale(groups_of_outcomes([instance.outcome_id]))


def cycle_part_changed(sender: type[Any], instance: Cycle | Review, raw: bool = False, **kwargs: Any) -> None:
    """A cycle's dates, status or review end its places (a place in a reviewed cycle ends on the review)."""
    if not raw:
        mark_stale(groups_of_cycles([instance.pk if isinstance(instance, Cycle) else instance.cycle_id]))


def audit_recorded(sender: type[AuditEvent], instance: AuditEvent, created: bool, raw: bool = False,
                   **kwargs: Any) -> None:  # fmt: skip
    """The changes saved without a signal elsewhere, through the audit event each writes: a cycle's
    versioned saves (its status, dates, the places carried into it) and a pupil's new name."""
    if raw or not created or not instance.object_id.isdigit():
        return
    if instance.object_type == "support.cycle":
        mark_stale(groups_of_cycles([int(instance.object_id)]))
    elif instance.object_type == "pupils.pupil" and NAME_FIELDS & set(instance.changed_fields or ()):
        mark_stale(_places().filter(cycle__pupil_id=int(instance.object_id)))


def connect() -> None:
    def on(signal: Any, receiver: Any, sender: Any, name: str) -> None:
        signal.connect(receiver, sender=sender, dispatch_uid=f"impact_{name}")

    on(post_save, group_saved, InterventionGroup, "group_saved")
    for model in (GroupSession, GroupSlot, GroupScore):
        on(post_save, group_part_changed, model, f"{model._meta.model_name}_saved")
        on(post_delete, group_part_changed, model, f"{model._meta.model_name}_deleted")
    on(post_save, staff_cost_changed, StaffCost, "staff_cost_saved")
    on(post_delete, staff_cost_changed, StaffCost, "staff_cost_deleted")
    on(post_save, term_dates_changed, TermDates, "term_dates_saved")
    on(post_delete, term_dates_changed, TermDates, "term_dates_deleted")
    on(post_save, term_block_changed, TermBlock, "term_block_saved")
    on(post_delete, term_block_changed, TermBlock, "term_block_deleted")
    on(post_save, item_saved, CatalogueItem, "item_saved")
    on(pre_save, provision_saving, Provision, "provision_saving")
    on(post_save, provision_changed, Provision, "provision_saved")
    on(post_delete, provision_changed, Provision, "provision_deleted")
    on(post_save, delivery_saved, DeliveryRecord, "delivery_saved")
    on(m2m_changed, links_changed, Provision.outcomes.through, "links_changed")
    on(pre_delete, outcome_deleting, Outcome, "outcome_deleting")
    on(post_save, outcome_review_changed, OutcomeReview, "outcome_review_saved")
    on(post_delete, outcome_review_changed, OutcomeReview, "outcome_review_deleted")
    for cycle_part in (Cycle, Review):
        on(post_save, cycle_part_changed, cycle_part, f"{cycle_part._meta.model_name}_saved")
        on(post_delete, cycle_part_changed, cycle_part, f"{cycle_part._meta.model_name}_deleted")
    on(post_save, audit_recorded, AuditEvent, "audit_recorded")
