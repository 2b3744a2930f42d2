"""A family's place in the record: a parent, carer or young person linked to a child.

A SENCO links a contact with parental responsibility (or a young person aged 16 or over, for
their own record) to the child; the link is the only way a family account reaches a pupil
(graduated/access/families.py). It is live while it has not been ended, the child is on roll at
the setting that made it, and, for a parent or carer linked from the child's contacts, that
contact still has parental responsibility: any of those ending ends the family's access at their
next request.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from graduated.organisations.models import Setting


class FamilyRole(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "The young person"


class FamilyLink(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_links")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="family_links")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="family_links")
    role = models.CharField(max_length=12, choices=FamilyRole.choices, default=FamilyRole.PARENT)
    # The contact the link was made from (a parent or carer); None for a young person's own link.
    contact = models.ForeignKey(
        "pupils.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="family_links"
    )
    relationship = models.CharField(max_length=40, blank=True, help_text="As the contact gave it, e.g. Mother.")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "pupil"], condition=Q(ended_at__isnull=True), name="one_live_family_link"
            ),
            # A parent's link comes from a contact; a young person's is their own.
            models.CheckConstraint(
                condition=Q(role="young_person", contact__isnull=True) | Q(role="parent"),
                name="young_person_link_has_no_contact",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} linked to {self.pupil} ({self.get_role_display()})"

    @property
    def is_young_person(self) -> bool:
        return self.role == FamilyRole.YOUNG_PERSON


class ViewsRequest(models.Model):
    """The school asking the family for their views before a cycle's review (one per cycle)."""

    cycle = models.OneToOneField("support.Cycle", on_delete=models.CASCADE, related_name="views_request")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Views asked for before the review of cycle {self.cycle_id}"


class Feeling(models.TextChoices):
    GOOD = "good", "Going well"
    SOME = "some", "A bit better"
    NOT_YET = "not_yet", "Not better yet"


class ChildFeeling(models.TextChoices):
    HAPPY = "happy", "Happy"
    OK = "ok", "OK"
    UNHAPPY = "unhappy", "Not happy"


class FamilyViews(models.Model):
    """A family member's answer, in their own words (and, if they filled it in together, the child's)."""

    request = models.ForeignKey(ViewsRequest, on_delete=models.CASCADE, related_name="answers")
    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="views")
    going_well = models.TextField("what is going well", blank=True)
    hard = models.TextField("what is hard", blank=True)
    would_help = models.TextField("what would help", blank=True)
    # Outcome id -> Feeling, for the outcomes of the cycle asked about.
    outcome_feelings = models.JSONField(default=dict, blank=True)
    child_feeling = models.CharField(max_length=8, choices=ChildFeeling.choices, blank=True)
    child_going_well = models.TextField(blank=True)
    child_hard = models.TextField(blank=True)
    child_would_help = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "link"], name="one_answer_per_family_member")]

    def __str__(self) -> str:
        return f"Views of {self.link.user} for cycle {self.request.cycle_id}"


class PlanResponse(models.Model):
    """A family member saying whether they agree with a plan's outcomes, and if not, with what.

    Dated and on the chronology; it never holds up a step (the SENCO reads it, and talks to them).
    """

    cycle = models.ForeignKey("support.Cycle", on_delete=models.CASCADE, related_name="family_responses")
    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="plan_responses")
    agrees = models.BooleanField()
    comment = models.TextField("what they do not agree with, or would change", blank=True)
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "link"], name="one_plan_response_per_family_member")]

    def __str__(self) -> str:
        return f"{self.link.user} {'agrees' if self.agrees else 'does not agree'} with cycle {self.cycle_id}"


class MeetingAcknowledgement(models.Model):
    """A family member saying they have read a meeting's record shared with them."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="family_acknowledgements")
    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="meeting_acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "link"], name="one_acknowledgement_per_meeting")]

    def __str__(self) -> str:
        return f"{self.link.user} read meeting {self.meeting_id}"
