"""Links the service e-mails to a person about their account."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from graduated.accounts.models import User


def set_password_url(user: User) -> str:
    """The single-use, time-limited link to set a password (a reset link), for a new account."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
