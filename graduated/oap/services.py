"""Changes to an LA's ordinarily available provision, the links from concerns and plans to its
strategies, and settings' self-reviews.

Each runs in one transaction and writes one audit event. Only a draft changes; every change to a
draft names the version its form was read at, so of two people editing one draft the later save is
refused (``StaleEditError``) rather than silently undoing the first. A self-review is versioned the
same way.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import StaleEditError, check_version, lock_for_edit, save_versioned
from graduated.oap.models import (
    ConcernStrategy,
    Expectation,
    OAPVersion,
    ProvisionStrategy,
    Rating,
    ReviewStatus,
    SelfReview,
    SelfReviewAnswer,
    Strategy,
    VersionStatus,
)
from graduated.oap.selectors import latest_published
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pathway.models import Concern
from graduated.support import services as support_services
from graduated.support.models import Cycle, ProvisionKind

EXPECTATION_FIELDS = ["theme", "title", "description"]
STRATEGY_FIELDS = ["area", "level", "title", "description"]
ITEM_KINDS: dict[str, tuple[type[Expectation] | type[Strategy], list[str]]] = {
    "expectations": (Expectation, EXPECTATION_FIELDS),
    "strategies": (Strategy, STRATEGY_FIELDS),
}


class OAPError(ServiceError):
    """A change the rules refuse; ``message`` says why."""


def _lock(version: OAPVersion, expected_version: int) -> OAPVersion:
    lock_for_edit(version)
    if not version.is_draft:
        raise OAPError(f"Version {version.number} has been published: it can no longer be changed.")
    check_version(version, expected_version)
    return version


@transaction.atomic
def start_draft(*, actor: Actor, local_authority: LocalAuthority) -> tuple[OAPVersion, bool]:
    """The LA's draft, made now as a copy of its latest published version if it has none."""
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()
    existing = OAPVersion.objects.filter(local_authority=local_authority, status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing, False
    base = latest_published(local_authority)
    number = (OAPVersion.objects.filter(local_authority=local_authority).aggregate(n=Max("number"))["n"] or 0) + 1
    draft = OAPVersion.objects.create(local_authority=local_authority, number=number, created_by=actor.user)
    if base is not None:
        Expectation.objects.bulk_create(
            Expectation(version=draft, position=e.position, **{n: getattr(e, n) for n in EXPECTATION_FIELDS})
            for e in base.expectations.all()
        )
        Strategy.objects.bulk_create(
            Strategy(version=draft, position=s.position, **{n: getattr(s, n) for n in STRATEGY_FIELDS})
            for s in base.strategies.all()
        )
    copied = f", copied from version {base.number}" if base else ""
    record(actor, AuditAction.CREATE, obj=draft, description=f"Draft version {number} of the OAP{copied}")
    return draft, True


def _clean(fields: list[str], details: Mapping[str, Any]) -> dict[str, Any]:
    return {name: str(details.get(name) or "").strip() for name in fields}


@transaction.atomic
def add_item(
    *, actor: Actor, version: OAPVersion, kind: str, details: Mapping[str, Any], expected_version: int
) -> Expectation | Strategy:
    model, fields = ITEM_KINDS[kind]
    version = _lock(version, expected_version)
    position = (model.objects.filter(version=version).aggregate(p=Max("position"))["p"] or 0) + 1
    item = model.objects.create(version=version, position=position, **_clean(fields, details))
    save_versioned(version)
    record(actor, AuditAction.CREATE, obj=item, changed_fields=fields, description=f"Added to draft: {item.title}")
    return item


@transaction.atomic
def add_items(
    *, actor: Actor, version: OAPVersion, kind: str, items: Iterable[Mapping[str, Any]], expected_version: int
) -> int:
    """Add many items at once (a whole list typed elsewhere, the demo's): one change, one audit event."""
    model, fields = ITEM_KINDS[kind]
    version = _lock(version, expected_version)
    start = model.objects.filter(version=version).aggregate(p=Max("position"))["p"] or 0
    rows: list[Any] = [
        model(version=version, position=start + n, **_clean(fields, details))
        for n, details in enumerate(items, start=1)
    ]
    made = model.objects.bulk_create(rows)
    save_versioned(version)
    record(
        actor, AuditAction.CREATE, object_type=model._meta.label_lower, object_id=str(version.pk),
        changed_fields=fields, description=f"{len(made)} {kind} added to draft {version.number}",
    )  # fmt: skip
    return len(made)


@transaction.atomic
def change_item(
    *, actor: Actor, item: Expectation | Strategy, kind: str, details: Mapping[str, Any], expected_version: int
) -> Expectation | Strategy:
    _, fields = ITEM_KINDS[kind]
    _lock(item.version, expected_version)
    item.refresh_from_db()
    values = _clean(fields, details)
    changed = [name for name in fields if getattr(item, name) != values[name]]
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=fields)
    save_versioned(item.version)
    record(actor, AuditAction.CHANGE, obj=item, changed_fields=changed, description=f"Changed in draft: {item.title}")
    return item


