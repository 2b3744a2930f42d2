"""The platform's plan types and tiers of support, offered in every LA (domain.md §6 and §10)."""

from typing import Any

from django.db import migrations

PLAN_TYPES = [
    {
        "key": "sen_support_plan", "name": "SEN support plan", "position": 10, "reviews_per_year": 3,
        "person_centred": False,
        "description": "The Assess-Plan-Do-Review cycle of SEN support: outcomes, provision and a review, "
        "about three times a year.",
    },
    {
        "key": "my_support_plan", "name": "My Support Plan", "position": 20, "reviews_per_year": 3,
        "person_centred": True,
        "description": "A person-centred plan agreed at a planning meeting with the family, the pupil and "
        "professionals; APDR cycles continue under it.",
    },
]  # fmt: skip
TIERS = [
    {"key": "universal", "name": "Universal", "position": 10,
     "description": "Quality First Teaching and what every setting ordinarily provides."},
    {"key": "targeted", "name": "Targeted", "position": 20,
     "description": "Additional, time-limited support from the setting's own staff."},
    {"key": "targeted_plus", "name": "Targeted plus", "position": 30,
     "description": "More intensive support, often with advice from outside the setting."},
    {"key": "specialist", "name": "Specialist", "position": 40,
     "description": "Support planned with, or delivered by, specialist services."},
]  # fmt: skip


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
