"""Changes to an LA's rule pack: start a draft, change its words and rules, publish it; and the
LA's names and order of the pathway stages.

Each runs in one transaction and writes one audit event. Only a draft changes; a published
version is kept as it was, so the history shows what was in force on any day. Every change to a
draft compares the version the form was opened on and raises it, so of two people editing the same
draft the later save is refused (``StaleEditError``) rather than silently undoing the first.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import check_version, lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority
from graduated.pathway.models import Stage
from graduated.pathway.services import stages_for
from graduated.rulepacks.models import KINDS_WITH_PARAMETER, WORDS, LocalRule, PackStatus, RulePack
from graduated.rulepacks.selectors import latest_published

WORD_FIELDS = [*WORDS, "plan_review_months", "under_five_review_months"]
RULE_FIELDS = ["kind", "parameter", "step", "explanation", "source_name", "source_reference"]


class RulePackError(ServiceError):
    """A change to a rule pack the rules refuse; ``message`` says why."""


def _lock(pack: RulePack, expected_version: int) -> RulePack:
    """Lock the draft for this transaction and read it afresh; refuse if it changed since the form."""
    lock_for_edit(pack)
    if not pack.is_draft:
        raise RulePackError(f"Version {pack.number} has been published: it can no longer be changed.")
    check_version(pack, expected_version)
    return pack


@transaction.atomic
def start_draft(*, actor: Actor, local_authority: LocalAuthority) -> tuple[RulePack, bool]:
    """The LA's draft, made now as a copy of its latest version if it has none. Returns (draft, made)."""
    # Lock the LA's row: two admins pressing "start a draft" at once make one draft, not two.
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()
    existing = RulePack.objects.filter(local_authority=local_authority, status=PackStatus.DRAFT).first()
    if existing is not None:
        return existing, False
    base = latest_published(local_authority)
    number = (RulePack.objects.filter(local_authority=local_authority).aggregate(n=Max("number"))["n"] or 0) + 1
    words = {name: getattr(base, name) for name in WORD_FIELDS} if base else {}
    draft = RulePack.objects.create(local_authority=local_authority, number=number, created_by=actor.user, **words)
    if base is not None:
        LocalRule.objects.bulk_create(
            LocalRule(pack=draft, position=rule.position, **{name: getattr(rule, name) for name in RULE_FIELDS})
            for rule in base.rules.all()
        )
    copied = f", copied from version {base.number}" if base else ""
    record(actor, AuditAction.CREATE, obj=draft, description=f"Draft version {number} of the rule pack{copied}")
    return draft, True


@transaction.atomic
def save_words(*, actor: Actor, pack: RulePack, details: Mapping[str, Any], expected_version: int) -> RulePack:
    """The LA's words and the note of what changed in this version."""
    pack = _lock(pack, expected_version)
    fields = [*WORD_FIELDS, "change_note"]
    changed = [name for name in fields if getattr(pack, name) != details[name]]
    for name in fields:
        setattr(pack, name, details[name])
    save_versioned(pack, update_fields=fields)
    record(actor, AuditAction.CHANGE, obj=pack, changed_fields=changed, description=f"Words of draft {pack.number}")
    return pack


def _check_rule(details: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: details.get(name) for name in RULE_FIELDS}
    if values["kind"] in KINDS_WITH_PARAMETER:
        if not values["parameter"]:
            raise RulePackError("Enter the number this rule asks for, from 1 to 20.")
    else:
        values["parameter"] = None  # a met-or-not rule has no number: ignore one typed by mistake
    values["source_reference"] = values["source_reference"] or ""
    return values


@transaction.atomic
def add_rule(*, actor: Actor, pack: RulePack, details: Mapping[str, Any], expected_version: int) -> LocalRule:
    pack = _lock(pack, expected_version)
    values = _check_rule(details)
    position = (pack.rules.aggregate(p=Max("position"))["p"] or 0) + 1
    rule = LocalRule.objects.create(pack=pack, position=position, **values)
    save_versioned(pack)
    record(actor, AuditAction.CREATE, obj=rule, changed_fields=RULE_FIELDS, description=rule.summary(pack))
    return rule