@transaction.atomic
def remove_item(*, actor: Actor, item: Expectation | Strategy, expected_version: int) -> None:
    _lock(item.version, expected_version)
    title, item_id, label = item.title, item.pk, item._meta.label_lower
    item.delete()
    save_versioned(item.version)
    record(actor, AuditAction.DELETE, object_type=label, object_id=str(item_id), description=f"Removed: {title}")


@transaction.atomic
def publish(
    *, actor: Actor, version: OAPVersion, effective_from: date, change_note: str, expected_version: int
) -> OAPVersion:
    """Put the draft in force from ``effective_from``, not before the latest published version's date."""
    version = _lock(version, expected_version)
    if not version.strategies.exists() and not version.expectations.exists():
        raise OAPError("Add at least one expectation or strategy before publishing.")
    previous = latest_published(version.local_authority_id)
    if previous is not None and previous.effective_from and effective_from < previous.effective_from:
        raise OAPError(
            f"The date must be on or after {previous.effective_from:%-d %B %Y}, "
            f"when version {previous.number} came into force."
        )
    version.status, version.effective_from = VersionStatus.PUBLISHED, effective_from
    version.published_at, version.published_by = timezone.now(), actor.user
    version.change_note = change_note.strip() or version.change_note
    save_versioned(version, update_fields=["status", "effective_from", "published_at", "published_by", "change_note"])
    record(
        actor, AuditAction.CHANGE, obj=version, changed_fields=["status", "effective_from"],
        description=f"Version {version.number} of the OAP published, in force from {effective_from:%-d %B %Y}",
    )  # fmt: skip
    return version


# -- Links from a concern and a plan ----------------------------------------------------------------


@transaction.atomic
def link_concern_strategies(
    *, actor: Actor, concern: Concern, setting: Setting, strategies: Iterable[Strategy]
) -> list[ConcernStrategy]:
    """Record that the strategies were tried before the concern was raised (one audit event)."""
    wanted = {s.pk: s for s in strategies}
    known = set(ConcernStrategy.objects.filter(concern=concern).values_list("strategy_id", flat=True))
    made = ConcernStrategy.objects.bulk_create(
        ConcernStrategy(concern=concern, strategy=s, setting=setting, created_by=actor.user)
        for pk, s in wanted.items()
        if pk not in known
    )
    if made:
        titles = "; ".join(link.strategy.title for link in made)
        record(
            actor, AuditAction.CREATE, object_type="oap.concernstrategy", object_id=str(concern.pk),
            pupil_id=concern.pupil_id, changed_fields=["strategy"], description=f"Already tried: {titles}",
        )  # fmt: skip
    return made


def _plan_has(cycle: Cycle, strategy: Strategy) -> bool:
    return ProvisionStrategy.objects.filter(cycle=cycle, strategy=strategy).exists()


