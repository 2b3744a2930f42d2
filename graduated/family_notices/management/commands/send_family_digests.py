"""``graduated family-digests``: send each family member who chose it their weekly digest. Run weekly."""

from typing import Any

from django.core.management.base import BaseCommand

from graduated.family_notices.digest import send_digests


class Command(BaseCommand):
    help = "Send this week's digest of changes to every family member who chose one. Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_digests()
        self.stdout.write(f"Family digests sent: {sent}.")
