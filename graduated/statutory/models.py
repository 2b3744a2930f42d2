"""Person-centred planning and the My Support Plan.

A person-centred planning (PCP) meeting is a ``meetings.Meeting`` of the kind "person-centred
planning", so that it counts, lists and follows up like every other meeting (attendees, actions,
"met the parents"). What only a PCP meeting has — the person-centred headings and who sent views
without coming — sits beside it in ``PersonCentredRecord``.

A pupil has at most one My Support Plan, kept as a series of dated versions, each a full copy of
every section: a new version is never an edit of an old one, so the history shows what was agreed
at each review. The LA's template varies; these sections are those common to them (domain.md §6).
"""

from dataclasses import dataclass, fields
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned
from graduated.meetings.models import Meeting
from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil
from graduated.statutory.clock import months_after

# How long after a plan is agreed it is next reviewed. LAs review My Support Plans "about three
# times a year"; the exact cycle is the LA's rule pack's (plan_services asks it), and this is the
# usual four months for an LA whose pack does not say.
REVIEW_INTERVAL_MONTHS = 4
# The review-due list shows plans whose review falls within this many days, and overdue ones.
REVIEW_DUE_SOON_DAYS = 14


def default_next_review(agreed_on: date, months: int = REVIEW_INTERVAL_MONTHS) -> date:
    return months_after(agreed_on, months)


class PersonCentredRecord(models.Model):
    """The person-centred headings of a PCP meeting, and who sent views instead of coming."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="person_centred_record")
    whats_working = models.TextField("what is working")
    whats_not_working = models.TextField("what is not working")
    important_to = models.TextField("what is important to the pupil")
    important_for = models.TextField("what is important for the pupil")
    # Attendees are those who came; people asked for their views who could not come are named here.
    views_sent_by = models.TextField("who sent their views but did not come", blank=True)

    def __str__(self) -> str:
        return f"Person-centred record of {self.meeting}"

    @property
    def headings(self) -> list[tuple[str, str]]:
        return [
            ("What is working", self.whats_working),
            ("What is not working", self.whats_not_working),
            ("What is important to me", self.important_to),
            ("What is important for me", self.important_for),
        ]


STALE_PLAN = (
    "Someone else saved a new version of this plan while you were writing. Their version is shown "
    "first; your text is in the form below and has not been saved yet. Check both, combine them if "
    "needed, and save again."
)


class MySupportPlan(Versioned):
    """The pupil's plan. ``version`` is the number of the current version (0 before the first).

    A save names the version its form was opened on and is refused when ``version`` has moved on.
    """

    stale_message = STALE_PLAN

    pupil = models.OneToOneField(Pupil, on_delete=models.CASCADE, related_name="my_support_plan")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"My Support Plan of {self.pupil}"


class LookedAfter(models.TextChoices):
    NO = "no", "Not looked after"
    LOOKED_AFTER = "looked_after", "Looked after by a local authority"
    PREVIOUSLY = (
        "previously",
        "Previously looked after (adopted, or under a special guardianship or child arrangements order)",
    )


# The plan's parts, in the template's order: (heading, [(field, label)]). Outcomes and the looked-after
# status are not free text and are shown in their own places.
PLAN_PARTS: list[tuple[str, list[tuple[str, str]]]] = [
    ("About me", [("views", "My views"), ("interests", "My interests"), ("hopes", "My hopes for the future")]),
    (
        "My family",
        [
            ("important_to_and_for_me", "What is important to me and for me"),
            ("family_history", "My history"),
            ("people_who_matter", "People who matter to me"),
        ],
    ),
    (
        "My special educational needs",
        [
            ("needs", "My needs"),
            ("attainment_and_progress", "Attainment and progress"),
            ("provision", "The support I get"),
            ("learning_history", "My learning history"),
        ],
    ),
    (
        "My health",
        [("health_needs", "Health needs"), ("health_provision", "Health provision")],
    ),
    (
        "My social care",
        [("social_care_needs", "Social care needs"), ("social_care_provision", "Social care provision")],
    ),
    ("Supporting advice", [("supporting_advice", "Advice from professionals and services")]),
    (
        "Review contributions",
        [
            ("pupil_contribution", "From me"),
            ("parent_contribution", "From my parents or carers"),
            ("staff_contribution", "From staff"),
            ("professional_contribution", "From professionals"),
        ],
    ),
]
TEXT_FIELDS = tuple(name for _, part in PLAN_PARTS for name, _ in part)
TEXT_LABELS = {name: label for _, part in PLAN_PARTS for name, label in part}
# A plan says at least who the pupil is and what they need; every other part may be empty at first.
REQUIRED_TEXT = ("views", "needs")


def _text(name: str) -> models.TextField[str, str]:
    return models.TextField(TEXT_LABELS[name], blank=name not in REQUIRED_TEXT)


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    def of_pupil(self, pupil: Pupil) -> "PlanVersionQuerySet":
        return self.filter(plan__pupil=pupil)

    def current(self) -> "PlanVersionQuerySet":
        """Each plan's latest version only."""
        return self.filter(number=F("plan__version"))

    def review_due_by(self, day: date) -> "PlanVersionQuerySet":
        """Current versions whose next review falls on or before ``day`` (overdue ones included)."""
        return self.current().filter(next_review_on__lte=day)


