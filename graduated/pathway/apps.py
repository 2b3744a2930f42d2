from django.apps import AppConfig


class PathwayConfig(AppConfig):
    """Concerns about a pupil and their dated place on the LA's graduated pathway."""

    name = "graduated.pathway"
