"""What another setting wrote in a pupil's record, before the record followed the pupil here.

A pupil's record is one record: when it is transferred (graduated.records.transfers) the setting
the pupil joins reads what the setting they left wrote, and cannot change it. A cycle carries the
setting that wrote it; a meeting or a document is the previous setting's when it is dated on a day
the pupil was enrolled there and not here. Every page that changes one of these asks here first.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from graduated.access.pupils import PupilAccess
from graduated.organisations.models import Setting
from graduated.pupils.models import Enrolment


class WrittenElsewhere(PermissionDenied):
    """Refused: another setting wrote this part of the record. The message says which (errors/403)."""


def _on_roll(day: date) -> Q:
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))


def setting_on(pupil_access: PupilAccess, day: date) -> Setting | None:
    """The other setting the pupil was at on ``day``, if they were not at this one; else None."""
    enrolments = Enrolment.objects.filter(_on_roll(day), pupil=pupil_access.pupil)
    if enrolments.filter(setting=pupil_access.setting).exists():
        return None
    elsewhere = enrolments.exclude(setting=pupil_access.setting).select_related("setting").first()
    return elsewhere.setting if elsewhere is not None else None


def require_written_here(
    pupil_access: PupilAccess, what: str, *, written_by: Setting | None = None, day: date | None = None
) -> None:
    """Refuse a change to ``what`` (e.g. "This meeting") when another setting wrote it: the setting
    is ``written_by`` when the record says, otherwise the one the pupil was at on ``day``."""
    if written_by is None and day is not None:
        written_by = setting_on(pupil_access, day)
    if written_by is not None and written_by.pk != pupil_access.setting.pk:
        raise WrittenElsewhere(
            f"{what} was written by {written_by.name}, {pupil_access.pupil.display_name}'s previous setting, "
            "before their record came here. You can read it but not change it."
        )