class PlanVersion(models.Model):
    """One agreed version of a My Support Plan: never changed once written."""

    plan = models.ForeignKey(MySupportPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # The setting that wrote this version: every pupil-owned table carries one (docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    views = _text("views")
    interests = _text("interests")
    hopes = _text("hopes")
    important_to_and_for_me = _text("important_to_and_for_me")
    family_history = _text("family_history")
    people_who_matter = _text("people_who_matter")
    looked_after = models.CharField("looked-after status", max_length=16, choices=LookedAfter.choices)
    needs = _text("needs")
    attainment_and_progress = _text("attainment_and_progress")
    provision = _text("provision")
    learning_history = _text("learning_history")
    health_needs = _text("health_needs")
    health_provision = _text("health_provision")
    social_care_needs = _text("social_care_needs")
    social_care_provision = _text("social_care_provision")
    supporting_advice = _text("supporting_advice")
    pupil_contribution = _text("pupil_contribution")
    parent_contribution = _text("parent_contribution")
    staff_contribution = _text("staff_contribution")
    professional_contribution = _text("professional_contribution")
    # The PCP meeting at which this version was agreed, if it was agreed at one.
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreed_on = models.DateField("date agreed")
    next_review_on = models.DateField("date of the next review")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[PlanVersionQuerySet] = PlanVersionQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-number"]
        constraints = [
            # The backstop for two saves at once: only one of them can take the next number.
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="plan_version_from_one"),
            models.CheckConstraint(condition=Q(next_review_on__gt=F("agreed_on")), name="plan_review_after_agreed"),
        ]
        indexes = [models.Index(fields=["next_review_on"])]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan}, agreed {self.agreed_on:%d/%m/%Y}"

    @property
    def parts(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(label, text)]) for each part of the plan, in the template's order."""
        return [(heading, [(label, getattr(self, name)) for name, label in part]) for heading, part in PLAN_PARTS]

    def content(self, outcomes: "list[AgreedOutcome] | None" = None) -> "PlanContent":
        rows = outcomes if outcomes is not None else list(self.outcomes.all())
        return PlanContent(
            texts=tuple((name, getattr(self, name)) for name in TEXT_FIELDS),
            looked_after=self.looked_after,
            outcomes=tuple(OutcomeData(o.description, o.who, o.by_when) for o in rows),
            meeting_id=self.meeting_id,
        )


class AgreedOutcome(models.Model):
    """An outcome agreed at the meeting: what will be achieved, who will help, by when."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    description = models.TextField("what I will achieve")
    who = models.CharField("who will help", max_length=300)
    by_when = models.DateField("by when")

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="one_plan_outcome_per_position")]

    def __str__(self) -> str:
        return self.description[:80]


@dataclass(frozen=True)
class OutcomeData:
    description: str
    who: str
    by_when: date


@dataclass(frozen=True)
class PlanContent:
    """What a person writes in a version. Two saves with equal content are the same version."""

    texts: tuple[tuple[str, str], ...]  # (field, text) for every name in TEXT_FIELDS
    looked_after: str
    outcomes: tuple[OutcomeData, ...] = ()
    meeting_id: int | None = None

    @classmethod
    def build(
        cls, *, looked_after: str, outcomes: tuple[OutcomeData, ...] = (), meeting_id: int | None = None, **texts: str
    ) -> "PlanContent":
        unknown = set(texts) - set(TEXT_FIELDS)
        if unknown:
            raise ValueError(f"Not a section of the plan: {sorted(unknown)}")
        return cls(
            texts=tuple((name, texts.get(name, "")) for name in TEXT_FIELDS),
            looked_after=looked_after,
            outcomes=outcomes,
            meeting_id=meeting_id,
        )

    @property
    def text(self) -> dict[str, str]:
        return dict(self.texts)

    def changed_fields(self, other: "PlanContent | None") -> list[str]:
        mine = {**self.text, **{f.name: getattr(self, f.name) for f in fields(self) if f.name != "texts"}}
        if other is None:
            return list(mine)
        theirs = {**other.text, **{f.name: getattr(other, f.name) for f in fields(other) if f.name != "texts"}}
        return [name for name in mine if mine[name] != theirs[name]]
