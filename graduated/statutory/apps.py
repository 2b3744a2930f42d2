from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    """Beyond SEN support: person-centred planning and the My Support Plan, the statutory clock,
    requests for EHC needs assessment and the LA's case work."""

    name = "graduated.statutory"
