"""An LA's rule pack (domain.md §10): its words for the graduated pathway and its local evidence
rules, kept as dated versions.

Local rules only ever warn. Statute lets parents, young people and settings request an EHC needs
assessment whatever the local rules say (domain.md §7), so nothing here can block a request: the
readiness check (``readiness.py``) reports each rule as met or not, with its reason and its source.

Versions: an LA has at most one draft at a time. Publishing a draft gives it a date from which it
is in force; the version in force on a date is the latest published one whose date has come.
Published versions are never changed: editing starts a new draft, copied from the latest version.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority


class PackStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


# The LA's words: field name -> (label, the wording used when an LA has not chosen its own).
WORDS: dict[str, tuple[str, str]] = {
    "response_name": ("Name of the graduated response", "Graduated Response"),
    "person_centred_plan_name": ("Name of the person-centred plan", "My Support Plan"),
    "sen_support_plan_name": ("Name of the SEN support plan", "SEN support plan"),
    "one_page_profile_name": ("Name of the one-page profile", "One-page profile"),
    "enhanced_step_name": ("Name of the enhanced step", "referral for enhanced support"),
}
DEFAULT_REVIEW_MONTHS = 4  # "about three times a year" (domain.md §6), as statutory.REVIEW_INTERVAL_MONTHS
# EHC plans of children under 5 are reviewed more often than the law's 12 months (Code of Practice
# 9.178: every 3 to 6 months); the LA chooses, 6 when it has not (as statutory.clock).
DEFAULT_UNDER_FIVE_REVIEW_MONTHS = 6


def _words_field(name: str) -> models.CharField[str, str]:
    label, default = WORDS[name]
    return models.CharField(label, max_length=80, default=default)


class RulePack(Versioned):
    """One version of an LA's rule pack: its words and (through ``rules``) its local rules."""

    stale_message = someone_else_changed("this draft")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="rule_packs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=9, choices=PackStatus.choices, default=PackStatus.DRAFT)
    effective_from = models.DateField("in force from", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    change_note = models.TextField("what changed", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    response_name = _words_field("response_name")
    person_centred_plan_name = _words_field("person_centred_plan_name")
    sen_support_plan_name = _words_field("sen_support_plan_name")
    one_page_profile_name = _words_field("one_page_profile_name")
    enhanced_step_name = _words_field("enhanced_step_name")
    plan_review_months = models.PositiveSmallIntegerField(
        "months between reviews of the person-centred plan",
        default=DEFAULT_REVIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    under_five_review_months = models.PositiveSmallIntegerField(
        "months between reviews of an EHC plan for a child under 5",
        default=DEFAULT_UNDER_FIVE_REVIEW_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        ordering = ["local_authority", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "number"], name="one_rule_pack_per_number"),
            models.UniqueConstraint(
                fields=["local_authority"], condition=Q(status="draft"), name="one_draft_rule_pack_per_la"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False), name="published_rule_pack_has_date"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="rule_pack_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} rule pack, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == PackStatus.DRAFT

    def words(self) -> list[tuple[str, str]]:
        """(label, the LA's wording) for each of the pack's words, in a fixed order."""
        return [(label, getattr(self, name)) for name, (label, _) in WORDS.items()]


class RuleKind(models.TextChoices):
    MIN_COMPLETED_CYCLES = "min_completed_cycles", "Completed APDR cycles"
    SUPPORT_PLAN_BEFORE_REQUEST = "support_plan_before_request", "A person-centred plan agreed"
    PARENT_MEETINGS_PER_YEAR = "parent_meetings_per_year", "Meetings with parents this academic year"
    SPECIALIST_BEFORE_PCP = "specialist_before_pcp", "A specialist involved"
    EVIDENCE_TERMS = "evidence_terms", "Terms of evidence"
    REVIEWED_PLANS_BEFORE_REQUEST = "reviewed_plans_before_request", "Reviewed plans"
    PCP_MEETING_HELD = "pcp_meeting_held", "A person-centred planning meeting held"


# The kinds that need a number ("at least N ..."); the others are met or not.
KINDS_WITH_PARAMETER = frozenset(
    {
        RuleKind.MIN_COMPLETED_CYCLES,
        RuleKind.PARENT_MEETINGS_PER_YEAR,
        RuleKind.EVIDENCE_TERMS,
        RuleKind.REVIEWED_PLANS_BEFORE_REQUEST,
    }
)


class Step(models.TextChoices):
    """The step of the pathway a rule is checked before."""

    REQUEST = "request", "A request for an EHC needs assessment"
    ENHANCED = "enhanced", "A referral to the enhanced step"
    PCP = "pcp", "A person-centred planning meeting"


class LocalRule(models.Model):
    """One local evidence rule of a pack version: guidance, never a condition."""

    pack = models.ForeignKey(RulePack, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=RuleKind.choices)
    parameter = models.PositiveSmallIntegerField(
        "at least", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    step = models.CharField("checked before", max_length=8, choices=Step.choices)
    explanation = models.TextField("why the local authority asks for this")
    source_name = models.CharField("source document", max_length=200)
    source_reference = models.CharField("link or paragraph", max_length=300, blank=True)

    class Meta:
        ordering = ["pack", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(KINDS_WITH_PARAMETER)) | Q(parameter__gte=1),
                name="local_rule_parameter_where_needed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} before {self.get_step_display().lower()}"

    def summary(self, pack: RulePack) -> str:
        """The rule in the LA's words: "At least 2 completed APDR cycles", "My Support Plan agreed"."""
        n = self.parameter or 0
        return {
            RuleKind.MIN_COMPLETED_CYCLES: f"At least {n} completed APDR {_plural(n, 'cycle')}",
            RuleKind.SUPPORT_PLAN_BEFORE_REQUEST: f"{pack.person_centred_plan_name} agreed",
            RuleKind.PARENT_MEETINGS_PER_YEAR: f"At least {n} {_plural(n, 'meeting')} with parents or carers a year",
            RuleKind.SPECIALIST_BEFORE_PCP: "A specialist involved (seen the pupil or sent a report)",
            RuleKind.EVIDENCE_TERMS: f"Evidence covering at least {n} {_plural(n, 'term')}",
            RuleKind.REVIEWED_PLANS_BEFORE_REQUEST: f"At least {n} reviewed {_plural(n, 'plan')}",
            RuleKind.PCP_MEETING_HELD: "A person-centred planning meeting held",
        }[RuleKind(self.kind)]

    def step_name(self, pack: RulePack) -> str:
        return step_name(self.step, pack)


def step_name(step: str, pack: RulePack | None) -> str:
    """The step in the LA's words, lower case, to follow "before": the enhanced step is the LA's own."""
    if step == Step.ENHANCED and pack is not None:
        return pack.enhanced_step_name
    label = Step(step).label
    return label[0].lower() + label[1:]


def _plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"
