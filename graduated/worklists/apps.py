from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    """What each person has to do: the SENCO's caseload and everyone's daily digest."""

    name = "graduated.worklists"
