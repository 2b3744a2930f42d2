from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlansConfig(AppConfig):
    """Plan types and tiers of support as data (the platform's and each LA's own), and the LA's
    view of plan quality across its settings."""

    name = "graduated.plans"

    def ready(self) -> None:
        from graduated.plans.defaults import ensure_platform_defaults

        post_migrate.connect(ensure_platform_defaults, sender=self, dispatch_uid="plans_platform_defaults")
