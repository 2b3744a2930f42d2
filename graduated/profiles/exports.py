"""The one-page profile as a document to send: the outline shared by its PDF and Word versions."""

from django.utils import timezone

from graduated.lib.exports import Facts, Outline, Paragraphs, Section
from graduated.profiles.models import ProfileVersion
from graduated.pupils.models import Pupil


def contributors(pupil: Pupil, version: ProfileVersion) -> str:
    names = []
    if version.pupil_contributed:
        names.append(f"{pupil.first_name} (the pupil)")
    if version.parents_contributed:
        names.append("Parents or carers")
    names += [text for text in (version.staff_contributors, version.other_contributors) if text]
    return "; ".join(names) or "Not recorded"


def profile_outline(pupil: Pupil, version: ProfileVersion) -> Outline:
    outline = Outline(
        title=f"One-page profile: {pupil.display_name}",
        subtitle=f"Written on {version.written_on:%-d %B %Y} (version {version.number})",
        produced_on=timezone.localdate(),
    )
    outline.sections = [Section(heading, [Paragraphs(text.split("\n\n"))]) for heading, text in version.sections]
    outline.sections.append(Section("About this profile", [Facts([("Who contributed", contributors(pupil, version))])]))
    return outline
