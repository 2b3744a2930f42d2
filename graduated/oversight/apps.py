from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The LA's dashboard of its settings' SEN figures, and the summaries that keep it fast."""

    name = "graduated.oversight"

    def ready(self) -> None:
        from graduated.oversight import receivers

        receivers.connect()
