"""``graduated manage rebuild_oversight``: work every summary of the SEN dashboard out again.

Run it after loading records in bulk (an import straight into the database, the benchmark
generator), and nightly (for example from cron, after the digests) with ``--terms`` so that each
term's figures are taken once the term has ended. See graduated/oversight/README.md.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.organisations.models import LocalAuthority
from graduated.oversight import summaries


class Command(BaseCommand):
    help = "Work out the SEN dashboard's summaries again: sessions, parent meetings, costs, term figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--la", type=int, help="only this local authority (its id)")
        parser.add_argument("--terms", action="store_true", help="only the figures at the end of the last three terms")
        parser.add_argument("--no-costs", action="store_true", help="leave the costed provision summaries as they are")

    def handle(self, *args: Any, **options: Any) -> None:
        la = None
        if options["la"] is not None:
            la = LocalAuthority.objects.filter(pk=options["la"]).first()
            if la is None:
                raise CommandError(f"No local authority has the id {options['la']}.")
        started = time.monotonic()
        done = summaries.rebuild(local_authority=la, costs=not options["no_costs"], only_terms=options["terms"])
        took = time.monotonic() - started
        self.stdout.write(f"Rebuilt in {took:.1f} s: " + ", ".join(done.lines()) + ".")
