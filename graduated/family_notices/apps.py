from django.apps import AppConfig


class FamilyNoticesConfig(AppConfig):
    name = "graduated.family_notices"
    verbose_name = "Family notices"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from graduated.family_notices.receivers import chronology_saved
        from graduated.pupils.models import ChronologyEntry

        post_save.connect(chronology_saved, sender=ChronologyEntry, dispatch_uid="family_notices_chronology_saved")
