from django.apps import AppConfig


class LibConfig(AppConfig):
    """Holds the shared templates, template tags and static files; it has no models."""

    name = "graduated.lib"
    label = "lib"
