from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from graduated.organisations.models import LocalAuthority, Setting


class Tier(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", "Strong"
    MODERATE = "moderate", "Moderate"
    EMERGING = "emerging", "Emerging"
    NONE = "none", "None yet"


class MeasureKind(models.TextChoices):
    STANDARDISED = "standardised", "Standardised score"
    AGE_EQUIVALENT = "age_equivalent", "Age-equivalent in months"
    RAW = "raw", "Raw score"


class DeliveryRole(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    SENCO = "senco", "SENCO"
    SPECIALIST_TEACHER = "specialist_teacher", "Specialist teacher"
    THERAPIST = "therapist", "Therapist"


class CatalogueItem(models.Model):
    """A strategy or intervention a setting offers, or one an LA shares for its settings to adopt.

    Exactly one of ``setting`` and ``local_authority`` owns it. A setting's copy of an LA item
    keeps ``adopted_from`` so that later figures can compare runs across the LA's settings.
    """

    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    adopted_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions")
    name = models.CharField(max_length=120)
    description = models.TextField()
    areas = models.JSONField("broad areas of need", default=list)  # BroadArea codes, in census order
    tier = models.CharField(max_length=12, choices=Tier.choices)
    evidence_note = models.TextField("evidence base", blank=True)
    evidence_link = models.URLField("link to the evidence", blank=True)
    evidence_strength = models.CharField(max_length=10, choices=EvidenceStrength.choices)
    delivered_by_role = models.CharField("delivered by", max_length=20, choices=DeliveryRole.choices)
    group_size = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    sessions_per_week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    minutes_per_session = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    typical_weeks = models.PositiveSmallIntegerField("typical length in weeks", validators=[MinValueValidator(1)])
    resources_cost = models.DecimalField(
        "resources cost (£)", max_digits=8, decimal_places=2, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    measure_name = models.CharField("entry and exit measure", max_length=120, blank=True)
    measure_unit = models.CharField(max_length=40, blank=True)
    measure_kind = models.CharField(max_length=16, choices=MeasureKind.choices, blank=True)
    higher_is_better = models.BooleanField(default=True)
    is_active = models.BooleanField("offered now", default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(setting__isnull=False, local_authority__isnull=True)
                | Q(setting__isnull=True, local_authority__isnull=False),
                name="catalogue_item_has_one_owner",
            ),
            models.UniqueConstraint(fields=["setting", "name"], name="one_catalogue_name_per_setting"),
            models.UniqueConstraint(fields=["local_authority", "name"], name="one_catalogue_name_per_la"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def minutes_per_week(self) -> int:
        return self.sessions_per_week * self.minutes_per_session
