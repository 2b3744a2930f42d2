"""Forms for signing in, resetting a password and making an account from an invitation."""

import unicodedata
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

from graduated.accounts import lockout, throttle
from graduated.accounts.models import User
from graduated.accounts.security import client_ip, record_security_event

LENGTH_HINT = (
    "Use at least 12 characters. A few unrelated words together make a password that is long, "
    "easy to remember and hard to guess."
)
PASSWORDS_DIFFER = "The passwords do not match"
EMAIL_ERRORS = {
    "required": "Enter your e-mail address",
    "invalid": "Enter an e-mail address in the correct format, like name@example.com",
}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _email_widget(autocomplete: str) -> forms.EmailInput:
    return forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false", "autocapitalize": "none"})


def _new_password_widget() -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"autocomplete": "new-password"})


class SignInForm(AuthenticationForm):
    """Django's sign-in form, asking for an e-mail address, with one answer for every failure.

    A wrong password, an unknown address and a closed account all get the same message, so the
    form never tells anyone which addresses have accounts.
    """

    username = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=_email_widget("username"),
        error_messages={"required": EMAIL_ERRORS["required"]},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password",
        "inactive": "Enter a correct e-mail address and password",
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    def clean(self) -> dict[str, Any]:
        """Count the attempt before checking the password (throttle.py); a right one is not counted."""
        username = self.cleaned_data.get("username") or ""
        if not (username and self.cleaned_data.get("password")):
            return super().clean()
        ip_address = client_ip(self.request)
        pair = (lockout.sign_in_pair(), lockout.pair_key(username, ip_address))
        reservation = throttle.reserve(pair, (lockout.sign_in_ip(), lockout.ip_key(ip_address)))
        if reservation.refused:
            from_network = reservation.refused_by == lockout.sign_in_ip()
            detail = "per IP address" if from_network else "per e-mail address and IP address"
            record_security_event("SIGN_IN_LOCKED", email=username, request=self.request, detail=detail)
            raise forms.ValidationError(
                locked_message(settings.SIGN_IN_LOCKOUT_MINUTES, from_network=from_network), code="locked"
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_security_event("SIGN_IN_FAILED", email=username, request=self.request)
            raise
        throttle.release(reservation)
        throttle.clear(*pair)
        return cleaned


def locked_message(minutes: int, *, from_network: bool) -> str:
    where = "from your network" if from_network else "with this e-mail address"
    return f"Too many attempts to sign in {where}. Wait {minutes} minutes and try again, or reset your password."


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=_email_widget("email"),
        error_messages=EMAIL_ERRORS,
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Send the link, unless this address or this IP address has asked too often this hour.

        Either way the person sees the same page, so the limit tells no one whether an account has
        the address."""
        request = kwargs.get("request")
        email = self.cleaned_data["email"]
        ip_address = client_ip(request)
        reservation = throttle.reserve(
            (lockout.password_reset_address(), lockout.key_for(email)),
            (lockout.password_reset_ip(), lockout.ip_key(ip_address)),
        )
        if reservation.refused:
            record_security_event("PASSWORD_RESET_THROTTLED", email=email, request=request)
            return
        super().save(*args, **kwargs)

    def get_users(self, email: str) -> Iterator[User]:
        """Active accounts with this address, including one whose password was never set.

        Django leaves those out, for accounts that sign in elsewhere; here every account signs in
        with a password, and one made by ``graduated create-la-admin`` starts without one.
        """
        wanted = _folded(email)
        for user in User.objects.filter(email__iexact=email, is_active=True):
            # The database's case rules may match more than Unicode's: check again, strictly.
            if _folded(user.email) == wanted:
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Links are built from SITE_URL, never from the request's Host header, which a visitor
        # could forge to have a reset link point at their own site.
        context = {**context, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME}
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )


class NewPasswordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=_new_password_widget(),
        help_text=LENGTH_HINT,
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Confirm your new password",
        strip=False,
        widget=_new_password_widget(),
        error_messages={"required": "Enter your new password again"},
    )
    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def clean(self) -> dict[str, Any]:
        # Instead of Django's (not after it): a weak password is reported on the field where it was chosen.
        self.validate_passwords("new_password1", "new_password2")
        if not self.has_error("new_password2"):
            self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class NewAccountForm(forms.Form):
    """For someone invited who has no account yet: their name and a password."""

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 150 characters or fewer",
        },
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=_new_password_widget(),
        help_text=LENGTH_HINT,
        error_messages={"required": "Enter a password"},
    )
    password_confirm = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=_new_password_widget(),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self) -> str:
        name: str = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError("Enter your full name")
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", PASSWORDS_DIFFER)
        elif password:
            # An unsaved user, so that the similarity check can compare with the name and address.
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class SecondFactorForm(forms.Form):
    """The code at the second step: six digits from the app, or a recovery code."""

    code = forms.CharField(
        label="Security code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter the security code"},
    )
    remember = forms.BooleanField(
        label="Do not ask for a code on this device for 30 days",
        required=False,
        help_text="Only on a device that is yours alone, never on a shared computer.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = settings.REMEMBER_DEVICE_DAYS
        if days <= 0:
            del self.fields["remember"]
        else:
            self.fields["remember"].label = f"Do not ask for a code on this device for {days} days"


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        help_text="The 6-digit code the app shows after you add the account.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": "Enter the 6-digit code from the app"},
    )

    def clean_code(self) -> str:
        code: str = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError("Enter the 6 digits the app shows, like 123456")
        return code


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    """A new password, as NewPasswordForm asks for it and checks it (its fields and clean), and the
    current one, which Django's PasswordChangeForm checks (clean_old_password)."""

    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    error_messages = {
        "password_mismatch": PASSWORDS_DIFFER,
        "password_incorrect": "Your current password is not right. Enter it again",
    }
