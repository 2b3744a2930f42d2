from decimal import Decimal
from typing import Any

from graduated.organisations.models import LocalAuthority, Setting
from graduated.provision.models import CatalogueItem


def item_details(name: str = "Precision teaching", **changes: Any) -> dict[str, Any]:
    details: dict[str, Any] = {
        "name": name, "description": "Short daily practice of a few items until they are fluent.",
        "areas": ["CL"], "tier": "targeted", "evidence_strength": "moderate", "delivered_by_role": "teaching_assistant",
        "group_size": 1, "sessions_per_week": 5, "minutes_per_session": 10, "typical_weeks": 10,
        "resources_cost": Decimal("0.00"), "measure_name": "Words read correctly in a minute", "measure_unit": "words",
        "measure_kind": "raw", "higher_is_better": True,
    }  # fmt: skip
    details.update(changes)
    return details


def catalogue_item(owner: Setting | LocalAuthority, name: str = "Precision teaching", **changes: Any) -> CatalogueItem:
    owner_field = "setting" if isinstance(owner, Setting) else "local_authority"
    return CatalogueItem.objects.create(**{owner_field: owner}, **item_details(name, **changes))


def form_data(item: dict[str, Any], version: int | None = None) -> dict[str, Any]:
    data = {key: value for key, value in item.items() if key not in ("areas", "higher_is_better")}
    data["areas"] = item["areas"]
    if item.get("higher_is_better"):
        data["higher_is_better"] = "on"
    data["is_active"] = "on"
    if version is not None:
        data["version"] = version
    return data
