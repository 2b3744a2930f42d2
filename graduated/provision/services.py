"""Changes to intervention catalogues: write an item, adopt an LA's item into a setting."""

from typing import Any

from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import save_versioned
from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision import impact_summaries
from graduated.provision.models import CatalogueItem, Tier, TierName

COPIED_FIELDS = [
    "name", "description", "areas", "tier", "evidence_note", "evidence_link", "evidence_strength",
    "delivered_by_role", "group_size", "sessions_per_week", "minutes_per_session", "typical_weeks",
    "resources_cost", "measure_name", "measure_unit", "measure_kind", "higher_is_better",
]  # fmt: skip


class CatalogueError(ServiceError):
    """A change to a catalogue the rules refuse; ``message`` says why."""


def owner_fields(owner: Setting | LocalAuthority) -> dict[str, Any]:
    if isinstance(owner, Setting):
        return {"setting": owner, "local_authority": None}
    return {"setting": None, "local_authority": owner}


def _check_name(owner: Setting | LocalAuthority, name: str, exclude_pk: int | None = None) -> None:
    clash = CatalogueItem.objects.filter(**owner_fields(owner), name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise CatalogueError(f"The catalogue already has an item called {name}.")


@transaction.atomic
def add_item(*, actor: Actor, owner: Setting | LocalAuthority, details: dict[str, Any]) -> CatalogueItem:
    _check_name(owner, details["name"])
    item = CatalogueItem.objects.create(**owner_fields(owner), **details)
    record(actor, AuditAction.CREATE, obj=item, description=f"Catalogue item {item.name} added to {owner}")
    return item


@transaction.atomic
def update_item(*, actor: Actor, item: CatalogueItem, details: dict[str, Any], expected_version: int) -> CatalogueItem:
    """Save changed details, refusing if the item changed since ``expected_version`` was read."""
    owner = item.setting or item.local_authority
    assert owner is not None
    _check_name(owner, details["name"], exclude_pk=item.pk)
    for name, value in details.items():
        setattr(item, name, value)
    save_versioned(item, update_fields=details, expected_version=expected_version)
    impact_summaries.mark_item_stale(item.pk)  # its costs and dosage price its groups' places
    item.refresh_from_db()
    record(actor, AuditAction.CHANGE, obj=item, changed_fields=details.keys())
    return item


@transaction.atomic
def adopt_item(*, actor: Actor, setting: Setting, shared: CatalogueItem) -> CatalogueItem:
    """Copy an item of the setting's LA into the setting's catalogue, to use and adapt."""
    if shared.local_authority_id != setting.local_authority_id:
        raise CatalogueError("Only items your local authority shares can be adopted.")
    if CatalogueItem.objects.filter(setting=setting, adopted_from=shared).exists():
        raise CatalogueError(f"{shared.name} is already in your catalogue.")
    _check_name(setting, shared.name)
    details = {name: getattr(shared, name) for name in COPIED_FIELDS}
    item = CatalogueItem.objects.create(setting=setting, adopted_from=shared, **details)
    record(actor, AuditAction.CREATE, obj=item, description=f"Adopted {shared.name} from {shared.local_authority}")
    return item


@transaction.atomic
def name_tiers(*, actor: Actor, local_authority: LocalAuthority, names: dict[str, str], seen: str) -> None:
    """Save the LA's names for the tiers; a name equal to the usual word removes the LA's own.
    Refused when the names changed since ``seen`` (what the editor's form showed) was read."""
    from graduated.provision.forms import seen_token
    from graduated.provision.tiers import tier_names

    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).first()  # one save at a time
    if seen_token(tier_names(local_authority.pk)) != seen:
        raise CatalogueError("Someone else changed the tier names while you were editing them. Check them below.")
    for tier in Tier:
        name = names[tier.value]
        if name == tier.label:
            TierName.objects.filter(local_authority=local_authority, tier=tier.value).delete()
        else:
            TierName.objects.update_or_create(local_authority=local_authority, tier=tier.value, defaults={"name": name})
    record(actor, AuditAction.CHANGE, obj=local_authority, description=f"Tier names of {local_authority} changed")
