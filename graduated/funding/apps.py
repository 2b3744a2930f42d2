from django.apps import AppConfig


class FundingConfig(AppConfig):
    """Funding records: element 3 top-up applications and early years funding awards."""

    name = "graduated.funding"
