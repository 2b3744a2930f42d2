from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    """Provision mapping: a setting's (and an LA's shared) catalogue of strategies and interventions."""

    name = "graduated.provision"

    def ready(self) -> None:
        from graduated.provision import impact_receivers

        impact_receivers.connect()
