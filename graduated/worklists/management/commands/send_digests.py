"""``graduated digests``: send each member of staff their daily digest. Run once a day."""

from typing import Any

from django.core.management.base import BaseCommand

from graduated.worklists.digest import send_digests


class Command(BaseCommand):
    help = "Send today's digest (what is due, what changed) to every member of staff. Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"Digests sent: {sent}.")
