"""Meetings about a pupil with parents and professionals: who came, what was discussed, who does what next.

A meeting "meets the parents" when at least one attendee is a parent or carer, whatever its kind:
a review meeting or a person-centred planning meeting with the parents there counts towards the
three meetings a year the SEND Code of Practice (6.65) expects for pupils on SEN support.
"""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.pupils.models import Pupil
from graduated.pupils.year_groups import academic_year_start


class MeetingKind(models.TextChoices):
    PARENT = "parent", "Meeting with parents or carers"
    REVIEW = "review", "Review meeting"
    PERSON_CENTRED = "person_centred", "Person-centred planning meeting"
    PROFESSIONALS = "professionals", "Professionals' meeting"


class AttendeeKind(models.TextChoices):
    STAFF = "staff", "Member of staff"
    PARENT = "parent", "Parent or carer"
    PUPIL = "pupil", "The pupil"
    PROFESSIONAL = "professional", "Professional from outside the setting"


def academic_year(on: date) -> tuple[date, date]:
    """1 September to 31 August of the academic year that contains ``on``."""
    start = academic_year_start(on)
    return date(start, 9, 1), date(start + 1, 8, 31)


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def with_parents(self) -> "MeetingQuerySet":
        """Meetings at which at least one parent or carer was present: the Code's "meeting the parents"."""
        return self.filter(Exists(Attendee.objects.filter(meeting=OuterRef("pk"), kind=AttendeeKind.PARENT)))

    def in_academic_year(self, on: date) -> "MeetingQuerySet":
        return self.filter(held_on__range=academic_year(on))


class Meeting(Versioned):
    stale_message = someone_else_changed("this meeting's record")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("date of the meeting")
    discussed = models.TextField("what was discussed and agreed")
    shared_with_parents_on = models.DateField("date the record was shared with the parents", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[MeetingQuerySet] = MeetingQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["pupil", "held_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(shared_with_parents_on__isnull=True) | Q(shared_with_parents_on__gte=F("held_on")),
                name="meeting_shared_after_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d/%m/%Y}"


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    kind = models.CharField(max_length=20, choices=AttendeeKind.choices)
    name = models.CharField(max_length=200)
    role_or_relationship = models.CharField("role or relationship to the pupil", max_length=200, blank=True)
    # Set when the attendee is a member of staff with an account, so their meetings can be found.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class MeetingActionQuerySet(models.QuerySet["MeetingAction"]):
    def open(self) -> "MeetingActionQuerySet":
        # Written NOT (done_on IS NOT NULL): SQLite then starts from the setting's or pupil's
        # meetings instead of the (done_on, due_on) index, which holds every open action in the LA
        # (over a hundred milliseconds at an LA's size, against one).
        return self.filter(~Q(done_on__isnull=False))

    def overdue(self, on: date) -> "MeetingActionQuerySet":
        return self.open().filter(due_on__lt=on)


class MeetingAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    # Always a name (a parent, a professional, or a member of staff's name copied when chosen), so
    # that the action keeps an owner if a staff account is later removed.
    owner_name = models.CharField("who", max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    objects: ClassVar[MeetingActionQuerySet] = MeetingActionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(owner_name=""), name="meeting_action_has_owner"),
        ]

    def __str__(self) -> str:
        return self.description

    def is_overdue(self, on: date | None = None) -> bool:
        return self.done_on is None and self.due_on < (on or timezone.localdate())
