from django.apps import AppConfig


class SpecialistsConfig(AppConfig):
    """Local services: the LA's directory of specialist services, and referrals from a pupil's record."""

    name = "graduated.specialists"
