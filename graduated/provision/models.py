from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
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


class CatalogueItem(Versioned):
    """A strategy or intervention a setting offers, or one an LA shares for its settings to adopt.

    Exactly one of ``setting`` and ``local_authority`` owns it. A setting's copy of an LA item
    keeps ``adopted_from`` so that later figures can compare runs across the LA's settings.
    """

    stale_message = "Someone else changed this item while you were editing it. Check their changes below."

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


class TierName(models.Model):
    """An LA's own word for a tier (some say "targeted plus"); the codes stay fixed so figures compare."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=12, choices=Tier.choices)
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["local_authority", "tier"], name="one_name_per_tier_per_la")]

    def __str__(self) -> str:
        return self.name


class StaffCost(Versioned):
    """What an hour of a staff role costs the setting (pay with on-costs), for costing provision."""

    stale_message = someone_else_changed("these costs")

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, choices=DeliveryRole.choices)
    hourly_cost = models.DecimalField(
        "cost an hour (£)", max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["setting", "role"]
        constraints = [models.UniqueConstraint(fields=["setting", "role"], name="one_cost_per_role_per_setting")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: £{self.hourly_cost} an hour"


class InterventionGroup(Versioned):
    """One run of a catalogue intervention: who delivers it, when, from and to.

    Its pupils are the ``support.Provision`` rows that point at it (a pupil's place in the group
    is their provision: one provision model, not two); a place's ``starts_on``/``ends_on`` say
    when that pupil joined and left.
    """

    stale_message = someone_else_changed("this group")

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    catalogue_item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=120, help_text="For example, Year 3 Monday and Thursday")
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Costs use this role's hourly cost, whoever stands in on the day.
    deliverer_role = models.CharField("delivered by (role)", max_length=20, choices=DeliveryRole.choices)
    location = models.CharField("where", max_length=100, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="group_ends_after_start"),
            models.UniqueConstraint(fields=["setting", "name"], name="one_group_name_per_setting"),
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class GroupSlot(models.Model):
    """A weekly time the group meets: its sessions a week are its slots, a session's length is the slot's."""

    group = models.ForeignKey(InterventionGroup, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def minutes(self) -> int:
        return (self.ends_at.hour * 60 + self.ends_at.minute) - (self.starts_at.hour * 60 + self.starts_at.minute)


class SessionStatus(models.TextChoices):
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class GroupSession(models.Model):
    """A register taken (or a session called off) on one day. Each pupil's attendance is their own
    ``support.DeliveryRecord`` for that day, so the register feeds the pupil's delivery log."""

    group = models.ForeignKey(InterventionGroup, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField()
    status = models.CharField(max_length=9, choices=SessionStatus.choices)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "on"], name="one_register_per_group_per_day"),
            models.CheckConstraint(
                condition=Q(status="held", cancelled_reason="") | (Q(status="cancelled") & ~Q(cancelled_reason="")),
                name="cancelled_sessions_have_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} on {self.on}: {self.get_status_display()}"


class GroupScore(Versioned):
    """A pupil's entry and exit scores on the group's measure (the catalogue item says which)."""

    stale_message = someone_else_changed("this group's scores")

    group = models.ForeignKey(InterventionGroup, on_delete=models.CASCADE, related_name="scores")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="+")
    entry_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    entry_on = models.DateField(null=True, blank=True)
    exit_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    exit_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "pupil"], name="one_score_row_per_pupil_per_group"),
            models.CheckConstraint(
                condition=Q(entry_on__isnull=True) | Q(exit_on__isnull=True) | Q(exit_on__gte=F("entry_on")),
                name="exit_measured_after_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} in {self.group}: {self.entry_score} → {self.exit_score}"


class SenBudget(Versioned):
    """A setting's notional SEN budget (element 2) for one academic year, to set provision against."""

    stale_message = someone_else_changed("these costs")

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField(help_text="The calendar year its academic year begins in")
    amount = models.DecimalField(
        "notional SEN budget (£)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["setting", "year_starting"], name="one_sen_budget_per_year")]

    def __str__(self) -> str:
        return f"{self.setting} {self.year_starting}/{(self.year_starting + 1) % 100:02d}: £{self.amount}"


class HalfTerm(models.TextChoices):
    """The six blocks of an English school year, in order; the holidays are the days between them."""

    AUTUMN_1 = "autumn_1", "Autumn 1"
    AUTUMN_2 = "autumn_2", "Autumn 2"
    SPRING_1 = "spring_1", "Spring 1"
    SPRING_2 = "spring_2", "Spring 2"
    SUMMER_1 = "summer_1", "Summer 1"
    SUMMER_2 = "summer_2", "Summer 2"


class TermDates(Versioned):
    """An LA's school term dates for one academic year (1 September to 31 August), which costs count
    teaching weeks by: its six half terms (``blocks``), each with its first and last day."""

    stale_message = someone_else_changed("these term dates")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField(help_text="The calendar year its academic year begins in")

    class Meta:
        verbose_name_plural = "term dates"
        ordering = ["local_authority", "year_starting"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "year_starting"], name="one_set_of_term_dates_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} term dates {self.year_starting}/{(self.year_starting + 1) % 100:02d}"


class TermBlock(models.Model):
    """One half term: the weekdays from its first to its last day are teaching days."""

    term_dates = models.ForeignKey(TermDates, on_delete=models.CASCADE, related_name="blocks")
    half_term = models.CharField(max_length=8, choices=HalfTerm.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["term_dates", "half_term"], name="one_block_per_half_term"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="term_block_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_half_term_display()}: {self.starts_on} to {self.ends_on}"


class GroupImpact(models.Model):
    """A group's impact figures, worked out ahead (``impact_summaries.py``): the tally of its pupils'
    results (``impact.Tally``) that the LA's impact page pools, so that the page reads one row a
    group instead of every register, delivery record, score and cost behind it.

    Anything the figures depend on marks the row ``stale`` in the same transaction as the change
    (``impact_receivers.py``), adding 1 to ``generation``; it is worked out again after the change
    commits, and written only if ``generation`` is still what was read before the reading began, so
    a later change is never overwritten by older figures. A page that meets a stale or missing row
    works the group out itself."""

    group = models.OneToOneField(InterventionGroup, primary_key=True, on_delete=models.CASCADE, related_name="impact")
    stale = models.BooleanField(default=True)
    generation = models.PositiveIntegerField(default=0)  # changes marked so far
    computed_at = models.DateTimeField(null=True, blank=True)
    pupils = models.PositiveIntegerField(default=0)
    no_entry = models.PositiveIntegerField(default=0)
    no_exit = models.PositiveIntegerField(default=0)
    due = models.PositiveIntegerField(default=0)  # sessions due, all pupils together
    attended = models.PositiveIntegerField(default=0)
    # [[entry, exit, days from the entry date to the exit date or null], ...]: each pupil with both
    # scores, in the order the figures add them (the pupils' names, as the group page lists them).
    scored = models.JSONField(default=list)
    cost_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    cost_unknown = models.PositiveIntegerField(default=0)
    cost_missing = models.JSONField(default=list)  # why some cost is not known, in words
    reviewed = models.PositiveIntegerField(default=0)  # linked outcomes reviewed
    achieved = models.PositiveIntegerField(default=0)
    unreviewed = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Impact of group {self.group_id}{' (stale)' if self.stale else ''}"


class ImpactBlock(models.Model):
    """One shared intervention's lines of the LA's impact page for one term, worked out ahead
    (``impact_la.py``): a line for each setting that ran it in the term, its row of figures rendered
    (the ratio gain cell marked, for a table on an age-equivalent measure), the bars of the chart
    drawn (``impact_charts.ChartBlock``), and the tally of all its runs in the term
    (``impact.Tally``), which the page's "all settings together" adds up for the terms chosen.

    ``stamp`` names what the block was worked out from: its groups' rows (``GroupImpact``) as they
    were saved, their measures, the settings' names, and how rows are written. The page works the
    stamp out from the groups as they are now and uses the block only if the stamps agree: a block
    is never out of date, only (now and then) worked out again."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="+")
    shared_item = models.ForeignKey(CatalogueItem, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()  # the calendar year the academic year starts in
    season = models.PositiveSmallIntegerField()  # 0 autumn, 1 spring, 2 summer (impact.Term.season_index)
    stamp = models.CharField(max_length=32)
    lines = models.PositiveIntegerField(default=0)
    rows = models.TextField(blank=True)
    labels = models.TextField(blank=True)  # the chart's labels and figures (ChartBlock.labels)
    bars = models.TextField(blank=True)  # its bars, in units of the measure (ChartBlock.bars)
    description = models.TextField(blank=True)
    low = models.FloatField(null=True, blank=True)  # the least and greatest mean change of its lines
    high = models.FloatField(null=True, blank=True)
    measures = models.JSONField(default=list)  # its lines' measures: [name, unit, kind, higher is better] or null
    tally = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shared_item", "year", "season"], name="one_impact_block_each")]
        indexes = [models.Index(fields=["local_authority", "year", "season"])]

    def __str__(self) -> str:
        return f"Impact of item {self.shared_item_id} in {self.year} term {self.season}"
