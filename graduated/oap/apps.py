from django.apps import AppConfig


class OAPConfig(AppConfig):
    """An LA's ordinarily available provision in dated versions, offered where plans are written,
    and settings' yearly self-review against it."""

    name = "graduated.oap"
    label = "oap"
    verbose_name = "ordinarily available provision"
