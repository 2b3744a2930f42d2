"""The one-page profile: what people like about the pupil, what matters to them, how to support them.

A pupil has at most one profile, kept as a series of dated versions. A save always adds a new
version; old versions are never edited, so the history shows how the child's voice changed.
"""

from dataclasses import dataclass, fields
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from graduated.lib.versioning import Versioned
from graduated.pupils.models import Pupil

STALE_PROFILE = (
    "Someone else saved a new version of this profile while you were writing. Their version is shown "
    "first; your text is in the form below and has not been saved yet. Check both, combine them if "
    "needed, and save again."
)


class OnePageProfile(Versioned):
    """The pupil's profile. ``version`` is the number of the current version (0 before the first).

    Two people may edit the profile at once: a save names the version its form was opened on,
    and is refused when ``version`` has moved on since.
    """

    stale_message = STALE_PROFILE

    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="one_page_profile")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"One-page profile of {self.pupil}"


SECTION_FIELDS = ("liked_and_admired", "important_to_me", "how_to_support")
SECTION_LABELS = {
    "liked_and_admired": "What people like and admire about me",
    "important_to_me": "What is important to me",
    "how_to_support": "How best to support me",
}


class ProfileVersionQuerySet(models.QuerySet["ProfileVersion"]):
    def of_pupil(self, pupil: Pupil) -> "ProfileVersionQuerySet":
        return self.filter(profile__pupil=pupil)


class ProfileVersion(models.Model):
    """One saved version of a profile: never changed once written."""

    profile = models.ForeignKey(OnePageProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    liked_and_admired = models.TextField(SECTION_LABELS["liked_and_admired"])
    important_to_me = models.TextField(SECTION_LABELS["important_to_me"])
    how_to_support = models.TextField(SECTION_LABELS["how_to_support"])
    pupil_contributed = models.BooleanField("the pupil contributed", default=False)
    parents_contributed = models.BooleanField("parents or carers contributed", default=False)
    staff_contributors = models.TextField("staff who contributed", blank=True)
    other_contributors = models.TextField("others who contributed", blank=True)
    written_on = models.DateField("date written")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Shared with the family unless the SENCO chooses otherwise (graduated.families.sharing).
    shared_with_family = models.BooleanField("shared with the family", default=True)

    objects: ClassVar[ProfileVersionQuerySet] = ProfileVersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-number"]
        constraints = [
            # The backstop for two saves at once: only one of them can take the next number.
            models.UniqueConstraint(fields=["profile", "number"], name="one_profile_version_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="profile_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.profile}, written {self.written_on:%d/%m/%Y}"

    @property
    def content(self) -> "ProfileContent":
        return ProfileContent(**{f.name: getattr(self, f.name) for f in fields(ProfileContent)})

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) for the three sections, in the order the profile shows them."""
        return [(SECTION_LABELS[name], getattr(self, name)) for name in SECTION_FIELDS]

    @property
    def has_contributors(self) -> bool:
        return bool(
            self.pupil_contributed or self.parents_contributed or self.staff_contributors or self.other_contributors
        )


@dataclass(frozen=True)
class ProfileContent:
    """What a person writes in a version. Two saves with equal content are the same version."""

    liked_and_admired: str
    important_to_me: str
    how_to_support: str
    pupil_contributed: bool = False
    parents_contributed: bool = False
    staff_contributors: str = ""
    other_contributors: str = ""

    def changed_fields(self, other: "ProfileContent | None") -> list[str]:
        names = [f.name for f in fields(self)]
        if other is None:
            return names
        return [name for name in names if getattr(self, name) != getattr(other, name)]
