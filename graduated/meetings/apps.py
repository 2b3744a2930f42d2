from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings with parents and professionals, their attendees and actions."""

    name = "graduated.meetings"
