"""The platform's administration pages: local authorities, settings and memberships.

Platform admins set up LAs and settings here. A new LA's first LA admin is invited from the
Invitations page, which sends the link through the same service as everywhere else.
Membership changes made here are written to the audit trail like any other.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.organisations import services
from graduated.organisations.models import (
    LA_ROLES,
    SETTING_ROLES,
    Invitation,
    LocalAuthority,
    Membership,
    Setting,
)


def _platform_actor(request: HttpRequest) -> Actor:
    user = request.user if request.user.is_authenticated else None
    return Actor(user=user, role="platform_admin")


class SettingInline(admin.TabularInline[Setting, LocalAuthority]):
    model = Setting
    fields = ["name", "urn", "phase", "statutory_low_age", "statutory_high_age"]
    extra = 0
    show_change_link = True


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin[LocalAuthority]):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [SettingInline]


@admin.register(Setting)
class SettingAdmin(admin.ModelAdmin[Setting]):
    list_display = ["name", "urn", "phase", "local_authority"]
    list_filter = ["phase", "local_authority"]
    search_fields = ["name", "urn"]
    list_select_related = ["local_authority"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "setting", "local_authority", "created_at"]
    list_filter = ["role", "local_authority"]
    search_fields = ["user__email", "user__full_name", "setting__name", "local_authority__name"]
    list_select_related = ["user", "setting", "local_authority"]
    autocomplete_fields = ["user", "setting", "local_authority"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            _platform_actor(request),
            AuditAction.CHANGE if change else AuditAction.CREATE,
            obj=obj,
            description=(f"Platform admin set {obj.user} as {obj.get_role_display()} at {obj.organisation}"),
            changed_fields=form.changed_data,
        )

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        record(
            _platform_actor(request),
            AuditAction.DELETE,
            obj=obj,
            description=f"Platform admin removed {obj.user} from {obj.organisation}",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "setting", "local_authority"):
            self.delete_model(request, membership)


class InvitationAddForm(forms.ModelForm[Invitation]):
    class Meta:
        model = Invitation
        fields = ["email", "role", "setting", "local_authority"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        setting, la = cleaned.get("setting"), cleaned.get("local_authority")
        if bool(setting) == bool(la):
            raise forms.ValidationError("Choose either a setting or a local authority, not both.")
        organisation = setting or la
        assert organisation is not None
        role = cleaned.get("role")
        allowed = SETTING_ROLES if setting else LA_ROLES
        if role and role not in allowed:
            self.add_error("role", "Choose a role that belongs to a setting or to an LA, to match.")
        email = cleaned.get("email")
        members = Membership.objects.in_organisation(organisation)
        if email and members.filter(user__email__iexact=email).exists():
            self.add_error("email", f"{email} is already a member of {organisation}.")
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    """Invitations are sent, not edited: adding one sends its link; the rest is read-only."""

    list_display = [
        "email", "role", "setting", "local_authority", "expires_at", "accepted_at", "revoked_at",
    ]  # fmt: skip
    list_filter = ["role"]
    search_fields = ["email"]
    list_select_related = ["setting", "local_authority"]
    actions = ["revoke"]

    def get_form(
        self,
        request: HttpRequest,
        obj: Invitation | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        fields = ("email", "role", "setting", "local_authority")
        if obj is None:
            return fields
        return (*fields, "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            return
        invitation = services.invite_member(
            actor=_platform_actor(request),
            organisation=obj.organisation,
            email=obj.email,
            role=obj.role,
        )
        # The admin goes on to log and link to ``obj``: make it the row the service stored.
        obj.pk = invitation.pk
        obj.token_hash = invitation.token_hash
        obj.expires_at = invitation.expires_at
        obj._state.adding = False

    @admin.action(description="Cancel the selected invitations")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        cancelled = sum(
            services.revoke_invitation(actor=_platform_actor(request), invitation=invitation) for invitation in queryset
        )
        self.message_user(request, f"{cancelled} invitation(s) cancelled.")
