"""The LA dashboard's own data: each setting's area, and small summaries of the tables too big to
count on every page view (delivery records, meetings, costed provision), plus the figures at the
end of each term.

Every summary is worked out again from the records for its key (a setting and an academic year, a
pupil), never added to: a change anywhere just asks for its keys to be worked out again
(``summaries.py``; ``receivers.py`` says when), and ``graduated manage rebuild_oversight`` works
them all out. So a summary that missed a change is put right by the next change to the same key,
or by the rebuild.
"""

from django.db import models
from django.db.models import Q

from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil


class SettingArea(models.Model):
    """The area (locality) of the LA a setting is in, for the dashboard's filter. A setting with
    no row, or an empty area, has none recorded."""

    setting = models.OneToOneField(Setting, on_delete=models.CASCADE, primary_key=True, related_name="oversight_area")
    area = models.CharField("area (locality)", max_length=80, blank=True)

    class Meta:
        ordering = ["area", "setting"]

    def __str__(self) -> str:
        return f"{self.setting}: {self.area or 'no area'}"


class Season(models.IntegerChoices):
    """The terms of provision/impact.py: autumn 1 September–31 December, spring 1 January–31 March,
    summer 1 April–31 August."""

    AUTUMN = 0, "Autumn"
    SPRING = 1, "Spring"
    SUMMER = 2, "Summer"


class DeliveryTally(models.Model):
    """Sessions recorded delivered and missed in one setting's provision in one term, for each of
    the LA's shared interventions (``shared_item``) and for everything else (None)."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    season = models.PositiveSmallIntegerField(choices=Season.choices)
    shared_item = models.ForeignKey(
        "provision.CatalogueItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    delivered = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["setting", "year_starting", "season", "shared_item"],
                condition=Q(shared_item__isnull=False),
                name="one_delivery_tally_per_shared_item",
            ),
            models.UniqueConstraint(
                fields=["setting", "year_starting", "season"],
                condition=Q(shared_item__isnull=True),
                name="one_delivery_tally_for_other_provision",
            ),
        ]
        indexes = [models.Index(fields=["year_starting", "setting"])]

    def __str__(self) -> str:
        return f"{self.setting_id} {self.year_starting}/{self.season}: {self.delivered} delivered"


class CostSummary(models.Model):
    """A setting's costed provision map for one academic year, in totals (provision/provision_maps.py)."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    pupils = models.PositiveIntegerField(default=0)
    provisions = models.PositiveIntegerField(default=0)
    not_costed = models.PositiveIntegerField(default=0)  # lines that could not be priced
    over_element_2 = models.PositiveIntegerField(default=0)  # pupils whose provision passes £6,000
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["setting", "year_starting"], name="one_cost_summary_per_year")]
        indexes = [models.Index(fields=["year_starting", "setting"])]

    def __str__(self) -> str:
        return f"{self.setting_id} {self.year_starting}: £{self.total}"


class ItemCost(models.Model):
    """The part of a setting's costed provision for one year that runs one of the LA's shared
    interventions (the item itself or the setting's adopted copy)."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    shared_item = models.ForeignKey("provision.CatalogueItem", on_delete=models.CASCADE, related_name="+")
    pupils = models.PositiveIntegerField(default=0)
    provisions = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "year_starting", "shared_item"], name="one_item_cost_per_year")
        ]
        indexes = [models.Index(fields=["year_starting", "setting"])]

    def __str__(self) -> str:
        return f"{self.setting_id} {self.year_starting} item {self.shared_item_id}: £{self.cost}"


class ParentMeetings(models.Model):
    """How many of a pupil's meetings in one academic year had a parent or carer there (the
    meetings app's rule: graduated/meetings/selectors.py). No row: none."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    meetings = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pupil", "year_starting"], name="one_parent_meeting_count_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} {self.year_starting}: {self.meetings}"


class TermSnapshot(models.Model):
    """A setting's figures on the last day of a term, worked out from the dated records: pupils on
    roll (begun and not ended), SEN support and EHC plans (the status periods covering the day), and
    agreed plans whose review date had passed without a review."""

    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    season = models.PositiveSmallIntegerField(choices=Season.choices)
    taken_on = models.DateField("the term's last day")
    pupils = models.PositiveIntegerField(default=0)
    sen_support = models.PositiveIntegerField(default=0)
    ehc_plans = models.PositiveIntegerField(default=0)
    reviews_overdue = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["setting", "year_starting", "season"], name="one_snapshot_per_term")
        ]
        indexes = [models.Index(fields=["year_starting", "season", "setting"])]

    def __str__(self) -> str:
        return f"{self.setting_id} {self.year_starting}/{self.season} on {self.taken_on}"


class RegisterLine(models.Model):
    """A pupil at one setting they are on roll at, as the dashboard counts them, worked out ahead
    (``register_lines.py``): on the register there (K or E), or with a cycle in progress there.

    Kept whole, not added to: a pupil's lines are worked out again from the records whenever an
    audit event names a change to them. What passes with time alone is kept as a date and compared
    when read: the end of the enrolment, the review date, the academic year of the meetings count.
    """

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    setting = models.ForeignKey(Setting, on_delete=models.CASCADE, related_name="+")
    on_roll_until = models.DateField(null=True)  # the last current enrolment's end there; None: no end
    status = models.CharField(max_length=1, blank=True)  # K or E; blank: not on the register
    primary_need = models.CharField(max_length=4, blank=True)
    born = models.CharField(max_length=7)  # the year and month of birth, "2016-03"
    year_group_override = models.SmallIntegerField(null=True)
    planning = models.BooleanField(default=False)  # a cycle not closed, at this setting
    meetings = models.PositiveSmallIntegerField(default=0)  # with a parent there, in meetings_year
    meetings_year = models.PositiveSmallIntegerField()
    # The pupil's cycle in progress at this setting (assess, plan or do), if any, for APDR health.
    cycle_status = models.CharField(max_length=16, blank=True)
    review_date = models.DateField(null=True)
    has_outcome = models.BooleanField(default=False)
    unread = models.BooleanField(default=False)  # a linked member of staff has not acknowledged it

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pupil", "setting"], name="one_register_line_each")]
        indexes = [models.Index(fields=["setting", "on_roll_until"])]

    def __str__(self) -> str:
        return f"{self.pupil_id} at {self.setting_id}: {self.status or '-'}"


class LineSync(models.Model):
    """When the register lines were last brought up to date from the audit trail: one row."""

    synced_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Register lines synced at {self.synced_at}"
