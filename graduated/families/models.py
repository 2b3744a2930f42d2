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


class FamilyConsent(models.Model):
    """A family member giving or refusing consent, on their phone, to a referral to a service or
    to the school's request for an EHC needs assessment.

    Giving it fills in the referral's or request's consent (who and when), as the SENCO would have;
    refusing is recorded and shown to the SENCO. It never holds up a statutory step: it is one
    piece of information the school and the local authority act on.
    """

    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="consents")
    referral = models.ForeignKey(
        "specialists.Referral", null=True, blank=True, on_delete=models.CASCADE, related_name="family_consents"
    )
    ehc_request = models.ForeignKey(
        "assessment_requests.PreparedRequest", null=True, blank=True, on_delete=models.CASCADE,
        related_name="family_consents",
    )  # fmt: skip
    given = models.BooleanField()
    # Only with a request for an EHC needs assessment: the LA may share it with those it asks for advice.
    share_with_professionals = models.BooleanField(default=False)
    note = models.TextField("anything they want the school to know", blank=True)
    # True when giving it filled in the referral's or request's consent: a later refusal by the
    # same person then withdraws that consent (while the referral or request has not been sent).
    filled_in = models.BooleanField(default=False)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(referral__isnull=False, ehc_request__isnull=True)
                | Q(referral__isnull=True, ehc_request__isnull=False),
                name="family_consent_to_one_thing",
            ),
            models.UniqueConstraint(fields=["link", "referral"], name="one_family_consent_per_referral"),
            models.UniqueConstraint(fields=["link", "ehc_request"], name="one_family_consent_per_ehc_request"),
        ]

    def __str__(self) -> str:
        to = f"referral {self.referral_id}" if self.referral_id else f"EHC request {self.ehc_request_id}"
        return f"{self.link.user} {'gave' if self.given else 'refused'} consent to {to}"


class ViewsEvidence(models.Model):
    """A photo or a short note the family adds to their views, to show how an aim is going.

    The photo is a document of the pupil (kind "From the family", shared with the family), so the
    school finds it among the pupil's documents as well as beside the family's views.
    """

    request = models.ForeignKey(ViewsRequest, on_delete=models.CASCADE, related_name="evidence")
    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="evidence")
    outcome = models.ForeignKey("support.Outcome", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    document = models.OneToOneField(
        "documents.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="family_evidence"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | Q(document__isnull=False), name="family_evidence_has_a_photo_or_a_note"
            )
        ]

    def __str__(self) -> str:
        return f"Evidence from {self.link.user} for cycle views {self.request_id}"


class ChildViewsForm(models.Model):
    """A child-friendly form the school gives a younger pupil, through a link, before a review.

    The link needs no account (a pupil has none); it is a long random secret, kept here only as
    its SHA-256 digest, works until it expires or the school makes a new one, and shows only the
    child's first name, the plan's aims and the questions. The answers are the child's own words.
    """

    request = models.OneToOneField(ViewsRequest, on_delete=models.CASCADE, related_name="child_form")
    token_digest = models.CharField(max_length=64, unique=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    feeling = models.CharField(max_length=8, choices=ChildFeeling.choices, blank=True)
    going_well = models.TextField(blank=True)
    hard = models.TextField(blank=True)
    would_help = models.TextField(blank=True)
    # Outcome id -> ChildFeeling, for the aims of the plan.
    outcome_feelings = models.JSONField(default=dict, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Child's form for cycle views {self.request_id}"


class FamilyMessage(models.Model):
    """One message in the thread between a child's family and their setting (one thread per child
    and setting). The family writes through their link; the school's side is its SENCO."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="family_messages")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The family member's link when they wrote it; None for the school's messages.
    link = models.ForeignKey(FamilyLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    from_family = models.BooleanField()
    body = models.TextField()
    wants_meeting = models.BooleanField("would like a meeting", default=False)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["setting", "pupil", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_family=True) | Q(link__isnull=True), name="school_message_has_no_link"
            ),
        ]

    def __str__(self) -> str:
        return f"Message about {self.pupil_id} from {'the family' if self.from_family else 'the school'}"


class ThreadRead(models.Model):
    """Up to when a person has read a child's thread: what is "new" for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "pupil", "setting"], name="one_read_marker_per_thread")]

    def __str__(self) -> str:
        return f"{self.user_id} read the thread of {self.pupil_id} up to {self.read_at}"
