"""Writing a one-page profile: each save adds a version, in one transaction, with its chronology
entry and one audit event."""

from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import StaleEditError, save_versioned
from graduated.profiles.models import SECTION_LABELS, OnePageProfile, ProfileContent, ProfileVersion
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology


@dataclass(frozen=True)
class SaveResult:
    version: ProfileVersion
    created: bool  # False when the text was the same as the current version's


def current_version(pupil: Pupil) -> ProfileVersion | None:
    """The pupil's latest version, with who recorded it, in one query."""
    return ProfileVersion.objects.of_pupil(pupil).select_related("recorded_by").order_by("-number").first()


@transaction.atomic
def save_profile(
    *, actor: Actor, pupil: Pupil, expected_version: int, content: ProfileContent, written_on: date
) -> SaveResult:
    """Save ``content`` as the pupil's new profile version.

    ``expected_version`` is the version number the person's form was opened on (0 for none).
    Content equal to the current version's saves nothing, whatever the version: that also makes a
    double submit harmless. Otherwise a save on top of a newer version raises StaleEditError, whose
    ``current`` is the newer version.
    """
    profile, _ = OnePageProfile.objects.select_for_update().get_or_create(pupil=pupil)
    current = current_version(pupil)
    if current is not None and current.content == content:
        return SaveResult(version=current, created=False)
    if current is not None and profile.version != expected_version:
        raise _newer(current)
    if current is not None and written_on < current.written_on:
        when = f"{current.written_on:%-d %B %Y}"
        raise ValidationError(
            {"written_on": f"Date written must be the same as or after {when}, the current version’s"}
        )
    # Compare and set in one statement, so that of two saves on one version only one goes through,
    # even where select_for_update does not lock (SQLite).
    try:
        save_versioned(profile)
    except StaleEditError:
        newer = current_version(pupil)
        if newer is None:  # another save's version is not visible yet: ask the person to try again
            raise StaleEditError("Someone else was saving this profile at the same moment. Save again.") from None
        raise _newer(newer) from None
    version = ProfileVersion.objects.create(
        profile=profile, number=profile.version, written_on=written_on, recorded_by=actor.user, **asdict(content)
    )
    changed = content.changed_fields(current.content if current else None)
    add_to_chronology(pupil, actor, ChronologyKind.PROFILE_UPDATED, written_on, _summary(version, current, changed))
    record(actor, AuditAction.CREATE, obj=version, pupil_id=pupil.pk, changed_fields=changed)
    return SaveResult(version=version, created=True)


def _newer(current: ProfileVersion) -> StaleEditError:
    """The refusal of a save on top of ``current``, the version someone else saved: the page shows it."""
    return StaleEditError(OnePageProfile.stale_message, saved_version=current.number, current=current)


def _summary(version: ProfileVersion, previous: ProfileVersion | None, changed: list[str]) -> str:
    if previous is None:
        return f"One-page profile written (version {version.number})"
    sections = [SECTION_LABELS[name].lower() for name in SECTION_LABELS if name in changed]
    what = f": changed {', '.join(sections)}" if sections else ": changed who contributed"
    return f"One-page profile updated (version {version.number}){what}"
