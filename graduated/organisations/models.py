"""Local authorities, the settings in them, and the roles people hold there."""

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

if TYPE_CHECKING:
    from graduated.accounts.models import User


class LocalAuthority(models.Model):
    name = models.CharField(max_length=120, unique=True)
    code = models.CharField(
        "DfE LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the LA code as three digits, like 860.")],
    )

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Phase(models.TextChoices):
    EARLY_YEARS = "early_years", "Early years"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    SIXTH_FORM = "sixth_form", "Sixth form"
    FURTHER_EDUCATION = "further_education", "Further education college"


class Setting(models.Model):
    """An early years setting, school or college."""

    name = models.CharField(max_length=160)
    urn = models.CharField(
        "URN",
        max_length=8,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{6,8}$", "Enter the URN as 6 to 8 digits.")],
    )
    phase = models.CharField(max_length=24, choices=Phase.choices)
    # The age range as Get Information about Schools (GIAS) publishes it: "statutory low age" is the age of the
    # youngest pupils at the start of the lowest year, "statutory high age" the age the oldest reach in the
    # highest (4 and 11 for a primary school, 11 and 16 for a secondary without a sixth form). Empty when not
    # known: then the phase's usual range is assumed (graduated/ehc/transfers.py).
    statutory_low_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(99)],
        help_text="The youngest pupils' age at the start of the lowest year, as GIAS gives it (4 for Reception).",
    )  # fmt: skip
    statutory_high_age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(99)],
        help_text="The age the oldest pupils reach in the highest year, as GIAS gives it (11 for Year 6).",
    )  # fmt: skip
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="settings")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(statutory_low_age__isnull=True)
                    | Q(statutory_high_age__isnull=True)
                    | Q(statutory_low_age__lte=F("statutory_high_age"))
                ),
                name="setting_age_range_in_order",
                violation_error_message="The statutory low age cannot be above the statutory high age.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    TEACHER = "teacher", "Teacher"
    TEACHING_ASSISTANT = "teaching_assistant", "Teaching assistant"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    LA_OFFICER = "la_officer", "LA officer"
    LA_ADMIN = "la_admin", "LA admin"
    # An API service token's account (graduated/api/services.py): never invited, never a person.
    SERVICE = "service", "Service token"

    @classmethod
    def setting_roles(cls) -> list["Role"]:
        return [cls.SENCO, cls.TEACHER, cls.TEACHING_ASSISTANT, cls.SENIOR_LEADER]

    @classmethod
    def la_roles(cls) -> list["Role"]:
        return [cls.LA_OFFICER, cls.LA_ADMIN]


SETTING_ROLES = [r.value for r in Role.setting_roles()]
LA_ROLES = [r.value for r in Role.la_roles()]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_organisation(self, organisation: "Setting | LocalAuthority") -> "MembershipQuerySet":
        if isinstance(organisation, Setting):
            return self.filter(setting=organisation)
        return self.filter(local_authority=organisation)

    def people(self) -> "MembershipQuerySet":
        """Without API service tokens' accounts, which are managed on the tokens page."""
        return self.exclude(user__is_service=True)


class Membership(models.Model):
    """One role held by one person in one setting or one LA.

    Parents and outside professionals do not hold memberships: they will reach named pupils
    through links of their own (a parent's link to a child, a professional's time-limited grant),
    which the access policy adds to what memberships give.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.choices)
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=SETTING_ROLES, setting__isnull=False, local_authority__isnull=True)
                    | Q(role__in=LA_ROLES, setting__isnull=True, local_authority__isnull=False)
                    # A service token's account holds its one role in a setting or an LA.
                    | (Q(role=Role.SERVICE) & (Q(setting__isnull=True) ^ Q(local_authority__isnull=True)))
                ),
                name="membership_role_matches_organisation",
            ),
            models.UniqueConstraint(fields=["user", "setting"], name="one_role_per_setting"),
            models.UniqueConstraint(fields=["user", "local_authority"], name="one_role_per_local_authority"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    @property
    def organisation(self) -> "Setting | LocalAuthority":
        organisation = self.setting or self.local_authority
        assert organisation is not None
        return organisation


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """A single-use link, sent by e-mail, that gives its holder a role once accepted.

    Only a hash of the token is stored, so a copy of the database cannot be used to join.
    """

    email = models.EmailField("e-mail address")
    role = models.CharField(max_length=24, choices=Role.choices)
    setting = models.ForeignKey(Setting, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=SETTING_ROLES, setting__isnull=False, local_authority__isnull=True)
                    | Q(role__in=LA_ROLES, setting__isnull=True, local_authority__isnull=False)
                    # A service token's account holds its one role in a setting or an LA.
                    | (Q(role=Role.SERVICE) & (Q(setting__isnull=True) ^ Q(local_authority__isnull=True)))
                ),
                name="invitation_role_matches_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def organisation(self) -> "Setting | LocalAuthority":
        organisation = self.setting or self.local_authority
        assert organisation is not None
        return organisation

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def accept(self, user: "User") -> Membership:
        """Give ``user`` the invited role (replacing any role they held there) and spend the link."""
        membership, _ = Membership.objects.update_or_create(
            user=user,
            setting=self.setting,
            local_authority=self.local_authority,
            defaults={"role": self.role},
        )
        self.accepted_at = timezone.now()
        self.save(update_fields=["accepted_at"])
        return membership
