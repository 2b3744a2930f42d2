"""Plan types and tiers of support, as data rather than code (domain.md §10).

Each is either the platform's (``local_authority`` empty, made by a data migration) or one LA's
own. An LA renames or retires its own and never deletes one in use: a retired one stays on the
cycles that used it and is no longer offered. The platform's defaults carry a ``key`` so that code
can find them whatever they are called.
"""

from django.db import models
from django.db.models import Q

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority

NAME_LENGTH = 80
DESCRIPTION_LENGTH = 400
SEN_SUPPORT_PLAN = "sen_support_plan"  # the key of the platform's APDR plan type


class OfferedQuerySet[M: models.Model](models.QuerySet[M]):
    def offered_to(self, local_authority_id: int | None) -> "OfferedQuerySet[M]":
        """The platform's and the LA's own, not retired, in their order."""
        return self.filter(Q(local_authority__isnull=True) | Q(local_authority_id=local_authority_id)).filter(
            retired=False
        )

    def listed_for(self, local_authority_id: int) -> "OfferedQuerySet[M]":
        """What the LA's admin sees: the platform's and the LA's own, retired ones included."""
        return self.filter(Q(local_authority__isnull=True) | Q(local_authority_id=local_authority_id))


class _Choice(Versioned):
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Empty for the platform's own, offered everywhere.",
    )  # fmt: skip
    key = models.SlugField(max_length=40, blank=True, help_text="Set on the platform's defaults only.")
    name = models.CharField(max_length=NAME_LENGTH)
    description = models.CharField(max_length=DESCRIPTION_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(default=100)
    retired = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["position", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.local_authority_id is None


class PlanType(_Choice):
    """A kind of plan a cycle is written as: the SEN support plan (APDR), My Support Plan, an ISP."""

    stale_message = someone_else_changed("this plan type")

    reviews_per_year = models.PositiveSmallIntegerField(
        "reviews a year", null=True, blank=True, help_text="Empty when the plan has no set review interval."
    )
    person_centred = models.BooleanField("person-centred", default=False)

    objects = OfferedQuerySet.as_manager()

    class Meta(_Choice.Meta):
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="one_plan_type_name_per_la"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(local_authority__isnull=True), name="one_platform_plan_type_name"
            ),
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="one_plan_type_per_key"),
            models.CheckConstraint(
                condition=Q(reviews_per_year__isnull=True) | Q(reviews_per_year__gte=1, reviews_per_year__lte=12),
                name="plan_type_reviews_a_year",
            ),
        ]

    @property
    def months_between_reviews(self) -> int | None:
        return 12 // self.reviews_per_year if self.reviews_per_year else None

    @property
    def review_interval(self) -> str:
        if not self.reviews_per_year:
            return "No set interval"
        if self.reviews_per_year == 1:
            return "Reviewed once a year"
        if self.reviews_per_year == 2:
            return "Reviewed twice a year"
        return f"Reviewed {self.reviews_per_year} times a year"


class SupportTier(_Choice):
    """A tier of support: universal, targeted, targeted plus, specialist."""

    stale_message = someone_else_changed("this tier of support")

    objects = OfferedQuerySet.as_manager()

    class Meta(_Choice.Meta):
        verbose_name = "tier of support"
        verbose_name_plural = "tiers of support"
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="one_tier_name_per_la"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(local_authority__isnull=True), name="one_platform_tier_name"
            ),
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="one_tier_per_key"),
        ]