@transaction.atomic
def change_rule(*, actor: Actor, rule: LocalRule, details: Mapping[str, Any], expected_version: int) -> LocalRule:
    pack = _lock(rule.pack, expected_version)
    rule.refresh_from_db()
    values = _check_rule(details)
    changed = [name for name in RULE_FIELDS if getattr(rule, name) != values[name]]
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save(update_fields=RULE_FIELDS)
    save_versioned(pack)
    record(actor, AuditAction.CHANGE, obj=rule, changed_fields=changed, description=rule.summary(pack))
    return rule


@transaction.atomic
def remove_rule(*, actor: Actor, rule: LocalRule, expected_version: int) -> None:
    pack = _lock(rule.pack, expected_version)
    summary, rule_id = rule.summary(pack), rule.pk
    rule.delete()
    save_versioned(pack)
    record(actor, AuditAction.DELETE, object_type="rulepacks.localrule", object_id=str(rule_id), description=summary)


@transaction.atomic
def publish(*, actor: Actor, pack: RulePack, effective_from: date, change_note: str, expected_version: int) -> RulePack:
    """Put the draft in force from ``effective_from``. Not before the latest published version's
    date: versions come into force in the order they are numbered, so "the latest in force" is clear."""
    pack = _lock(pack, expected_version)
    previous = latest_published(pack.local_authority)
    if previous is not None and previous.effective_from and effective_from < previous.effective_from:
        raise RulePackError(
            f"The date must be on or after {previous.effective_from:%-d %B %Y}, "
            f"when version {previous.number} came into force."
        )
    pack.status, pack.effective_from, pack.published_at = PackStatus.PUBLISHED, effective_from, timezone.now()
    pack.change_note = change_note.strip() or pack.change_note
    save_versioned(pack, update_fields=["status", "effective_from", "published_at", "change_note"])
    record(
        actor, AuditAction.CHANGE, obj=pack, changed_fields=["status", "effective_from"],
        description=f"Version {pack.number} of the rule pack published, in force from {effective_from:%-d %B %Y}",
    )  # fmt: skip
    return pack


# -- Pathway stages ---------------------------------------------------------------------------------


def stages_token(stages: list[Stage]) -> str:
    """What the stages were when a form was opened: names and order, to notice a change since."""
    return "|".join(f"{stage.key}={stage.order}:{stage.name}" for stage in stages)


@transaction.atomic
def arrange_stages(
    *, actor: Actor, local_authority: LocalAuthority, names: Mapping[str, str], order: list[str], seen: str
) -> list[Stage]:
    """Rename the LA's stages and put them in ``order`` (every stage key once). The keys stay: the
    code refers to them; only the LA's words and order change."""
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()
    stages = stages_for(local_authority)
    if stages_token(stages) != seen:
        raise RulePackError(
            "Someone else changed the stages while you were editing them. They are shown as saved now: "
            "make your changes again."
        )
    by_key = {stage.key: stage for stage in stages}
    if sorted(order) != sorted(by_key) or any(not names.get(key, "").strip() for key in by_key):
        raise RulePackError("Give every stage a name and a different place in the order.")
    changed: list[Stage] = []
    for position, key in enumerate(order, start=1):
        stage = by_key[key]
        name = names[key].strip()
        if stage.name != name or stage.order != position:
            stage.name, stage.order = name, position
            changed.append(stage)
    Stage.objects.bulk_update(changed, ["name", "order"])
    if changed:
        record(
            actor, AuditAction.CHANGE, object_type="pathway stages", object_id=str(local_authority.pk),
            changed_fields=["name", "order"], description=", ".join(s.name for s in sorted(stages, key=_order))[:300],
        )  # fmt: skip
    return sorted(stages, key=_order)


def _order(stage: Stage) -> int:
    return stage.order
