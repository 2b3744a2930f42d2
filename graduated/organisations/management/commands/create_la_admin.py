"""``graduated create-la-admin``: the first administrator of a local authority."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from graduated.accounts.models import User
from graduated.organisations.models import LocalAuthority, Membership, Role


class Command(BaseCommand):
    help = (
        "Create (or promote) a user as LA admin of the LA with the given DfE code, creating the LA "
        "when --la-name is given. Prints a link where they set their password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The person's full name.")
        parser.add_argument("--la-code", required=True, help="The LA's three-digit DfE code, e.g. 860.")
        parser.add_argument("--la-name", help="Create the LA with this name if it does not exist.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from error
        code = options["la_code"].strip()
        la = LocalAuthority.objects.filter(code=code).first()
        if la is None:
            if not options["la_name"]:
                raise CommandError(f"There is no LA with code {code}. Give --la-name to create it.")
            la = LocalAuthority(code=code, name=options["la_name"].strip())
            try:
                la.full_clean()
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            la.save()
            self.stdout.write(f"Created the local authority {la.name} ({la.code}).")
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=options["name"])
        Membership.objects.update_or_create(user=user, local_authority=la, defaults={"role": Role.LA_ADMIN})
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])
        self.stdout.write(self.style.SUCCESS(f"{user.email} is an LA admin of {la.name}."))
        self.stdout.write(f"They set their password here (the link works once, for a limited time):\n{link}")
