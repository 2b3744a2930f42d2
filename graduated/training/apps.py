from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """The LA's training offer, a setting's record of its staff's training, and staff's awareness of
    named pupils' needs."""

    name = "graduated.training"
