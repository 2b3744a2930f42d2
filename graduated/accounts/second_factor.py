"""The second step of signing in: a code from an authenticator app (TOTP, RFC 6238), or a recovery code.

django-otp's TOTPDevice keeps the secret and checks codes (with one step of clock drift either way);
it remembers the last time step used, so a code that was accepted once is refused after. Whether a
session has passed the second step is a flag in the session, set here after the code is checked,
so that no page needs a database query to know it. A reset (by an LA admin) or a password change
ends the person's other sessions through the session check value (User.session_epoch).

See docs/decisions/0005-second-factor.md for why django-otp, and why recovery codes are our own.
"""

import base64
import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from graduated.accounts.models import RecoveryCode, RememberedDevice, User

SESSION_KEY = "graduated_second_factor"
REMEMBER_COOKIE = "graduated_device"
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper and typed


class Method:
    APP = "authenticator app"
    RECOVERY_CODE = "recovery code"
    REMEMBERED = "remembered device"
    NOT_ASKED = "password only (a family account without a second factor)"


def secret_as_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_optional_for(user: User) -> bool:
    """A family account (no role, no professional's grant, not a platform admin) may sign in with
    its password alone, and is offered the second factor; everyone who reaches pupils through a
    role or a grant must give one."""
    if user.is_staff or user.is_superuser or user.is_service:
        return False
    return not user.memberships.exists() and not user.professional_grants.exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up, made on first asking, so a reload shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def setup_url(device: TOTPDevice) -> str:
    return device.config_url


def _check_totp(device_id: int, code: str) -> bool:
    with transaction.atomic():
        # Locked, so that the same code sent twice at once is accepted only once.
        device = TOTPDevice.objects.select_for_update().get(pk=device_id)
        return bool(device.verify_token(code))


@transaction.atomic
def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from it; returns the new recovery codes, or None."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not _check_totp(device.pk, _digits(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    return new_recovery_codes(user)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes, replacing any old ones; shown once and stored only as hashes."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(_normalise_recovery(code))) for code in codes
    )
    return codes


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def check_code(user: User, code: str) -> str | None:
    """Which method accepted the code (an app's code, or an unused recovery code), or None."""
    digits = _digits(code)
    device = confirmed_device(user)
    if device is not None and len(digits) == 6 and len(code.strip()) <= 7 and _check_totp(device.pk, digits):
        return Method.APP
    normalised = _normalise_recovery(code)
    if len(normalised) == 10:
        # One UPDATE: of two requests with the same code at the same moment, only one changes the row.
        used = RecoveryCode.objects.filter(user=user, code_hash=_hash(normalised), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            return Method.RECOVERY_CODE
    return None


def set_verified(session: SessionBase, method: str) -> None:
    """The one writer of the session flag: the second step passed, by ``method``, now."""
    session[SESSION_KEY] = {"method": method, "at": int(time.time())}


def mark_verified(request: HttpRequest, method: str) -> None:
    # A new session key as the person's privileges change, as at sign-in.
    request.session.cycle_key()
    set_verified(request.session, method)


def is_verified(session: SessionBase) -> bool:
    return SESSION_KEY in session


def verified_method(session: SessionBase) -> str:
    value = session.get(SESSION_KEY) or {}
    return str(value.get("method", ""))


# Remembered devices ("this device for 30 days")


def remember_device(request: HttpRequest, response: HttpResponse, user: User) -> None:
    token = secrets.token_urlsafe(32)
    days = settings.REMEMBER_DEVICE_DAYS
    RememberedDevice.objects.create(
        user=user,
        token_hash=_hash(token),
        description=request.headers.get("user-agent", "")[:200] or "Unknown browser",
        ip_address=request.META.get("REMOTE_ADDR") or None,
        expires_at=timezone.now() + timedelta(days=days),
    )
    response.set_cookie(
        REMEMBER_COOKIE,
        f"{user.pk}:{token}",
        max_age=days * 24 * 3600,
        secure=not settings.DEBUG,
        httponly=True,
        samesite="Lax",
    )


def recognised_device(request: HttpRequest, user: User) -> RememberedDevice | None:
    """The remembered device this browser's cookie names, if it is this person's and still live."""
    user_id, _, token = request.COOKIES.get(REMEMBER_COOKIE, "").partition(":")
    if not token or user_id != str(user.pk):
        return None
    device = RememberedDevice.objects.filter(user=user, token_hash=_hash(token), expires_at__gt=timezone.now()).first()
    if device is not None:
        RememberedDevice.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
    return device


def forget_device(user: User, device_id: int) -> bool:
    deleted, _ = RememberedDevice.objects.filter(user=user, pk=device_id).delete()
    return bool(deleted)


@transaction.atomic
def reset(user: User) -> None:
    """Remove the person's app, recovery codes and remembered devices, and end their sessions: at
    their next sign-in they set up a new app. For an LA admin helping a member who lost their phone."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    RememberedDevice.objects.filter(user=user).delete()
    user.end_all_sessions()


def current_code(device: TOTPDevice) -> str:
    """The code the app shows now (for `graduated totp`, demo accounts only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
