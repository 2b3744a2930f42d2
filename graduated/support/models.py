"""Assess-Plan-Do-Review cycles: what was assessed, the outcomes and provision planned, the
sessions delivered, and the review that closes each cycle (domain.md §3 and §6).

A cycle's ``status`` is stored, not derived, so that lists and the pupil page can filter on it
without reading the children: ASSESS when started, PLAN once it has an outcome, DO once the plan
is agreed, CLOSED once reviewed. "Review due" is not a stored state: it is a DO cycle whose review
date has come (``Cycle.stage``).
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import Setting
from graduated.provision.models import DeliveryRole
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil

MAX_OUTCOMES = 6


class CycleStatus(models.TextChoices):
    ASSESS = "assess", "Assess"
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    REVIEW = "review", "Review due"  # never stored: see Cycle.stage
    CLOSED = "closed", "Reviewed"


class NotificationMethod(models.TextChoices):
    MEETING = "meeting", "At a meeting"
    LETTER = "letter", "By letter"
    EMAIL = "email", "By email"
    PHONE = "phone", "By phone"
    OTHER = "other", "Another way"


class Cycle(Versioned):
    stale_message = someone_else_changed("this cycle")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="cycles")
    # The setting that runs the cycle: every pupil-owned table carries one (see docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_cycle")
    status = models.CharField(max_length=8, choices=CycleStatus.choices, default=CycleStatus.ASSESS)
    started_on = models.DateField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Assess. Keyed by BroadArea codes: a pupil's needs may span several areas.
    analysis_by_area = models.JSONField(default=dict, blank=True)
    parents_views = models.TextField("parents' views", blank=True)
    pupil_views = models.TextField("pupil's views", blank=True)
    advice_received = models.TextField("advice from outside services", blank=True)
    # Plan.
    review_date = models.DateField(null=True, blank=True)
    plan_agreed_on = models.DateField(null=True, blank=True)
    parents_notified_on = models.DateField(null=True, blank=True)
    parents_notified_how = models.CharField(max_length=8, choices=NotificationMethod.choices, blank=True)
    # The plan and its review are shared with the family, as the Code expects, unless the SENCO
    # chooses otherwise (graduated.families.sharing).
    shared_with_family = models.BooleanField("shared with the family", default=True)
    # What kind of plan this is and its tier of support: data, not code (graduated/plans/).
    plan_type = models.ForeignKey("plans.PlanType", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(
        "plans.SupportTier", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="tier of support",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pupil", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "number"], name="one_cycle_number_per_pupil"),
            # At most one cycle of a pupil is open at a time.
            models.UniqueConstraint(fields=["pupil"], condition=~Q(status="closed"), name="one_open_cycle_per_pupil"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cycle_number_from_one"),
        ]
        indexes = [models.Index(fields=["setting", "status", "review_date"])]

    def __str__(self) -> str:
        return f"Cycle {self.number} for {self.pupil}"

    @property
    def is_open(self) -> bool:
        return self.status != CycleStatus.CLOSED

    @property
    def plan_agreed(self) -> bool:
        return self.plan_agreed_on is not None

    def stage(self, today: date | None = None) -> CycleStatus:
        if self.status == CycleStatus.DO and self.review_date and self.review_date <= (today or timezone.localdate()):
            return CycleStatus.REVIEW
        return CycleStatus(self.status)

    @property
    def stage_label(self) -> str:
        return self.stage().label

    @property
    def review_overdue(self) -> bool:
        return self.status == CycleStatus.DO and bool(self.review_date) and self.review_date < timezone.localdate()  # type: ignore[operator]

    def analysis_items(self) -> list[tuple[str, str]]:
        """(area label, text) for each broad area with an analysis, in the census order."""
        return [
            (area.label, self.analysis_by_area[area.value])
            for area in BroadArea
            if self.analysis_by_area.get(area.value)
        ]


class EvidenceKind(models.TextChoices):
    STANDARDISED = "standardised", "Standardised assessment"
    OBSERVATION = "observation", "Observation"
    ATTAINMENT = "attainment", "Attainment"
    OTHER = "other", "Other"


class EvidencePoint(models.Model):
    """A data point the assessment draws on: a test score, an observation, a teacher assessment."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    taken_on = models.DateField()
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices)
    name = models.CharField(max_length=200)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    expected_for_age = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["taken_on", "id"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    """A SMART outcome: what will be achieved, how it is measured, from where to where, by when."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    description = models.TextField("what will be achieved")
    measure = models.TextField("how it will be measured")
    baseline = models.CharField(max_length=200)
    target = models.CharField(max_length=200)
    by_when = models.DateField()
    area = models.CharField("area of need", max_length=4, choices=BroadArea.choices)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )

    class Meta:
        ordering = ["cycle", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="one_outcome_per_position"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_OUTCOMES), name="outcome_position"),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ProvisionKind(models.TextChoices):
    STRATEGY = "strategy", "Strategy in class"
    INTERVENTION = "intervention", "Intervention"
    RESOURCE = "resource", "Equipment or resource"


class Provision(models.Model):
    """Additional or different provision for the pupil in one cycle: what, who, where, how often.

    Deliberately general: a later feature links it to a setting's intervention catalogue and to a
    group, and costs it (sessions × minutes × group size), without changing these fields' meaning.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="provisions")
    # The setting's catalogue entry this provision runs, if any (provision mapping costs it from there).
    catalogue_item = models.ForeignKey(
        "provision.CatalogueItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="provisions"
    )
    # The pupil's place in a group run of an intervention, if any; starts_on/ends_on are when
    # they joined and left it. The group's register writes this provision's delivery records.
    group = models.ForeignKey(
        "provision.InterventionGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="places"
    )
    # Which staff role's hourly cost prices this provision (the catalogue item's or group's, if
    # linked, is the default); free text in delivered_by_role cannot be priced.
    staff_role = models.CharField("staff role (for costs)", max_length=20, choices=DeliveryRole.choices, blank=True)
    # The outcomes this provision works towards: impact figures count how many were achieved.
    outcomes: "models.ManyToManyField[Outcome, Any]" = models.ManyToManyField(
        "Outcome", blank=True, related_name="provisions"
    )
    kind = models.CharField(max_length=12, choices=ProvisionKind.choices)
    description = models.TextField("what will be done")
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_by_role = models.CharField("delivered by (role)", max_length=100, blank=True)
    location = models.CharField(max_length=100, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    group_size = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    expected_impact = models.TextField(blank=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="provision_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def how_often(self) -> str:
        parts = []
        if self.sessions_per_week:
            parts.append(f"{self.sessions_per_week} a week")
        if self.minutes_per_session:
            parts.append(f"{self.minutes_per_session} minutes")
        if self.group_size:
            parts.append("one to one" if self.group_size == 1 else f"group of {self.group_size}")
        return ", ".join(parts)


class DeliveryStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    MISSED = "missed", "Missed"


class MissedReason(models.TextChoices):
    PUPIL_ABSENT = "pupil_absent", "Pupil absent"
    STAFF_ABSENT = "staff_absent", "Staff absent"
    CANCELLED = "cancelled", "Session cancelled"
    OTHER = "other", "Other reason"


class DeliveryRecord(models.Model):
    """One day's session of a provision, delivered or missed: the Do log."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="deliveries")
    on = models.DateField()
    status = models.CharField(max_length=9, choices=DeliveryStatus.choices)
    missed_reason = models.CharField(max_length=12, choices=MissedReason.choices, blank=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "on"], name="one_delivery_record_per_day"),
            models.CheckConstraint(
                condition=Q(status="delivered", missed_reason="") | (Q(status="missed") & ~Q(missed_reason="")),
                name="missed_sessions_have_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision} on {self.on}: {self.get_status_display()}"


class PlanAcknowledgement(models.Model):
    """A member of staff confirmed they have read the plan (Code 6.48: everyone is told)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["cycle", "user"], name="one_acknowledgement_per_person")]

    def __str__(self) -> str:
        return f"{self.user} read {self.cycle}"


class ReviewDecision(models.TextChoices):
    ANOTHER_CYCLE = "another_cycle", "Another cycle of SEN support"
    INVOLVE_SPECIALIST = "involve_specialist", "Involve a specialist"
    PERSON_CENTRED_PLANNING = "person_centred_planning", "Hold a person-centred planning meeting"
    CONSIDER_EHC_REQUEST = "consider_ehc_request", "Consider requesting an EHC needs assessment"
    END_SEN_SUPPORT = "end_sen_support", "End SEN support"


class Review(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="review")
    held_on = models.DateField()
    parents_views_on_progress = models.TextField(blank=True)
    pupil_views_on_progress = models.TextField(blank=True)
    decision = models.CharField(max_length=24, choices=ReviewDecision.choices)
    notes = models.TextField(blank=True)
    # A review held before the agreed date (a change of need, a family's request) says why.
    early_reason = models.TextField("why the review was held before the agreed date", blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Review of {self.cycle}"


class OutcomeRating(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"
    NO_LONGER_RELEVANT = "no_longer_relevant", "No longer relevant"


CARRIED_RATINGS = (OutcomeRating.PARTLY_ACHIEVED, OutcomeRating.NOT_ACHIEVED)


class OutcomeReview(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcome_reviews")
    outcome = models.OneToOneField(Outcome, on_delete=models.CASCADE, related_name="outcome_review")
    rating = models.CharField(max_length=18, choices=OutcomeRating.choices)
    evidence = models.TextField(blank=True)
    measure_now = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_rating_display()}"


class ProvisionJudgement(models.TextChoices):
    CONTINUE = "continue", "Continue"
    ADAPT = "adapt", "Adapt"
    STOP = "stop", "Stop"


CARRIED_JUDGEMENTS = (ProvisionJudgement.CONTINUE, ProvisionJudgement.ADAPT)


class ProvisionReview(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="provision_reviews")
    provision = models.OneToOneField(Provision, on_delete=models.CASCADE, related_name="provision_review")
    judgement = models.CharField(max_length=8, choices=ProvisionJudgement.choices)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.provision}: {self.get_judgement_display()}"


def delivery_rate(delivered: int, recorded: int) -> int | None:
    """Delivered sessions as a whole percentage of recorded ones; None when none were recorded."""
    if not recorded:
        return None
    return round(100 * delivered / recorded)


class QualityCheck(models.TextChoices):
    """The plan-quality checks (graduated/support/quality.py): advice, never a block."""

    OUTCOME_MEASURABLE = "outcome_measurable", "Outcome is measurable"
    OUTCOME_SPECIFIC = "outcome_specific", "Outcome is specific"
    OUTCOME_ACHIEVABLE = "outcome_achievable", "Outcome is achievable by the review"
    PROVISION_FREQUENCY = "provision_frequency", "Provision says how often"
    PROVISION_LENGTH = "provision_length", "Provision says how long"
    PROVISION_WHO = "provision_who", "Provision says who delivers it"
    PROVISION_LINKED = "provision_linked", "Provision works towards an outcome"
    AREA_ASSESSED = "area_assessed", "Every area with an outcome was assessed"
    AREA_HAS_OUTCOME = "area_has_outcome", "Every assessed area has an outcome"
    OUTCOME_HAS_PROVISION = "outcome_has_provision", "Every outcome has provision"
    OUTCOME_REVIEWED = "outcome_reviewed", "Every outcome was reviewed"


class QualityFinding(models.Model):
    """One check a cycle fails, and how many times (outcomes, provisions or areas), stored when the
    cycle's plan changes so that the LA's figures are grouped counts, not every plan re-checked."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="quality_findings")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    check_code = models.CharField("check", max_length=24, choices=QualityCheck.choices)
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "check_code"], name="one_finding_per_cycle_check")]
        indexes = [models.Index(fields=["setting", "check_code"])]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.check_code} x{self.count}"
