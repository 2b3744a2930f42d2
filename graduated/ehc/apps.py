from django.apps import AppConfig


class EhcConfig(AppConfig):
    """Requests for EHC needs assessment, the LA's case work with the statutory clock, EHC plans and their reviews."""

    name = "graduated.ehc"
