"""The platform's plan types and tiers of support, offered in every LA (domain.md §6 and §10).

The migration ``0002_platform_defaults`` made them; ``ensure_platform_defaults`` (run after every
``migrate``, from ``apps.py``) makes any that are missing again, by key, and leaves those that exist
as they are (the platform admin may have renamed them). A database flushed between tests gets them
back the same way, as Django's content types come back.
"""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

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


def ensure_platform_defaults(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Make any of the platform's plan types and tiers that are missing (a post_migrate receiver)."""
    from graduated.plans.models import PlanType, SupportTier

    tables = set(connections[using].introspection.table_names())
    models: list[tuple[type[PlanType] | type[SupportTier], list[dict[str, Any]]]] = [
        (PlanType, PLAN_TYPES), (SupportTier, TIERS),
    ]  # fmt: skip
    for model, rows in models:
        if model._meta.db_table not in tables:  # migrated back before the plans app
            continue
        manager: Any = model.objects.using(using)
        have = set(manager.filter(local_authority__isnull=True).values_list("key", flat=True))
        manager.bulk_create([model(**values) for values in rows if values["key"] not in have])
