"""Local services and referrals (domain.md §5).

A **Service** is one entry of a local authority's services directory (its Local Offer of outside
help): what it offers, who may refer, its criteria, the phases it serves and how to reach it.

A **Referral** is one pupil's referral by their setting to one service: the reason, the consent
and its date, the dates referred, accepted, seen and report received, and the advice given. Its
status is derived from those dates, never stored, so that it cannot disagree with them.

A **Recommendation** is one piece of the service's advice, tracked into the plan: put in place
(linked to the support.Provision that implements it) or not (with the reason).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.models import Pupil

# From their 16th birthday a young person gives consent for themselves (domain.md §1, §6).
AGE_OF_OWN_CONSENT = 16


class ServiceKind(models.TextChoices):
    SPECIALIST_TEACHING = "specialist_teaching", "Specialist teaching"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    SPEECH_AND_LANGUAGE = "speech_and_language", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    SCHOOL_HEALTH = "school_health", "School health"
    PRU_OUTREACH = "pru_outreach", "Pupil referral unit outreach"
    SENDIASS = "sendiass", "SEND information, advice and support (SENDIASS)"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SOCIAL_CARE = "social_care", "Social care and early help"
    OTHER = "other", "Other"


class ServicePhase(models.TextChoices):
    """The phases a service works with; each is a boolean field ``serves_<value>`` on Service."""

    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    POST_16 = "post_16", "Post-16"


class Service(Versioned):
    stale_message = someone_else_changed("this service")

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="services")
    kind = models.CharField("type of service", max_length=24, choices=ServiceKind.choices)
    name = models.CharField(max_length=160)
    offer = models.TextField("what it offers")
    who_may_refer = models.TextField("who may refer")
    criteria = models.TextField("criteria for referral", blank=True)
    # Four booleans rather than a list, so that "serves secondary" is a plain filter on every database.
    serves_early_years = models.BooleanField(default=False)
    serves_primary = models.BooleanField(default=False)
    serves_secondary = models.BooleanField(default=False)
    serves_post_16 = models.BooleanField(default=False)
    email = models.EmailField("e-mail address", blank=True)
    phone = models.CharField("telephone", max_length=40, blank=True)
    website = models.URLField("web page", blank=True)
    address = models.TextField(blank=True)
    is_active = models.BooleanField("listed in the directory", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="one_service_name_per_la"),
            models.CheckConstraint(
                condition=Q(serves_early_years=True)
                | Q(serves_primary=True)
                | Q(serves_secondary=True)
                | Q(serves_post_16=True),
                name="service_serves_a_phase",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def phases(self) -> list[ServicePhase]:
        return [phase for phase in ServicePhase if getattr(self, f"serves_{phase.value}")]

    @property
    def phases_label(self) -> str:
        return ", ".join(phase.label for phase in self.phases)


class ConsentBy(models.TextChoices):
    NOT_YET = "not_yet", "Not given yet"
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "The young person (16 or over)"


class ReferralStatus(models.TextChoices):
    """Derived from the dates (``Referral.status``); never stored."""

    NOT_REFERRED = "not_referred", "Not referred yet"
    WAITING = "waiting", "Referred, waiting"
    ACCEPTED = "accepted", "Accepted, waiting to be seen"
    SEEN = "seen", "Seen, report awaited"
    REPORT_RECEIVED = "report_received", "Report received"


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


class Referral(Versioned):
    stale_message = someone_else_changed("this referral")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="referrals")
    # The setting that refers: every pupil-owned table carries one (see docs/scaling.md).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField("reason for the referral")
    consent_by = models.CharField(
        "consent given by", max_length=12, choices=ConsentBy.choices, default=ConsentBy.NOT_YET
    )
    consent_on = models.DateField("date consent was given", null=True, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    seen_on = models.DateField(null=True, blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    advice = models.TextField("advice given", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-created_at", "-id"]
        constraints = [
            # Consent has a date exactly when it has been given.
            models.CheckConstraint(
                condition=(Q(consent_by="not_yet") & Q(consent_on__isnull=True))
                | (~Q(consent_by="not_yet") & Q(consent_on__isnull=False)),
                name="referral_consent_has_a_date",
            ),
            # No referral without consent, given on or before the day of referral.
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True) | Q(consent_on__isnull=False, consent_on__lte=F("referred_on")),
                name="referral_consented_before_referred",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(referred_on__isnull=False, **{f"{name}__gte": F("referred_on")}),
                    name=f"referral_{name}_after_referred",
                )
                for name in ("accepted_on", "seen_on", "report_received_on")
            ),
        ]
        indexes = [models.Index(fields=["setting", "service"]), models.Index(fields=["pupil", "-referred_on"])]

    def __str__(self) -> str:
        return f"Referral of {self.pupil} to {self.service}"

    @property
    def status(self) -> ReferralStatus:
        if self.report_received_on:
            return ReferralStatus.REPORT_RECEIVED
        if self.seen_on:
            return ReferralStatus.SEEN
        if self.accepted_on:
            return ReferralStatus.ACCEPTED
        if self.referred_on:
            return ReferralStatus.WAITING
        return ReferralStatus.NOT_REFERRED

    @property
    def is_waiting(self) -> bool:
        """Referred and not yet seen: the wait is still running."""
        return self.referred_on is not None and self.seen_on is None

    def waiting_days(self, today: date | None = None) -> int | None:
        """Days from referral to being seen, or to today while still waiting; None before referral."""
        if self.referred_on is None:
            return None
        end = self.seen_on or today or timezone.localdate()
        return (end - self.referred_on).days


class RecommendationStatus(models.TextChoices):
    NOT_CONSIDERED = "not_considered", "Not yet considered"
    PUT_IN_PLACE = "put_in_place", "Put in place"
    NOT_PUT_IN_PLACE = "not_put_in_place", "Not put in place"


class Recommendation(Versioned):
    stale_message = someone_else_changed("this recommendation")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="recommendations")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("recommendation")
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.NOT_CONSIDERED
    )
    # The provision in the pupil's plan that implements it. Nullable: a deleted provision leaves
    # the decision standing, without its link.
    provision = models.ForeignKey(
        "support.Provision", null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations"
    )
    reason_not_in_place = models.TextField("why it was not put in place", blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="not_considered", decided_on__isnull=True, provision__isnull=True)
                | (~Q(status="not_considered") & Q(decided_on__isnull=False)),
                name="recommendation_decided_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(provision__isnull=True) | Q(status="put_in_place"),
                name="recommendation_provision_only_when_in_place",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_put_in_place") | ~Q(reason_not_in_place=""),
                name="recommendation_not_in_place_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]
