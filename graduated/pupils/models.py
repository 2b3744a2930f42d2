"""Pupils, where they are enrolled, their SEN status over time, their needs and their chronology."""

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import BROAD_AREA_OF_TYPE, SENProvision, SENType, Sex
from graduated.pupils.identifiers import validate_upn
from graduated.pupils.year_groups import year_group_for, year_group_label


class PupilQuerySet(models.QuerySet["Pupil"]):
    def enrolled_in(self, setting: Setting, on: date | None = None) -> "PupilQuerySet":
        return self.filter(id__in=Enrolment.objects.current(on).filter(setting=setting).values("pupil_id"))


class Pupil(Versioned):
    stale_message = someone_else_changed("this pupil's details")

    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    upn = models.CharField("UPN", max_length=13, null=True, blank=True, unique=True, validators=[validate_upn])
    home_local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year_group_override = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Only for a pupil taught outside their chronological year group.",
    )
    # School census pupil-level indicators (domain.md §4), as the MIS holds them.
    sen_unit = models.BooleanField("SEN unit", default=False, help_text="The pupil is in the setting's SEN unit.")
    resourced_provision = models.BooleanField(
        "resourced provision", default=False, help_text="The pupil is in the setting's resourced provision."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[PupilQuerySet] = PupilQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        indexes = [models.Index(fields=["legal_last_name", "legal_first_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def uses_preferred_name(self) -> bool:
        return bool(self.preferred_first_name or self.preferred_last_name)

    def year_group(self, on: date | None = None) -> int:
        if self.year_group_override is not None:
            return self.year_group_override
        return year_group_for(self.date_of_birth, on or timezone.localdate())

    @property
    def year_group_label(self) -> str:
        return year_group_label(self.year_group())


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def current(self, on: date | None = None) -> "EnrolmentQuerySet":
        """Enrolments that have not ended by ``on`` (today): current pupils and future starters."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Enrolment(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="enrolments")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="enrolments")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects: ClassVar[EnrolmentQuerySet] = EnrolmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrolment_ends_after_start",
            ),
        ]
        # The pupil too, so that counting an LA's or a setting's pupils on roll reads the index alone.
        indexes = [models.Index(fields=["setting", "end_date", "pupil"], name="enrolment_setting_end_pupil")]

    def __str__(self) -> str:
        return f"{self.pupil} at {self.setting}"


class Contact(models.Model):
    """A parent, carer or other person to contact about the pupil, as the setting's MIS holds them.

    Imports replace a pupil's contacts from the file (graduated/records/apply.py); parents'
    accounts will be invited from the contacts with parental responsibility.
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=50, blank=True, help_text="A CTF code (PAM, PAF …) or the MIS's words.")
    parental_responsibility = models.BooleanField(default=False)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    priority = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The MIS's contact order: 1 first.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [models.F("priority").asc(nulls_last=True), "id"]
        indexes = [models.Index(fields=["pupil", "priority"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class StaffRelationship(models.TextChoices):
    CLASS_TEACHER = "class_teacher", "Class teacher"
    SUBJECT_TEACHER = "subject_teacher", "Subject teacher"
    KEY_PERSON = "key_person", "Key person"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"


class StaffLink(models.Model):
    """A member of staff who works with a pupil: it lets teachers and TAs see that pupil."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="staff_links")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_links")
    relationship = models.CharField(max_length=24, choices=StaffRelationship.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "user"], name="one_link_per_staff_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_relationship_display()}) for {self.pupil}"


class SENStatusQuerySet(models.QuerySet["SENStatusPeriod"]):
    def current(self) -> "SENStatusQuerySet":
        return self.filter(end_date__isnull=True)


class SENStatusPeriod(models.Model):
    """A span of time with one census SEN provision code. Exactly one period per pupil is open."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sen_statuses")
    status = models.CharField(max_length=1, choices=SENProvision.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[SENStatusQuerySet] = SENStatusQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(end_date__isnull=True), name="one_current_sen_status"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="sen_status_ends_after_start",
            ),
        ]
        # The pupil too: the register's current statuses are read from the index alone.
        indexes = [models.Index(fields=["status", "end_date", "pupil"], name="sen_status_end_pupil")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.start_date:%d/%m/%Y}"


_SEN_TYPE_LABELS: dict[str, str] = dict(SENType.choices)


class NeedQuerySet(models.QuerySet["Need"]):
    def current(self) -> "NeedQuerySet":
        return self.filter(end_date__isnull=True)


class Need(models.Model):
    """A census SEN type held by a pupil, ranked: 1 is the primary need."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="needs")
    sen_type = models.CharField("type of need", max_length=4, choices=SENType.choices)
    rank = models.PositiveSmallIntegerField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[NeedQuerySet] = NeedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["rank", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "rank"], condition=Q(end_date__isnull=True), name="one_current_need_per_rank"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="need_rank_from_one"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="need_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["sen_type", "rank", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_sen_type_display()} (rank {self.rank})"

    def get_sen_type_display(self) -> str:  # type: ignore[no-redef]
        """As Django's, from a dict made once: its own rebuilds the choices on every call, and the
        register and the pupil page ask for every need they show."""
        return _SEN_TYPE_LABELS.get(self.sen_type, self.sen_type)

    @property
    def broad_area(self) -> str | None:
        area = BROAD_AREA_OF_TYPE.get(self.sen_type)
        return area.label if area else None

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ChronologyKind(models.TextChoices):
    """What a chronology entry records. Later features add their kinds here."""

    ENROLLED = "enrolled", "Enrolled"
    LEFT = "left", "Left the setting"
    RECORD_TRANSFERRED = "record_transferred", "SEN record transferred to a new setting"
    DECLARED_AT_ENTRY = "declared_at_entry", "Need declared on joining a college or sixth form"
    STATUS_CHANGED = "status_changed", "SEN status changed"
    NEED_RECORDED = "need_recorded", "Need recorded"
    NEED_ENDED = "need_ended", "Need ended"
    DETAILS_CHANGED = "details_changed", "Details changed"
    STAFF_LINKED = "staff_linked", "Member of staff linked"
    STAFF_UNLINKED = "staff_unlinked", "Member of staff unlinked"
    CONCERN_RAISED = "concern_raised", "Concern raised"
    CONCERN_DECIDED = "concern_decided", "Decision on a concern"
    STAGE_CHANGED = "stage_changed", "Stage on the graduated pathway changed"
    PROFILE_UPDATED = "profile_updated", "One-page profile updated"
    CYCLE_STARTED = "cycle_started", "Support cycle started"
    PLAN_AGREED = "plan_agreed", "SEN support plan agreed"
    FAMILY_RESPONDED = "family_responded", "The family said whether they agree with the plan"
    FAMILY_CONSENTED = "family_consented", "The family gave or refused consent"
    PARENTS_NOTIFIED = "parents_notified", "Parents told"
    OUTCOME_ADDED = "outcome_added", "Outcome added to an agreed plan"
    REVIEW_RECORDED = "review_recorded", "Review held"
    MEETING_HELD = "meeting_held", "Meeting held"
    MEETING_SHARED = "meeting_shared", "Meeting record shared with the parents"
    DOCUMENT_ADDED = "document_added", "Document added"
    TOP_UP_SUBMITTED = "top_up_submitted", "Top-up funding requested"
    TOP_UP_DECIDED = "top_up_decided", "Top-up funding decided"
    FUNDING_AWARDED = "funding_awarded", "Funding awarded"
    SUPPORT_PLAN_AGREED = "support_plan_agreed", "My Support Plan agreed"
    REFERRAL_MADE = "referral_made", "Referred to a service"
    SPECIALIST_REPORT_RECEIVED = "specialist_report_received", "Specialist's report received"
    # The LA's statutory steps for an EHC needs assessment and plan (ehc app).
    EHC_REQUEST_RECEIVED = "ehc_request_received", "Request for an EHC needs assessment received"
    EHC_ASSESSMENT_DECIDED = "ehc_assessment_decided", "Decision whether to carry out an EHC needs assessment"
    EHC_ADVICE_REQUESTED = "ehc_advice_requested", "Advice requested for the EHC needs assessment"
    EHC_ADVICE_RECEIVED = "ehc_advice_received", "Advice received for the EHC needs assessment"
    EHC_NOT_TO_ISSUE = "ehc_not_to_issue", "Decision not to issue an EHC plan"
    EHC_REQUEST_WITHDRAWN = "ehc_request_withdrawn", "Request for an EHC needs assessment withdrawn"
    EHC_DRAFT_PLAN = "ehc_draft_plan", "Draft EHC plan issued"
    EHC_FINAL_PLAN = "ehc_final_plan", "Final EHC plan issued"
    EHC_REVIEW_MEETING = "ehc_review_meeting", "EHC plan review meeting held"
    EHC_REVIEW_DECIDED = "ehc_review_decided", "Decision after an EHC plan review"
    EHC_PLAN_CEASED = "ehc_plan_ceased", "EHC plan ceased"


class ChronologyEntry(models.Model):
    """One dated event in a pupil's story: when it happened, and when it was recorded."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=32, choices=ChronologyKind.choices)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_on", "-recorded_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["pupil", "-occurred_on", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.summary}"
