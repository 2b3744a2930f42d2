"""The LA's case work for EHC needs assessments (domain.md §6, §7): requests, the decision whether to
assess, advice from professionals, exceptions to the time limits, the decision not to issue, the EHC
plan (sections A–K, draft then final) and its reviews.

Every statutory date is worked out by ``graduated.statutory.clock`` from the dates stored here; no
deadline is stored, so correcting a date corrects every deadline that follows from it.

A request is made either by an LA officer logging what arrived (from a parent, a young person, a
school, health, social care or anyone else) or, later, by a school submitting it from Graduated:
both go through ``services.receive_request``.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.documents.models import document_storage
from graduated.ehc.sen2_codes import CeaseReason, SENSetting
from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Pupil
from graduated.statutory import clock


class RequestSource(models.IntegerChoices):
    """SEN2 request source codes."""

    PARENT_OR_YOUNG_PERSON = 1, "Parent or young person"
    EDUCATION_SETTING = 2, "Education setting"
    HEALTH = 3, "Health service"
    SOCIAL_CARE = 4, "Social care"
    OTHER = 5, "Other"


class Stage(models.TextChoices):
    RECEIVED = "received", "Awaiting the decision whether to assess"
    NOT_ASSESSING = "not_assessing", "Decided not to assess"
    ASSESSING = "assessing", "Assessing"
    NOT_ISSUING = "not_issuing", "Decided not to issue a plan"
    DRAFT = "draft", "Draft plan out for comments"
    FINAL = "final", "Final plan issued"
    WITHDRAWN = "withdrawn", "Request withdrawn"


class WithdrawnBy(models.TextChoices):
    FAMILY = "family", "The parent or young person"
    SETTING = "setting", "The school or setting that made the request"


OPEN_STAGES = (Stage.RECEIVED, Stage.ASSESSING, Stage.DRAFT)
REFUSALS = (Stage.NOT_ASSESSING, Stage.NOT_ISSUING)


# A case, its plan and the plan's reviews are edited by the LA's officers as one piece of work.
STALE_CASE = someone_else_changed("this case")


class EHCRequest(Versioned):
    """A request for an EHC needs assessment of one pupil, and the case that follows it."""

    stale_message = STALE_CASE

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="ehc_requests")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField("date the request was received")
    source = models.PositiveSmallIntegerField(choices=RequestSource.choices)
    requested_by = models.CharField("who made the request", max_length=200)
    # The school or setting that made the request (SEN2 source 2), when there is one.
    requesting_setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.RECEIVED)
    # The decision whether to assess (reg 5): None until made.
    to_assess = models.BooleanField(null=True, blank=True)
    assessment_decided_on = models.DateField(null=True, blank=True)
    assessment_decision_reasons = models.TextField(blank=True)
    # The decision not to issue a plan after assessing (reg 10).
    not_to_issue_on = models.DateField(null=True, blank=True)
    not_to_issue_reasons = models.TextField(blank=True)
    # Withdrawn by the family or the setting before the case ended: no decision, no refusal letter.
    withdrawn_on = models.DateField("date the request was withdrawn", null=True, blank=True)
    withdrawn_by = models.CharField("who withdrew it", max_length=8, choices=WithdrawnBy.choices, blank=True)
    withdrawal_reason = models.TextField("why it was withdrawn", blank=True)
    # SEN2 (items 2.x, 3.x): whether the family went to mediation or the Tribunal over a decision.
    request_mediation = models.BooleanField("mediation over the decision not to assess", default=False)
    request_tribunal = models.BooleanField("appeal to the Tribunal over the decision not to assess", default=False)
    assessment_mediation = models.BooleanField("mediation over the decision not to issue a plan", default=False)
    assessment_tribunal = models.BooleanField("appeal to the Tribunal over the decision not to issue", default=False)
    other_mediation = models.BooleanField("mediation for any other reason", default=False)
    other_tribunal = models.BooleanField("appeal to the Tribunal for any other reason", default=False)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The LA officer whose caseload the case is in (None: not yet assigned).
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="ehc_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_assess__isnull=True) | Q(assessment_decided_on__isnull=False),
                name="ehc_decision_has_date",
            ),
            models.CheckConstraint(
                condition=Q(assessment_decided_on__isnull=True) | Q(assessment_decided_on__gte=F("received_on")),
                name="ehc_decision_after_request",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("received_on")),
                name="ehc_withdrawn_after_request",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "stage"])]

    def __str__(self) -> str:
        return f"Request for {self.pupil} received {self.received_on:%-d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_refused(self) -> bool:
        return self.stage in REFUSALS

    @property
    def deadlines(self) -> clock.AssessmentDeadlines:
        return clock.assessment_deadlines(self.received_on)

    @property
    def refusal_date(self) -> date | None:
        if self.stage == Stage.NOT_ASSESSING:
            return self.assessment_decided_on
        if self.stage == Stage.NOT_ISSUING:
            return self.not_to_issue_on
        return None


class AdviserKind(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGIST = "ep", "Educational psychologist"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    SCHOOL = "school", "School or setting"
    OTHER = "other", "Other"


class AdviceRequest(models.Model):
    """The LA asking a professional for advice for the assessment (reg 6); due within 6 weeks (reg 8)."""

    request = models.ForeignKey(EHCRequest, on_delete=models.CASCADE, related_name="advice_requests")
    adviser_kind = models.CharField("advice from", max_length=16, choices=AdviserKind.choices)
    adviser = models.CharField("who was asked", max_length=200)
    asked_on = models.DateField("date asked")
    received_on = models.DateField("date the advice was received", null=True, blank=True)
    # The school or setting asked (advice from a school): a closure exception depends on it.
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["asked_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("asked_on")),
                name="ehc_advice_received_after_asked",
            )
        ]

    def __str__(self) -> str:
        return f"Advice from {self.adviser} asked {self.asked_on:%-d %B %Y}"

    @property
    def due(self) -> date:
        return clock.advice_due(self.asked_on)

    def as_school_advice(self) -> clock.AdviceAsked | None:
        if self.adviser_kind != AdviserKind.SCHOOL:
            return None
        return clock.AdviceAsked(self.setting_id, self.asked_on)


class ClockExceptionRecord(models.Model):
    """Days when a time limit could not be met for a reason the Regulations list (regs 5(4), 8(2),
    10(4), 13(3)). Which time limits it disapplies is the clock's reading of the facts recorded here,
    shown against each; none until an officer confirms that it made meeting them impractical."""

    request = models.ForeignKey(EHCRequest, on_delete=models.CASCADE, related_name="clock_exceptions")
    kind = models.CharField(
        max_length=24, choices=[(kind.value, label) for kind, label in clock.EXCEPTION_LABELS.items()]
    )
    first_day = models.DateField("first day")
    last_day = models.DateField("last day")
    reason = models.TextField("what happened")
    # For a closure: the setting that was shut.
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The officer's judgement the Regulations ask for: it made the time limit impractical to meet.
    confirmed_on = models.DateField("date confirmed", null=True, blank=True)
    impractical_because = models.TextField("why it made the time limit impractical to meet", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_day__gte=F("first_day")), name="ehc_exception_forwards"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.first_day:%-d %B %Y}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_on is not None

    def as_clock(self) -> clock.ClockException:
        return clock.ClockException(
            clock.ExceptionKind(self.kind), self.first_day, self.last_day,
            setting_id=self.setting_id, confirmed=self.is_confirmed,
        )  # fmt: skip


#: The sections of an EHC plan (domain.md §6), as (field name, heading).
PLAN_SECTIONS = [
    ("section_a", "A. The child or young person's views, interests and aspirations"),
    ("section_b", "B. Special educational needs"),
    ("section_c", "C. Health needs related to the SEN"),
    ("section_d", "D. Social care needs related to the SEN or disability"),
    ("section_e", "E. Outcomes"),
    ("section_f", "F. Special educational provision"),
    ("section_g", "G. Health provision"),
    ("section_h1", "H1. Social care provision under the Chronically Sick and Disabled Persons Act 1970"),
    ("section_h2", "H2. Other social care provision"),
    ("section_i", "I. Placement"),
    ("section_j", "J. Personal budget"),
    ("section_k", "K. Advice and information"),
]
SECTION_FIELDS = [name for name, _ in PLAN_SECTIONS]


class EHCPlan(Versioned):
    """The EHC plan that came from a request: served as a draft, then issued as the final plan."""

    stale_message = STALE_CASE

    request = models.OneToOneField(EHCRequest, on_delete=models.PROTECT, related_name="plan")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="ehc_plans")
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    section_a = models.TextField(blank=True)
    section_b = models.TextField(blank=True)
    section_c = models.TextField(blank=True)
    section_d = models.TextField(blank=True)
    section_e = models.TextField(blank=True)
    section_f = models.TextField(blank=True)
    section_g = models.TextField(blank=True)
    section_h1 = models.TextField(blank=True)
    section_h2 = models.TextField(blank=True)
    section_i = models.TextField(blank=True)
    section_j = models.TextField(blank=True)
    section_k = models.TextField(blank=True)
    draft_issued_on = models.DateField("date the draft was served")
    final_issued_on = models.DateField("date the final plan was issued", null=True, blank=True)
    # SEN2 (items 4.x, 5.x): the plan's arrangements.
    residential = models.BooleanField("includes a residential setting", default=False)
    work_based_learning = models.BooleanField("includes work-based learning", default=False)
    personal_budget = models.BooleanField("a personal budget was taken up", default=False)
    budget_organised_arrangements = models.BooleanField("the budget is held as organised arrangements", default=False)
    budget_direct_payments = models.BooleanField("the budget is paid as direct payments", default=False)
    transferred_in_from = models.CharField(
        "LA the plan was transferred in from (DfE code)", max_length=3, blank=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the LA code as three digits, like 860.")],
    )  # fmt: skip

    class Meta:
        ordering = ["-draft_issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(final_issued_on__isnull=True) | Q(final_issued_on__gt=F("draft_issued_on")),
                name="ehc_final_after_draft",
            )
        ]

    def __str__(self) -> str:
        return f"EHC plan for {self.pupil}"

    @property
    def comments_close(self) -> date:
        return clock.draft_comments_close(self.draft_issued_on)

    @property
    def is_final(self) -> bool:
        return self.final_issued_on is not None

    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, heading, text) for each section A–K."""
        return [(name, heading, getattr(self, name)) for name, heading in PLAN_SECTIONS]


