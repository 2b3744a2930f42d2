from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    """Outside professionals' time-limited, scoped access to a named pupil."""

    name = "graduated.professionals"
