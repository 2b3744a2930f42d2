from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation safely: backups and restores, retention, subject access requests."""

    name = "graduated.operations"
