"""``graduated backup [--output DIR]``: a consistent snapshot of the database and uploads, while running."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.operations.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar) with a consistent copy of the database, every uploaded file and a "
        "manifest of their SHA-256 checksums. Safe while the app runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="The directory to write the archive into (default: DATA_DIR/backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.DATA_DIR) / "backups"
        try:
            result = create_backup(output)
        except BackupError as error:
            raise CommandError(f"No backup was made. {error}") from error
        for name in result.missing_uploads:
            self.stderr.write(f"Not in the backup: uploads/{name}, removed while the backup ran.")
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))
        self.stdout.write(f"  uploaded files: {result.uploads}")