class ReviewDecision(models.TextChoices):
    MAINTAIN = "maintain", "Keep the plan as it is"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease the plan"


class PlanReview(Versioned):
    """An annual review of a final plan (s.44 CFA 2014; reg 20): the meeting and the steps around it."""

    stale_message = STALE_CASE

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="reviews")
    meeting_on = models.DateField("date of the review meeting")
    papers_sent_on = models.DateField("date the advice and information went out", null=True, blank=True)
    report_received_on = models.DateField("date the review report reached the LA", null=True, blank=True)
    decision = models.CharField("the LA's decision", max_length=10, choices=ReviewDecision.choices, blank=True)
    decided_on = models.DateField("date of the LA's decision", null=True, blank=True)
    # After a decision to cease, the plan is kept until the time to appeal has passed or an appeal is
    # decided (s.45 CFA 2014): this is the day it stopped, set once that has happened.
    ceased_on = models.DateField("date the plan ceased", null=True, blank=True)
    cease_reason = models.PositiveSmallIntegerField(
        "why the plan ceased", choices=CeaseReason.choices, null=True, blank=True
    )

    class Meta:
        ordering = ["-meeting_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_on__isnull=False), name="ehc_review_decision_has_date"
            ),
            models.CheckConstraint(
                condition=Q(ceased_on__isnull=True) | (Q(decision="cease") & Q(ceased_on__gt=F("decided_on"))),
                name="ehc_review_ceased_after_decision_to_cease",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.plan.pupil} on {self.meeting_on:%-d %B %Y}"

    @property
    def papers_due(self) -> date:
        return clock.review_papers_due(self.meeting_on)

    @property
    def report_due(self) -> date:
        return clock.review_report_due(self.meeting_on)

    @property
    def decision_due(self) -> date:
        return clock.review_decision_due(self.meeting_on)


