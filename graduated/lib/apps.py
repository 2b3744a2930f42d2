from django.apps import AppConfig


class LibConfig(AppConfig):
    """Holds the shared templates, template tags and static files, and one model: the spent form
    tokens that make a form sent twice save once (submit_once.py)."""

    name = "graduated.lib"
    label = "lib"
