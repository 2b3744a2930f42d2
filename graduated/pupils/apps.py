from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "graduated.pupils"
    label = "pupils"
