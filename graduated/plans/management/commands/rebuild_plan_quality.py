"""``graduated manage rebuild_plan_quality``: recompute every open cycle's stored plan-quality
findings (support/quality.py). Each change to a plan refreshes its own; run this nightly, since
"an outcome already due" moves with the calendar, and after upgrading."""

from typing import Any

from django.core.management.base import BaseCommand

from graduated.support.quality import rebuild_all


class Command(BaseCommand):
    help = "Recompute the stored plan-quality findings of every open cycle."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Checked {rebuild_all()} open cycles.")
