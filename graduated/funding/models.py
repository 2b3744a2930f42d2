"""Funding records for a pupil (domain.md §8): element 3 top-up applications to the LA, and the
early years awards (SEN inclusion fund, Disability Access Fund).

A top-up application is written as a draft, submitted to the LA with its costed provision map
attached, then decided by the LA. The map is copied onto the application when it is submitted
(``map_snapshot``): the record must show what the LA was sent, even after the provision changes.

Money in a year: each application and award counts in the academic year (1 September to 31
August) in which its period begins (see ``selectors.year_totals``).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil
from graduated.pupils.year_groups import academic_year_start

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def academic_year_label(year_starting: int) -> str:
    """2025 -> "2025/26"."""
    return f"{year_starting}/{(year_starting + 1) % 100:02d}"


def academic_year_bounds(year_starting: int) -> tuple[date, date]:
    return date(year_starting, 9, 1), date(year_starting + 1, 8, 31)


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)


class TopUpApplication(Versioned):
    """An application to the LA for element 3 top-up funding for one pupil over one period."""

    stale_message = someone_else_changed("this application")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="top_up_applications")
    # The setting that applies: every pupil-owned table carries one (see docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    period_from = models.DateField("period from")
    period_to = models.DateField("period to")
    amount_requested = models.DecimalField("amount requested (£)", **MONEY)  # type: ignore[arg-type]
    case_for_funding = models.TextField(
        "why the pupil needs more than the setting can provide", blank=True
    )  # the setting's own words to the LA
    status = models.CharField(max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    amount_approved = models.DecimalField("amount approved (£)", null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    decision_note = models.TextField(blank=True)
    # What was sent: [{"description", "arithmetic", "total"}, ...] with totals as strings of pounds.
    map_snapshot = models.JSONField(default=list, blank=True)
    map_total = models.DecimalField(null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="top_up_requested_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_approved__isnull=True) | Q(amount_approved__gte=0),
                name="top_up_approved_not_negative",
            ),
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="top_up_period_forwards"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_on__isnull=False), name="top_up_sent_has_submitted_on"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "declined"]) | Q(decided_on__isnull=False),
                name="top_up_decided_has_decided_on",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(amount_approved__isnull=False),
                name="top_up_approved_has_amount",
            ),
        ]
        indexes = [models.Index(fields=["setting", "period_from"])]

    def __str__(self) -> str:
        return f"Top-up for {self.pupil} from {self.period_from:%-d %B %Y}"

    @property
    def period(self) -> tuple[date, date]:
        return self.period_from, self.period_to

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def academic_year(self) -> str:
        return academic_year_label(academic_year_start(self.period_from))

    def snapshot_lines(self) -> list[dict[str, Any]]:
        return list(self.map_snapshot or [])


class AwardKind(models.TextChoices):
    SEN_INCLUSION_FUND = "sen_inclusion_fund", "SEN inclusion fund"
    DISABILITY_ACCESS_FUND = "disability_access_fund", "Disability Access Fund"


# From April 2025, for a child receiving Disability Living Allowance (domain.md §8).
DISABILITY_ACCESS_FUND_A_YEAR = Decimal("938.00")


class FundingAward(models.Model):
    """Early years funding the LA awarded for a child: SEN inclusion fund or Disability Access Fund."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="funding_awards")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=AwardKind.choices)
    amount = models.DecimalField("amount (£)", **MONEY)  # type: ignore[arg-type]
    period_from = models.DateField("period from")
    period_to = models.DateField("period to")
    awarded_on = models.DateField("date awarded")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_award_not_negative"),
            models.CheckConstraint(condition=Q(period_to__gte=F("period_from")), name="funding_award_period_forwards"),
        ]
        indexes = [models.Index(fields=["setting", "period_from"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.pupil}: £{self.amount}"