class Placement(Versioned):
    """Where a plan places the child or young person (SEN2 4b and 5b): a setting by URN or UKPRN, or,
    when there is none, the kind of arrangement. Rank 1 is the main placement, 2 a second one (dual
    placements). The entry and leaving dates say when it applied."""

    stale_message = STALE_CASE

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="placements")
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    urn = models.CharField(
        "URN", max_length=8, blank=True, validators=[RegexValidator(r"^\d{6,8}$", "Enter the URN as 6 to 8 digits.")]
    )
    ukprn = models.CharField(
        "UKPRN", max_length=8, blank=True, validators=[RegexValidator(r"^1\d{7}$", "Enter the UKPRN as 8 digits.")]
    )
    sen_setting = models.CharField(
        "kind of arrangement, when there is no URN or UKPRN", max_length=4, choices=SENSetting.choices, blank=True
    )
    sen_setting_other = models.CharField("what the arrangement is", max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(choices=[(1, "Main placement"), (2, "Second placement")])
    entry_date = models.DateField("start date")
    leaving_date = models.DateField("leaving date", null=True, blank=True)
    sen_unit = models.BooleanField("in a SEN unit", default=False)
    resourced_provision = models.BooleanField("in resourced provision", default=False)

    class Meta:
        ordering = ["rank", "entry_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(leaving_date__isnull=True) | Q(leaving_date__gte=F("entry_date")),
                name="ehc_placement_leaves_after_entry",
            ),
            models.CheckConstraint(condition=Q(rank__in=[1, 2]), name="ehc_placement_rank_1_or_2"),
        ]

    def __str__(self) -> str:
        return f"{self.where} (rank {self.rank})"

    @property
    def where(self) -> str:
        if self.setting is not None:
            return self.setting.name
        if self.sen_setting:
            return self.get_sen_setting_display()
        return self.urn or self.ukprn

    def current_on(self, day: date) -> bool:
        return self.entry_date <= day and (self.leaving_date is None or self.leaving_date >= day)


