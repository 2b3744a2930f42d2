"""The platform's plan types and tiers of support, offered in every LA (domain.md §6 and §10)."""

from typing import Any

from django.db import migrations

# The values live in graduated/plans/defaults.py, which also makes missing ones after each migrate.
from graduated.plans.defaults import PLAN_TYPES, TIERS


def add_defaults(apps: Any, schema_editor: Any) -> None:
    plan_type = apps.get_model("plans", "PlanType")
    tier = apps.get_model("plans", "SupportTier")
    for values in PLAN_TYPES:
        plan_type.objects.update_or_create(key=values["key"], defaults=values)
    for values in TIERS:
        tier.objects.update_or_create(key=values["key"], defaults=values)


def remove_defaults(apps: Any, schema_editor: Any) -> None:
    apps.get_model("plans", "PlanType").objects.filter(local_authority__isnull=True).delete()
    apps.get_model("plans", "SupportTier").objects.filter(local_authority__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plan_types_and_tiers")]
    operations = [migrations.RunPython(add_defaults, remove_defaults)]
