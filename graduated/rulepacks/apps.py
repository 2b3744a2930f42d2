from django.apps import AppConfig


class RulePacksConfig(AppConfig):
    """An LA's rule pack: its words, and its local evidence rules, in dated versions."""

    name = "graduated.rulepacks"
