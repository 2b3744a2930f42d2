from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    """Provision mapping: a setting's (and an LA's shared) catalogue of strategies and interventions."""

    name = "graduated.provision"
