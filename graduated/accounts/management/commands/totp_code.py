"""``graduated totp EMAIL``: the code a demo account's authenticator app would show now.

For trying the demo without a phone. Refused unless DEBUG is on, and for any account that is not
one of the demo's (whose secrets are published in README.md anyway).
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from graduated.accounts import second_factor
from graduated.demo.second_factor import DEMO_TOTP_SECRETS


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account (only when DEBUG=1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="A demo account's e-mail address, e.g. senco.primary@example.org")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("graduated totp works only with DEBUG=1: it is for trying the demo.")
        email = options["email"].strip().lower()
        if email not in DEMO_TOTP_SECRETS:
            raise CommandError(f"{email} is not a demo account; only demo accounts' codes are shown.")
        device = TOTPDevice.objects.filter(user__email__iexact=email, confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} has no authenticator app set up (has the demo been loaded?).")
        self.stdout.write(second_factor.current_code(device))
