"""An LA's ordinarily available provision (OAP, domain.md §6): what every setting is expected to
provide from its own resources (expectations, grouped by theme), and strategies for each broad area
of need at two levels (Quality First Teaching for every pupil, SEN support), in dated versions.

Versions work as the rule pack's do (graduated/rulepacks): at most one draft per LA; publishing
gives it the date it is in force from; published versions never change, so a link from a concern or
a plan to a strategy, or a self-review answer to an expectation, always shows what was published.

Links record where a strategy was offered and taken up: ``ConcernStrategy`` (a concern's "already
tried") and ``ProvisionStrategy`` (a provision on a cycle's plan). ``SelfReview`` is a setting's
yearly review against the expectations of the version in force.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import BroadArea


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Level(models.TextChoices):
    QUALITY_FIRST = "qft", "Quality First Teaching"
    SEN_SUPPORT = "sen_support", "SEN support"


LEVEL_ORDER = [Level.QUALITY_FIRST.value, Level.SEN_SUPPORT.value]  # QFT first, wherever strategies are offered


class OAPVersion(Versioned):
    """One version of an LA's ordinarily available provision."""

    stale_message = someone_else_changed("this draft")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="oap_versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=9, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField("in force from", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.TextField("what changed", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_authority", "-number"]
        verbose_name = "OAP version"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "number"], name="one_oap_version_per_number"),
            models.UniqueConstraint(
                fields=["local_authority"], condition=Q(status="draft"), name="one_draft_oap_per_la"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False), name="published_oap_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} ordinarily available provision, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Expectation(models.Model):
    """What every setting is expected to provide, e.g. "Staff know which pupils are on the SEN register"."""

    version = models.ForeignKey(OAPVersion, on_delete=models.CASCADE, related_name="expectations")
    theme = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Strategy(models.Model):
    """A strategy for one broad area of need at one level."""

    version = models.ForeignKey(OAPVersion, on_delete=models.CASCADE, related_name="strategies")
    area = models.CharField("broad area of need", max_length=4, choices=BroadArea.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    description = models.TextField()

    class Meta:
        ordering = ["version", "area", "level", "position", "id"]
        verbose_name_plural = "strategies"
        indexes = [models.Index(fields=["version", "area", "level"])]

    def __str__(self) -> str:
        return self.title


class ConcernStrategy(models.Model):
    """A strategy of the OAP in force that the person raising a concern had already tried."""

    concern = models.ForeignKey("pathway.Concern", on_delete=models.CASCADE, related_name="oap_strategies")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="concern_links")
    # Every pupil-owned table carries the setting (docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["concern", "id"]
        constraints = [models.UniqueConstraint(fields=["concern", "strategy"], name="one_link_per_concern_strategy")]

    def __str__(self) -> str:
        return f"{self.strategy} tried before concern {self.concern_id}"


class ProvisionStrategy(models.Model):
    """A provision on a cycle's plan added from an OAP strategy: at most once per plan."""

    provision = models.OneToOneField("support.Provision", on_delete=models.CASCADE, related_name="oap_strategy")
    cycle = models.ForeignKey("support.Cycle", on_delete=models.CASCADE, related_name="+")
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="provision_links")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "strategy"], name="one_oap_strategy_per_plan")]

    def __str__(self) -> str:
        return f"{self.strategy} in cycle {self.cycle_id}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "In draft"
    COMPLETE = "complete", "Complete"


class Rating(models.TextChoices):
    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_YET = "not_yet", "Not yet"


class SelfReview(Versioned):
    """A setting's review, once an academic year (September to August), against the expectations of
    the OAP version in force when it was started."""

    stale_message = someone_else_changed("this self-review")

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="oap_self_reviews")
    academic_year = models.PositiveSmallIntegerField(help_text="The year it starts in: 2026 is 2026/27.")
    oap_version = models.ForeignKey(OAPVersion, on_delete=models.PROTECT, related_name="self_reviews")
    status = models.CharField(max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["setting", "-academic_year"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "academic_year"], name="one_self_review_per_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False), name="complete_self_review_has_date"
            ),
        ]
        indexes = [models.Index(fields=["academic_year", "status"])]

    def __str__(self) -> str:
        return f"{self.setting} self-review {self.academic_year}"

    @property
    def is_complete(self) -> bool:
        return self.status == ReviewStatus.COMPLETE


class SelfReviewAnswer(models.Model):
    review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="answers")
    expectation = models.ForeignKey(Expectation, on_delete=models.PROTECT, related_name="answers")
    rating = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "expectation__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "expectation"], name="one_answer_per_expectation"),
        ]

    def __str__(self) -> str:
        return f"{self.expectation}: {self.get_rating_display() or 'not answered'}"
