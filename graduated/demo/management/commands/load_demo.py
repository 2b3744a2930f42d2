"""``graduated demo``: load the demo data (two LAs, five settings, about 300 pupils, demo accounts).

Safe to run twice: a second run finds the demo's first local authority and changes nothing.
"""

import os
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from graduated.demo import data

FORCE_FLAG = "--create-demo-accounts-with-known-passwords"


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: two local authorities, five settings, about 300 pupils "
        "with SEN histories, and an account for every role. Does nothing if already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            FORCE_FLAG,
            action="store_true",
            help="Load the demo even with DEBUG off (on a staging server, say): its accounts' passwords are public.",
        )
        parser.add_argument(
            "--password",
            help=(
                "The password of every demo account (default: the DEMO_PASSWORD environment "
                f"variable, or {data.DEMO_PASSWORD!r})."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Outside development the database is presumably real: accounts with a published password and
        # second-factor secret there would be a way in for anyone who has read the README.
        if not settings.DEBUG and not options["create_demo_accounts_with_known_passwords"]:
            raise CommandError(refusal())
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or data.DEMO_PASSWORD
        try:
            data.check_password(password)
        except ValidationError as error:
            raise CommandError("The demo password is refused: " + " ".join(error.messages)) from error
        with transaction.atomic():
            if data.is_loaded():
                self.stdout.write("Demo data already loaded.")
                return
            if clashes := data.conflicts():
                raise CommandError(
                    "The database already holds records the demo would duplicate: "
                    + ", ".join(clashes)
                    + ". Load the demo into an empty database."
                )
            counts = data.write_plan(data.build_plan(), password)
            counts.update(data.load_feature_demos())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"Sign in as any demo account (e.g. {data.DEMO_ACCOUNTS[0].email}); see README.md.")


def refusal() -> str:
    return (
        "DEBUG is off, so this looks like a real installation: the demo is not loaded. It would create "
        f"{len(data.DEMO_ACCOUNTS)} demo accounts for every role, a platform administrator and LA "
        "administrators among them, with a known password and the second-factor secrets published in "
        "README.md, and two local authorities, five settings and about 300 fictional pupils. Anyone who "
        "has read the README could sign in with them. To load it anyway (a staging or training server "
        f"with no real records), add {FORCE_FLAG}."
    )
