from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Plan types and tiers of support as data (the platform's and each LA's own), and the LA's
    view of plan quality across its settings."""

    name = "graduated.plans"
