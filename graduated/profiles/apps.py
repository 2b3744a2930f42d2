from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    """The pupil's one-page profile, in dated versions."""

    name = "graduated.profiles"
