"""A request for an EHC needs assessment as a school or setting prepares it (domain.md §6, §7).

Almost everything the local authority receives is read from the pupil's record when the request is
shown or sent (``content.py``): the child, the needs, the cycles, the My Support Plan, the referrals,
the costed provision, the reports. Only what the record does not hold is typed here, once: who has
parental responsibility, attendance, why the support needed goes beyond ordinarily available
provision, the views given for this request and the consent to make it.

Submitting freezes the request: the evidence bundle as sent is stored, and the LA's case
(``ehc.EHCRequest``) is made through ``ehc.services.receive_request``, so the 6-week clock starts.
"""

import uuid

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
        ]

    def __str__(self) -> str:
        state = f"submitted {self.submitted_on:%-d %B %Y}" if self.submitted_on else "in preparation"
        return f"Request for an EHC needs assessment of {self.pupil} ({state})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_on is not None
