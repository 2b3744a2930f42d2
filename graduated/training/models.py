"""Staff training: the LA's training offer, a setting's record of who has had which training, and
each member of staff's confirmations that they have read and understood a named pupil's needs.

Courses are the LA's and are never deleted: a course no longer offered is withdrawn, so the
training records that name it keep their history. A training record belongs to a setting and a
person (who was a current member of the setting when it was recorded); it names either one of the
LA's courses or the setting's own training, by title. Awareness confirmations are kept as a
history, never changed: "confirmed since the latest change" compares the latest confirmation with
the latest change to the pupil's profile or plans (``selectors.PLAN_CHANGES``).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil


class CourseFormat(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    ONLINE = "online", "Online"
    IN_SCHOOL = "in_school", "In school"


class Audience(models.TextChoices):
    TEACHERS = "teachers", "Teachers"
    TEACHING_ASSISTANTS = "teaching_assistants", "Teaching assistants"
    SENCOS = "sencos", "SENCOs"
    ALL_STAFF = "all_staff", "All staff"
    EARLY_YEARS = "early_years", "Early years practitioners"


def area_labels(codes: list[str]) -> list[str]:
    """The broad areas' names, in the census order."""
    return [area.label for area in BroadArea if area.value in codes]


class Course(Versioned):
    """One course of an LA's training offer."""

    stale_message = someone_else_changed("this course")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="training_courses")
    title = models.CharField(max_length=200)
    description = models.TextField("short description")
    provider = models.CharField(max_length=200)
    format = models.CharField(max_length=12, choices=CourseFormat.choices)
    hours = models.DecimalField("length in hours", max_digits=4, decimal_places=1)
    # BroadArea codes and Audience codes: any number of each (a course may cover all four areas).
    areas = models.JSONField("areas of need", default=list, blank=True)
    audiences = models.JSONField("who it is for", default=list)
    offered = models.BooleanField("still offered", default=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            # Two tabs adding the same course make one: the service names the clash.
            models.UniqueConstraint(fields=["local_authority", "title"], name="one_training_course_title_per_la"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_course_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area_labels(self) -> list[str]:
        return area_labels(self.areas)

    @property
    def audience_labels(self) -> list[str]:
        return [audience.label for audience in Audience if audience.value in self.audiences]


class TrainingRecord(Versioned):
    """A member of staff completed a training: one of the LA's courses, or the setting's own."""

    stale_message = someone_else_changed("this training record")

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    own_title = models.CharField("title of the setting's own training", max_length=200, blank=True)
    # For the setting's own training only: a course of the offer has its own areas.
    own_areas = models.JSONField("areas of need", default=list, blank=True)
    completed_on = models.DateField("date completed")
    expires_on = models.DateField("expiry or refresh date", null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(own_title="")) | (Q(course__isnull=True) & ~Q(own_title="")),
                name="training_record_course_or_own_title",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("completed_on")),
                name="training_record_expires_after_completion",
            ),
        ]
        indexes = [models.Index(fields=["setting", "user"], name="training_record_setting_user")]

    def __str__(self) -> str:
        return f"{self.title}, completed {self.completed_on:%d/%m/%Y}"

    @property
    def title(self) -> str:
        return self.course.title if self.course_id and self.course else self.own_title

    @property
    def areas(self) -> list[str]:
        return list(self.course.areas) if self.course_id and self.course else list(self.own_areas)

    @property
    def area_labels(self) -> list[str]:
        return area_labels(self.areas)

    def has_expired(self, today: date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())


class WhatRead(models.TextChoices):
    PROFILE = "profile", "One-page profile"
    SEN_SUPPORT_PLAN = "sen_support_plan", "SEN support plan"
    EHC_PLAN = "ehc_plan", "EHC plan"
    ALL = "all", "All of the pupil's profile and plans"


class Awareness(models.Model):
    """A member of staff has read and understood a pupil's needs (Code of Practice 6.48: everyone
    who works with the pupil is told). Confirmed by the person, or recorded for them by the SENCO."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="training_awareness")
    # The setting the confirmation was made in: every pupil-owned table carries one (docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_awareness")
    what_read = models.CharField("what was read", max_length=16, choices=WhatRead.choices)
    confirmed_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name_plural = "awareness confirmations"
        indexes = [
            models.Index(fields=["pupil", "user", "confirmed_at"], name="awareness_pupil_user"),
            models.Index(fields=["setting", "user", "confirmed_at"], name="awareness_setting_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.get_what_read_display().lower()} of {self.pupil}"

    @property
    def recorded_for_them(self) -> bool:
        return self.recorded_by_id is not None and self.recorded_by_id != self.user_id
