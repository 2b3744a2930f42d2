"""Signing in and out, resetting a forgotten password, and accepting an invitation.

Sign-in and password reset are Django's own views with this service's forms and templates.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic.edit import FormView

from graduated.accounts.forms import NewAccountForm, NewPasswordForm, ResetRequestForm, SignInForm
from graduated.accounts.middleware import second_factor_not_required
from graduated.accounts.models import User
from graduated.organisations import services
from graduated.organisations.models import Invitation

# Named explicitly, so that adding a backend (a lockout one, say) cannot make login() ambiguous.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"  # noqa: S105


class FormErrorsAre400(FormView):
    """For Django's auth views: a form sent back with errors is a 400, as everywhere else here."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignInView(FormErrorsAre400, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm


class ResetRequestView(FormErrorsAre400, auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class NewPasswordView(FormErrorsAre400, auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


sign_in = SignInView.as_view()


# POST only (Django's rule); a ``next`` field in the form takes precedence over the page below.
sign_out = login_not_required(
    second_factor_not_required(auth_views.LogoutView.as_view(next_page="accounts:signed_out"))
)


@login_not_required
@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "accounts/signed_out.html")


password_reset = ResetRequestView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html",
    extra_context={"reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
)
password_reset_confirm = NewPasswordView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


def _unusable(request: HttpRequest) -> HttpResponse:
    context = {"message": services.INVITATION_UNUSABLE}
    return render(request, "accounts/invitation_unusable.html", context, status=410)


def _invitation_context(invitation: Invitation, **extra: Any) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "role": invitation.get_role_display(),
        **extra,
    }


def _joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    messages.success(request, f"You have joined {invitation.organisation} as {invitation.get_role_display()}.")
    return redirect("home")


def _new_account(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = NewAccountForm(data, email=invitation.email)
    if form.is_valid():
        account = services.NewAccount(full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password"])
        try:
            membership = services.accept_invitation(invitation=invitation, new_account=account)
        except services.MembershipError:
            return _unusable(request)
        login(request, membership.user, backend=PASSWORD_BACKEND)
        return _joined(request, invitation)
    context = _invitation_context(invitation, form=form)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invitation_new_account.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation's link opens: make an account, or sign in, then accept.

    Whoever is signed in must be the person invited; anyone else is asked to sign out first.
    """
    invitation = services.find_invitation(token)
    if invitation is None:
        return _unusable(request)
    invited = User.objects.filter(email__iexact=invitation.email).first()
    here = reverse("accounts:accept_invitation", args=[token])
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': here})}"
    current = request.user if request.user.is_authenticated else None
    if current is not None and (invited is None or current.pk != invited.pk):
        context = _invitation_context(
            invitation,
            signed_in_as=current,
            has_account=invited is not None,
            after_sign_out=here if invited is None else login_url,
        )
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/invitation_wrong_user.html", context, status=status)
    if invited is None:
        return _new_account(request, invitation)
    if current is None:
        if request.method == "POST":
            return redirect(login_url)
        context = _invitation_context(invitation, login_url=login_url)
        return render(request, "accounts/invitation_sign_in.html", context)
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=invited)
        except services.MembershipError:
            return _unusable(request)
        return _joined(request, invitation)
    return render(request, "accounts/invitation_confirm.html", _invitation_context(invitation))
