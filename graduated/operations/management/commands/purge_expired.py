"""``graduated purge-expired [--dry-run]``: remove the records whose retention period has ended,
the finished task results past TASK_RESULTS_KEEP_DAYS, imports of pupils left unfinished and the
rows they did not import past IMPORT_KEEP_DAYS (graduated/records/expiry.py), and the spent form
tokens (graduated/lib/submit_once.py) that are no longer needed."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.lib.submit_once import purge_claims
from graduated.operations.pupil_data import collect
from graduated.operations.retention import (
    PurgeError,
    expired_pupils,
    expired_task_results,
    purge_pupil,
    purge_task_results,
)
from graduated.records.expiry import expire_imports


class Command(BaseCommand):
    help = (
        "Remove every pupil whose date of birth plus RETENTION_YEARS_AFTER_BIRTH years has passed: "
        "all their records and files, leaving one audit event per pupil; finished task results (sent e-mails) "
        "older than TASK_RESULTS_KEEP_DAYS; imports of pupils left unfinished, and imports' lists of rows not "
        "imported, older than IMPORT_KEEP_DAYS; and forms' one-time tokens spent more than a day ago. Run it daily, "
        "e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        pupils = list(expired_pupils())
        years = settings.RETENTION_YEARS_AFTER_BIRTH
        # Ids only: this output goes to logs and cron mail, which must not carry children's names.
        for pupil in pupils:
            if dry_run:
                data = collect(pupil)
                self.stdout.write(f"Would remove pupil {pupil.pk}: {data.count()} rows, {len(data.files())} files.")
                continue
            try:
                result = purge_pupil(pupil)
            except PurgeError as error:
                raise CommandError(f"Pupil {pupil.pk} was not removed: {error}") from error
            self.stdout.write(f"Removed pupil {result.pupil_id}: {result.rows} rows, {result.files} files.")
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(pupils)} records past {years} years from birth {verb}.")
        tasks = expired_task_results().count() if dry_run else purge_task_results()
        self.stdout.write(f"{tasks} task results finished over {settings.TASK_RESULTS_KEEP_DAYS} days ago {verb}.")
        imports = expire_imports(dry_run=dry_run)
        keep = settings.IMPORT_KEEP_DAYS
        cancelled = "would be cancelled" if dry_run else "cancelled"
        self.stdout.write(f"{imports.cancelled} imports of pupils left unfinished over {keep} days {cancelled}.")
        self.stdout.write(f"{imports.refusals} rows not imported, of imports over {keep} days ago, {verb}.")
        self.stdout.write(f"{purge_claims(dry_run=dry_run)} spent form tokens {verb}.")
