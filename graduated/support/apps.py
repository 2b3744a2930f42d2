from django.apps import AppConfig


class SupportConfig(AppConfig):
    """Assess-Plan-Do-Review cycles: outcomes, provision, delivery and reviews."""

    name = "graduated.support"
