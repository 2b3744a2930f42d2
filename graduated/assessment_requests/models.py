"""A request for an EHC needs assessment as a school or setting prepares it (domain.md §6, §7).

Almost everything the local authority receives is read from the pupil's record when the request is
shown or sent (``content.py``): the child, the needs, the cycles, the My Support Plan, the referrals,
the costed provision, the reports. Only what the record does not hold is typed here, once: who has
parental responsibility, attendance, why the support needed goes beyond ordinarily available
provision, the views given for this request and the consent to make it.

Submitting freezes the request: what it holds is kept as it was at that moment (``SentContent``),
and the LA's case (``ehc.EHCRequest``) is made through ``ehc.services.receive_request``, so the 6-week
clock starts. The evidence bundle PDF is then made from what was kept, in the background
(``tasks.build_bundle``), and stored; ``bundle_status`` says how far that has got.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from graduated.documents.models import document_storage
from graduated.ehc.models import EHCRequest
from graduated.lib.versioning import Versioned
from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil


def _bundle_name(instance: "PreparedRequest", filename: str) -> str:
    # Like uploaded documents: the stored name says nothing about the pupil.
    return f"ehc-requests/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class BundleStatus(models.TextChoices):
    """How far the evidence bundle of a sent request has got; blank while the request is prepared."""

    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


# A build still "being prepared" after this long has stopped (the worker is down, or the task was
# lost): its page stops refreshing itself and the SENCO may ask for it again.
BUNDLE_STUCK_AFTER = timedelta(minutes=10)


class ConsentBy(models.TextChoices):
    PARENT = "parent", "A parent or carer with parental responsibility"
    YOUNG_PERSON = "young_person", "The young person (aged 16 or over)"


STALE_REQUEST = (
    "Someone else saved this request while you were editing it. What is saved now is shown; your changes "
    "are in the form and have not been saved. Check them and save again."
)


class PreparedRequest(Versioned):
    """A setting's request for one pupil: a draft until submitted, then a record of what was sent."""

    stale_message = STALE_REQUEST

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="prepared_ehc_requests")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    parental_responsibility = models.TextField(
        "people with parental responsibility",
        blank=True,
        help_text="For each person: name, relationship to the child, address, telephone and e-mail.",
    )
    attendance_this_year = models.DecimalField(
        "attendance this school year (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    attendance_last_year = models.DecimalField(
        "attendance last school year (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    child_views = models.TextField("the child's or young person's views", blank=True)
    parent_views = models.TextField("the parents' views", blank=True)
    beyond_ordinarily_available = models.TextField(
        "support needed beyond ordinarily available provision",
        blank=True,
        help_text="What the child needs that the school cannot provide from its own resources, and why.",
    )
    consent_by = models.CharField("consent given by", max_length=16, choices=ConsentBy.choices, blank=True)
    consent_name = models.CharField("name of the person who consented", max_length=200, blank=True)
    consent_on = models.DateField("date consent was given", null=True, blank=True)
    consent_to_share = models.BooleanField(
        "agreed that the local authority may share this information with the professionals it asks for advice",
        default=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The LA's case that the submission started.
    case = models.OneToOneField(
        EHCRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="prepared_request"
    )
    # The evidence bundle exactly as sent; never served by URL, only through the access-checked views.
    bundle = models.FileField(storage=document_storage, upload_to=_bundle_name, max_length=200, blank=True)
    bundle_status = models.CharField(max_length=16, choices=BundleStatus.choices, blank=True)
    bundle_status_at = models.DateTimeField("when the bundle's status last changed", null=True, blank=True)
    # When a worker took up the current attempt (null: it is waiting for one).
    bundle_started_at = models.DateTimeField(null=True, blank=True)
    # Each build asked for (the first on sending, one per "try again"): a failure reported by an
    # older attempt than the current one is not news.
    bundle_attempts = models.PositiveSmallIntegerField(default=0)
    bundle_error = models.TextField("why the bundle could not be made", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One request in preparation per pupil and setting: two SENCOs start the same one, not two.
            models.UniqueConstraint(
                fields=["pupil", "setting"], condition=Q(submitted_on__isnull=True), name="one_draft_request_per_pupil"
            ),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True) | Q(case__isnull=False), name="submitted_request_has_case"
            ),
            # A sent request's bundle always has a status, a draft's never; "ready" means the file is there.
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True, bundle_status="")
                | (Q(submitted_on__isnull=False) & ~Q(bundle_status="")),
                name="sent_request_has_bundle_status",
            ),
            models.CheckConstraint(
                condition=~Q(bundle_status=BundleStatus.READY) | ~Q(bundle=""), name="ready_bundle_has_file"
            ),
        ]

    def __str__(self) -> str:
        state = f"submitted {self.submitted_on:%-d %B %Y}" if self.submitted_on else "in preparation"
        return f"Request for an EHC needs assessment of {self.pupil} ({state})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None

    @property
    def bundle_ready(self) -> bool:
        return self.bundle_status == BundleStatus.READY

    @property
    def bundle_failed(self) -> bool:
        return self.bundle_status == BundleStatus.FAILED

    @property
    def bundle_building(self) -> bool:
        return self.bundle_status == BundleStatus.BUILDING and not self.bundle_stuck

    @property
    def bundle_stuck(self) -> bool:
        """Still "being prepared" long after it was asked for: nothing is working on it any more."""
        return (
            self.bundle_status == BundleStatus.BUILDING
            and self.bundle_status_at is not None
            and timezone.now() - self.bundle_status_at > BUNDLE_STUCK_AFTER
        )

    @property
    def bundle_can_be_made_again(self) -> bool:
        return self.bundle_failed or self.bundle_stuck


class SentContent(models.Model):
    """What a request held at the moment it was sent, from which its evidence bundle is made.

    The bundle is made in the background, seconds (or, after a failure, days) later; the record goes
    on changing meanwhile. So the request's content, drawn from the record inside the sending
    transaction, is kept here as data (the ``Outline``, ``content.py``), with the reports to append
    named by document (the files themselves do not change once uploaded). The Word form of a sent
    request is drawn from it too, so the two never disagree.
    """

    prepared = models.OneToOneField(PreparedRequest, on_delete=models.CASCADE, related_name="sent_content")
    outline = models.JSONField()
    # [{"document": id, "title": "Educational psychology report (3 March 2026)"}, ...], in order.
    appendices = models.JSONField(default=list)
    taken_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"What was sent with request {self.prepared_id}"
