"""The people in a setting or LA (invite, change role, remove), and the LA's overview figures.

Every page finds its organisation through the access policy (404 for outsiders) and every
membership or invitation within that organisation only, so an id from elsewhere is also a 404.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission
from graduated.accounts.models import User
from graduated.lib.db_routing import from_replica
from graduated.organisations import selectors, services
from graduated.organisations.forms import ROLE_HINTS, InviteForm, RoleForm
from graduated.organisations.models import (
    Invitation,
    InvitationQuerySet,
    LocalAuthority,
    Membership,
    Setting,
)

Organisation = Setting | LocalAuthority


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every view here needs a signed-in person (LoginRequiredMiddleware)
    return user


def _organisation(request: HttpRequest, kind: str, organisation_id: int) -> access.OrganisationAccess:
    return access.get_organisation_for_user(
        _user(request), kind, organisation_id, OrganisationPermission.MANAGE_MEMBERS
    )


def _membership(organisation: Organisation, membership_id: int) -> Membership:
    members = Membership.objects.in_organisation(organisation).people()
    return get_object_or_404(members.select_related("user", "setting", "local_authority"), pk=membership_id)


def _invitations(organisation: Organisation) -> InvitationQuerySet:
    if isinstance(organisation, Setting):
        return Invitation.objects.filter(setting=organisation)
    return Invitation.objects.filter(local_authority=organisation)


def _role_hints(form: InviteForm | RoleForm) -> list[tuple[str, str]]:
    field = form.fields["role"]
    assert hasattr(field, "choices")
    return [(str(label), ROLE_HINTS[value]) for value, label in field.choices]


def _members_page(request: HttpRequest, kind: str, organisation: Organisation, form: InviteForm) -> HttpResponse:
    members = (
        Membership.objects.in_organisation(organisation)
        .people()
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    context: dict[str, Any] = {
        "kind": kind,
        "organisation": organisation,
        "members": members,
        "invitations": _invitations(organisation).pending().order_by("email"),
        "form": form,
        "role_hints": _role_hints(form),
        "invitation_days": settings.INVITATION_VALID_DAYS,
        "may_reset_second_factor": OrganisationPermission.MANAGE_MEMBERS
        in access.la_permissions(request.user, la_of(organisation)),
    }
    # A form sent back with errors is a 400, as everywhere in the service.
    status = 400 if form.is_bound else 200
    return render(request, "organisations/members.html", context, status=status)


def la_of(organisation: Organisation) -> LocalAuthority:
    return organisation.local_authority if isinstance(organisation, Setting) else organisation


def _invite_form(request: HttpRequest, organisation: Organisation, data: Any = None) -> InviteForm:
    roles = access.manageable_roles(_user(request), organisation)
    return InviteForm(data, organisation=organisation, roles=roles)


@require_GET
def members(request: HttpRequest, kind: str, organisation_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    return _members_page(request, kind, organisation, _invite_form(request, organisation))


@require_POST
def invite(request: HttpRequest, kind: str, organisation_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    form = _invite_form(request, organisation, request.POST)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                actor=organisation_access.actor,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.MembershipError as error:
            form.add_error("email", error.message)
        else:
            until = date_format(localtime(invitation.expires_at), "j F Y")
            messages.success(
                request,
                f"We have sent an invitation to {invitation.email}. The link works once, until {until}.",
            )
            return redirect("organisations:members", kind=kind, organisation_id=organisation.pk)
    return _members_page(request, kind, organisation, form)


@require_POST
def revoke_invitation(request: HttpRequest, kind: str, organisation_id: int, invitation_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    invitation = get_object_or_404(_invitations(organisation), pk=invitation_id)
    revoked = services.revoke_invitation(actor=organisation_access.actor, invitation=invitation)
    if revoked:
        messages.success(request, f"The invitation to {invitation.email} has been cancelled.")
    else:
        messages.info(
            request,
            f"The invitation to {invitation.email} had already been used, cancelled or expired.",
        )
    return redirect("organisations:members", kind=kind, organisation_id=organisation.pk)


def _after_own_change(request: HttpRequest, kind: str, organisation: Organisation) -> HttpResponse:
    """Back to the members page, or home when the person may no longer manage members here."""
    # A fresh copy of the user, so that their memberships are read again after the change.
    user = User.objects.get(pk=_user(request).pk)
    if access.manageable_roles(user, organisation):
        return redirect("organisations:members", kind=kind, organisation_id=organisation.pk)
    return redirect("home")


@require_http_methods(["GET", "POST"])
def change_role(request: HttpRequest, kind: str, organisation_id: int, membership_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    membership = _membership(organisation, membership_id)
    roles = access.manageable_roles(_user(request), organisation)
    data = request.POST if request.method == "POST" else None
    form = RoleForm(data, roles=roles, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_role(
                actor=organisation_access.actor,
                membership=membership,
                role=form.cleaned_data["role"],
            )
        except services.MembershipError as error:
            form.add_error("role", error.message)
        else:
            messages.success(request, f"{changed.user.get_full_name()} is now {changed.get_role_display()}.")
            return _after_own_change(request, kind, organisation)
    context = {
        "kind": kind,
        "organisation": organisation,
        "membership": membership,
        "form": form,
        "role_hints": _role_hints(form),
    }
    status = 400 if form.is_bound else 200
    return render(request, "organisations/change_role.html", context, status=status)


@require_http_methods(["GET", "POST"])
def remove_member(request: HttpRequest, kind: str, organisation_id: int, membership_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    membership = _membership(organisation, membership_id)
    problem = services.last_manager_problem(_user(request), membership, None)
    if request.method == "POST" and problem is None:
        try:
            services.remove_member(actor=organisation_access.actor, membership=membership)
        except services.MembershipError as error:
            problem = error.message
        else:
            name = membership.user.get_full_name() or membership.user.email
            messages.success(request, f"{name} has been removed from {organisation}.")
            return _after_own_change(request, kind, organisation)
    context = {
        "kind": kind,
        "organisation": organisation,
        "membership": membership,
        "problem": problem,
        "is_self": membership.user_id == request.user.pk,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "organisations/remove_member.html", context, status=status)


@require_GET
def la_overview(request: HttpRequest, la_id: int) -> HttpResponse:
    user = _user(request)
    la_access = access.get_la_for_user(user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    la = la_access.la
    with from_replica():
        overview = selectors.la_overview(la)
    context = {
        "overview": overview,
        "can_manage_people": la_access.can(OrganisationPermission.MANAGE_MEMBERS),
    }
    return render(request, "organisations/la_overview.html", context)
