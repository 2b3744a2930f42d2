from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    """The LA's guidance for settings and families: pages in dated versions, public without sign-in."""

    name = "graduated.guidance"
