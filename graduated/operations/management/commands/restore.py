"""``graduated restore PATH``: check a backup's checksums, then load it into an empty database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.operations.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `graduated backup` into an empty database and an empty MEDIA_ROOT. "
        "Every file's checksum is checked first; a damaged backup changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup archive (.tar).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored the {result.vendor} backup made at {result.created_at}."))
        self.stdout.write(f"  uploaded files: {result.uploads}")
        if result.pending_migrations:
            self.stdout.write(
                f"The backup is older than this version: run `graduated migrate` "
                f"({len(result.pending_migrations)} migrations to apply)."
            )
