from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "graduated.organisations"
    label = "organisations"
