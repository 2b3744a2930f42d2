"""``graduated rebuild-impact``: work out every intervention group's impact figures again, and the
lines of the LAs' impact pages.

The LA's impact page reads each group's figures worked out ahead (graduated/provision/
impact_summaries.py) and its lines worked out from them (impact_la.py), kept up to date as records
change. Run this once after upgrading to the version that added them, and after loading records in
bulk straight into the database (the benchmark generator), which sends none of the signals that
keep them up to date. A page that meets a group or line not yet worked out works it out itself, so
running this is about speed, never correctness.
"""

import time
from itertools import batched
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from graduated.organisations.models import LocalAuthority
from graduated.provision import impact_la, impact_summaries
from graduated.provision.models import InterventionGroup


class Command(BaseCommand):
    help = "Work out the intervention groups' impact figures again (the figures the LA's impact page pools)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--la", type=int, help="only the groups of this local authority's settings (its id)")
        parser.add_argument("--stale", action="store_true", help="only the groups whose figures are stale or missing")

    def handle(self, *args: Any, **options: Any) -> None:
        groups = InterventionGroup.objects.order_by("pk")
        if options["la"] is not None:
            if not LocalAuthority.objects.filter(pk=options["la"]).exists():
                raise CommandError(f"No local authority has the id {options['la']}.")
            groups = groups.filter(setting__local_authority_id=options["la"])
        if options["stale"]:
            groups = groups.filter(Q(impact__isnull=True) | Q(impact__stale=True))
        ids = list(groups.values_list("pk", flat=True))
        started = time.monotonic()
        done = 0
        for chunk in batched(ids, impact_summaries.CHUNK):
            done += impact_summaries.rebuild(chunk)
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} of {len(ids)} groups")
        las = [options["la"]] if options["la"] is not None else LocalAuthority.objects.values_list("pk", flat=True)
        sections = sum(len(impact_la.rebuild_blocks(la_id)) for la_id in las)
        took = time.monotonic() - started
        self.stdout.write(
            f"Worked out the impact figures of {done} group{'' if done == 1 else 's'} and of {sections} shared "
            f"intervention{'' if sections == 1 else 's'} across settings in {took:.1f} s."
        )