def _sen2_file_name(instance: "Sen2Build", filename: str) -> str:
    # Like the evidence bundle: the stored name says nothing about the LA or the year.
    return f"sen2/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Sen2BuildStatus(models.TextChoices):
    BUILDING = "building", "Being built"
    READY = "ready", "Built"
    FAILED = "failed", "Could not be built"


# A build still "being built" after this long has stopped (the worker is down, or the task was lost):
# the check page stops saying so, and the return can be asked for again.
SEN2_BUILD_STUCK_AFTER = timedelta(minutes=10)


class Sen2Build(models.Model):
    """The LA's SEN2 return for one collection year, built in the background (``sen2_builds``) and
    kept: its files as the DfE takes them, what the checks found, and how far a new build has got.
    One per LA and year: building again replaces it. While a new build runs, the last one built
    stays readable; ``built_at`` is when what is stored was drawn from the cases."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=16, choices=Sen2BuildStatus.choices, default=Sen2BuildStatus.BUILDING)
    status_at = models.DateTimeField("when the status last changed", default=timezone.now)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # When a worker took up the current attempt (null: it is waiting for one).
    started_at = models.DateTimeField(null=True, blank=True)
    # Each build asked for: what an older attempt than the current one reports is not kept.
    attempts = models.PositiveIntegerField(default=1)
    error = models.TextField("why the return could not be built", blank=True)
    # What is stored, from the last build that finished (blank until one has).
    built_at = models.DateTimeField(null=True, blank=True)
    built_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    xml = models.FileField(storage=document_storage, upload_to=_sen2_file_name, max_length=200, blank=True)
    csv_zip = models.FileField(storage=document_storage, upload_to=_sen2_file_name, max_length=200, blank=True)
    people = models.PositiveIntegerField(default=0)
    # [[module element, records], ...] and [{"error", "rule", "message", "case", "pupil"}, ...], errors first.
    counts = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "year"], name="ehc_one_sen2_build_per_la_year"),
            models.CheckConstraint(
                condition=Q(built_at__isnull=True) | (~Q(xml="") & ~Q(csv_zip="")), name="ehc_built_sen2_has_files"
            ),
        ]

    def __str__(self) -> str:
        return f"SEN2 {self.year} return of {self.local_authority} ({self.get_status_display().lower()})"

    @property
    def is_built(self) -> bool:
        return self.built_at is not None

    @property
    def building(self) -> bool:
        return self.status == Sen2BuildStatus.BUILDING and not self.stuck

    @property
    def failed(self) -> bool:
        return self.status == Sen2BuildStatus.FAILED

    @property
    def stuck(self) -> bool:
        """Still "being built" long after it was asked for: nothing is working on it any more."""
        return self.status == Sen2BuildStatus.BUILDING and timezone.now() - self.status_at > SEN2_BUILD_STUCK_AFTER

    @property
    def can_build_again(self) -> bool:
        return self.status != Sen2BuildStatus.BUILDING or self.stuck

    @property
    def errors(self) -> list[dict[str, object]]:
        return [finding for finding in self.findings if finding["error"]]

    @property
    def warnings(self) -> list[dict[str, object]]:
        return [finding for finding in self.findings if not finding["error"]]