@transaction.atomic
def add_strategy_to_plan(*, actor: Actor, cycle: Cycle, strategy: Strategy, expected_version: int) -> ProvisionStrategy:
    """The strategy as a provision of kind "strategy" on the cycle's plan, linked to it; refused when
    the cycle is closed, has moved on since the page (stale), or already has it."""
    if not cycle.is_open:
        raise OAPError("This cycle has been reviewed and closed: its plan can no longer be changed.")
    if _plan_has(cycle, strategy):
        raise OAPError(f"The plan already has the strategy “{strategy.title}”.")
    from django.core.exceptions import ValidationError

    try:
        provision = support_services.save_provision(
            actor=actor, cycle=cycle, expected_version=expected_version,
            data={"kind": ProvisionKind.STRATEGY, "description": strategy.description},
        )  # fmt: skip
    except ValidationError as error:  # the cycle closed since the page was drawn
        raise OAPError(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            link = ProvisionStrategy.objects.create(
                provision=provision, cycle=cycle, strategy=strategy, setting_id=cycle.setting_id,
                created_by=actor.user,
            )  # fmt: skip
    except IntegrityError as error:  # the same strategy added a moment ago from another page
        raise OAPError(f"The plan already has the strategy “{strategy.title}”.") from error
    return link


# -- Self-review -------------------------------------------------------------------------------------


class IncompleteReviewError(OAPError):
    """Marking a review complete with expectations left unanswered."""


@transaction.atomic
def save_self_review(
    *,
    actor: Actor,
    setting: Setting,
    academic_year: int,
    version: OAPVersion,
    answers: Mapping[int, tuple[str, str]],
    expected_version: int,
    complete: bool = False,
) -> SelfReview:
    """Save the setting's answers for the year (expectation id -> (rating, note)); ``complete`` marks
    it complete, once every expectation is answered. ``expected_version`` 0: no review was saved when
    the form was drawn."""
    review = SelfReview.objects.filter(setting=setting, academic_year=academic_year).first()
    if review is None:
        if expected_version != 0:
            raise StaleEditError(SelfReview.stale_message)
        try:
            with transaction.atomic():
                review = SelfReview.objects.create(
                    setting=setting, academic_year=academic_year, oap_version=version, created_by=actor.user
                )
        except IntegrityError as error:  # someone else started this year's review a moment ago
            raise StaleEditError(SelfReview.stale_message) from error
        action = AuditAction.CREATE
    else:
        lock_for_edit(review)
        if review.is_complete:
            raise OAPError("This year's self-review has been marked complete: it can no longer be changed.")
        check_version(review, expected_version)
        action = AuditAction.CHANGE
    expectations = {e.pk: e for e in review.oap_version.expectations.all()}
    saved = {a.expectation_id: a for a in review.answers.all()}
    new, changed = [], []
    for expectation_id, (rating, note) in answers.items():
        if expectation_id not in expectations or (rating and rating not in Rating.values):
            continue
        answer = saved.get(expectation_id)
        if answer is None:
            new.append(SelfReviewAnswer(review=review, expectation_id=expectation_id, rating=rating, note=note))
        elif (answer.rating, answer.note) != (rating, note):
            answer.rating, answer.note = rating, note
            changed.append(answer)
    SelfReviewAnswer.objects.bulk_create(new)
    SelfReviewAnswer.objects.bulk_update(changed, ["rating", "note"])
    fields = ["answers"]
    if complete:
        answered = {a.expectation_id for a in review.answers.all() if a.rating}
        missing = [e.title for pk, e in expectations.items() if pk not in answered]
        if missing:
            raise IncompleteReviewError(
                f"Answer every expectation before marking the review complete. Not answered: {'; '.join(missing)}."
            )
        review.status, review.completed_at, review.completed_by = ReviewStatus.COMPLETE, timezone.now(), actor.user
        fields += ["status"]
    save_versioned(review, update_fields=["status", "completed_at", "completed_by", "updated_at"])
    done = "marked complete" if complete else "saved as a draft"
    record(
        actor, action, obj=review, changed_fields=fields,
        description=f"Self-review {academic_year}/{(academic_year + 1) % 100:02d} {done}",
    )  # fmt: skip
    return review
