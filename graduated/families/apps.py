from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "graduated.families"
    verbose_name = "Families"
