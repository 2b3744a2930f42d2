"""The second step of signing in, setting up an authenticator app, and a person's own security page."""

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from graduated.accounts import lockout, second_factor, throttle
from graduated.accounts.forms import ChangePasswordForm, SecondFactorForm, SetupCodeForm
from graduated.accounts.middleware import second_factor_not_required
from graduated.accounts.models import User
from graduated.accounts.security import client_ip, record_security_event
from graduated.accounts.views import FormErrorsAre400


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("home")


def _qr_svg(url: str) -> str:
    import segno

    # Inline SVG: no script, nothing fetched, so the page's content security policy allows it.
    return str(segno.make(url, error="m").svg_inline(scale=5, border=4, title="QR code to scan with the app"))


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app (or a recovery code), counted against the limits."""
    user = _user(request)
    if second_factor.is_verified(request.session):
        return redirect(_next(request))
    if not second_factor.is_enrolled(user):
        return redirect(f"{reverse('accounts:second_factor_setup')}?next={_next(request)}")
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        ip_address = client_ip(request)
        reservation = throttle.reserve(
            (lockout.second_factor_account(), str(user.pk)),
            (lockout.second_factor_ip(), lockout.ip_key(ip_address)),
        )
        if reservation.refused:
            record_security_event("SECOND_FACTOR_LOCKED", request=request, user=user)
            form.add_error(
                "code", f"Too many codes tried. Wait {settings.SIGN_IN_LOCKOUT_MINUTES} minutes and try again"
            )
        elif method := second_factor.check_code(user, form.cleaned_data["code"]):
            throttle.release(reservation)
            second_factor.mark_verified(request, method)
            response = redirect(_next(request))
            if form.cleaned_data.get("remember"):
                second_factor.remember_device(request, response, user)
            if method == second_factor.Method.RECOVERY_CODE:
                left = second_factor.unused_recovery_codes(user)
                messages.warning(request, f"You used a recovery code. You have {left} left: make new ones on "
                                          "your account's security page if you are running out.")  # fmt: skip
            return response
        else:
            record_security_event("SECOND_FACTOR_FAILED", request=request, user=user)
            form.add_error("code", "That code is not right, or was used already. Enter the code the app shows now")
    if form.is_bound:
        status = 400
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next(request)}, status=status)


@second_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), then confirm with a code.

    Open without the second step only to someone who has no app yet: otherwise a password alone
    would be enough to add a new app to an account."""
    user = _user(request)
    if second_factor.is_enrolled(user) and not second_factor.is_verified(request.session):
        return redirect(f"{reverse('accounts:second_factor')}?next={_next(request)}")
    device = second_factor.pending_device(user)
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        codes = second_factor.confirm_enrolment(user, form.cleaned_data["code"])
        if codes is not None:
            second_factor.mark_verified(request, second_factor.Method.APP)
            context = {"codes": codes, "next": _next(request), "new_app": True}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", "That code is not right. Check the app shows this account, and enter its code now")
    context = {
        "form": form,
        "qr_svg": _qr_svg(second_factor.setup_url(device)),
        "secret": second_factor.secret_as_text(device),
        "next": _next(request),
        "replacing": second_factor.is_enrolled(user),
    }
    return render(request, "accounts/second_factor_setup.html", context, status=400 if form.is_bound else 200)


@never_cache
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "method": second_factor.verified_method(request.session),
        "recovery_codes_left": second_factor.unused_recovery_codes(user),
        "devices": list(user.remembered_devices.all()),
        "remember_days": settings.REMEMBER_DEVICE_DAYS,
    }
    return render(request, "accounts/security.html", context)


@never_cache
@require_POST
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = second_factor.new_recovery_codes(_user(request))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:security")})


@require_POST
def forget_device(request: HttpRequest, device_id: int) -> HttpResponse:
    # Someone else's device, or one forgotten already, is not found: a 404, as everywhere.
    if not second_factor.forget_device(_user(request), device_id):
        raise Http404("No such remembered device")
    messages.success(request, "That device will be asked for a code at its next sign-in.")
    return redirect("accounts:security")


class ChangePasswordView(FormErrorsAre400, auth_views.PasswordChangeView):
    """Changing one's password ends every other session (Django's session check value follows the
    password); this one goes on, with its second step still done."""

    form_class = ChangePasswordForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        form.save()
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "Your password has been changed. You were signed out everywhere else.")
        return redirect(self.get_success_url())


change_password = ChangePasswordView.as_view()
