"""The LA's stages of the graduated pathway, each pupil's dated place on it, and concerns raised."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned
from graduated.organisations.models import LocalAuthority
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Pupil


class StageKey(models.TextChoices):
    """The fixed stages the code refers to; each LA words them its own way (Stage.name)."""

    QUALITY_FIRST_TEACHING = "quality_first_teaching", "Quality First Teaching"
    MONITORING = "monitoring", "Monitoring"
    SEN_SUPPORT = "sen_support", "SEN support"
    SPECIALIST_INVOLVEMENT = "specialist_involvement", "SEN support with specialist involvement"
    MY_SUPPORT_PLAN = "my_support_plan", "My Support Plan"
    EHC_ASSESSMENT_REQUESTED = "ehc_assessment_requested", "EHC needs assessment requested"
    EHC_PLAN = "ehc_plan", "EHC plan"


DEFAULT_DESCRIPTIONS: dict[str, str] = {
    StageKey.QUALITY_FIRST_TEACHING: "High-quality teaching, differentiated for individuals, for every pupil.",
    StageKey.MONITORING: "A concern has been raised; progress is watched closely and looked at again on a set date.",
    StageKey.SEN_SUPPORT: "Special educational provision through Assess, Plan, Do, Review cycles (census K).",
    StageKey.SPECIALIST_INVOLVEMENT: "SEN support with advice or help from specialists, with parents' agreement.",
    StageKey.MY_SUPPORT_PLAN: "A person-centred planning meeting has agreed a My Support Plan.",
    StageKey.EHC_ASSESSMENT_REQUESTED: "A request for an EHC needs assessment has gone to the local authority.",
    StageKey.EHC_PLAN: "The pupil has an education, health and care plan (census E).",
}


class Stage(models.Model):
    """One stage of an LA's graduated pathway. The key is fixed; the name is the LA's wording."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="pathway_stages")
    key = models.CharField(max_length=32, choices=StageKey.choices)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["local_authority", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "key"], name="one_stage_per_key_per_la"),
        ]

    def __str__(self) -> str:
        return self.name


class PupilStageQuerySet(models.QuerySet["PupilStage"]):
    def current(self) -> "PupilStageQuerySet":
        return self.filter(end_date__isnull=True)


class PupilStage(models.Model):
    """A span of time a pupil spent at one stage. Exactly one period per pupil is open."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="stages")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[PupilStageQuerySet] = PupilStageQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pupil"], condition=Q(end_date__isnull=True), name="one_current_stage"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="pupil_stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} from {self.start_date:%d/%m/%Y}"


class Decision(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    MONITOR = "monitor", "Monitor and look again"
    START_SEN_SUPPORT = "start_sen_support", "Start SEN support"


class ConcernQuerySet(models.QuerySet["Concern"]):
    def open(self) -> "ConcernQuerySet":
        return self.filter(decision__isnull=True)


def _valid_areas(value: object) -> None:
    if not isinstance(value, list) or not value or any(area not in BroadArea.values for area in value):
        raise ValidationError("Choose at least one broad area of need.")


class Concern(Versioned):
    """A member of staff's concern about a pupil's progress, and the SENCO's decision on it."""

    stale_message = "Someone else changed this concern while you were deciding. Check it and save again."

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_on = models.DateField()
    # A short list of BroadArea codes: always read with the concern, never queried on its own.
    areas = models.JSONField(default=list, validators=[_valid_areas])
    what_is_seen = models.TextField()
    already_tried = models.TextField()
    parents_view = models.TextField(blank=True)
    # Null while the concern is open: "no decision yet" is not one of the decisions.
    decision = models.CharField(max_length=24, choices=Decision.choices, null=True, blank=True)  # noqa: DJ001
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    look_again_on = models.DateField(null=True, blank=True)
    parents_notified_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[ConcernQuerySet] = ConcernQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["raised_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="monitor") | Q(look_again_on__isnull=False), name="monitor_needs_look_again_date"
            ),
            models.CheckConstraint(
                condition=~Q(decision="start_sen_support") | Q(parents_notified_on__isnull=False),
                name="sen_support_needs_parents_told",
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(decided_on__gte=F("raised_on")),
                name="concern_decided_after_raised",
            ),
        ]
        indexes = [models.Index(fields=["pupil", "decision"])]

    def __str__(self) -> str:
        return f"Concern about {self.pupil} raised {self.raised_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.decision is None

    @property
    def area_labels(self) -> list[str]:
        return [BroadArea(area).label for area in self.areas if area in BroadArea.values]
