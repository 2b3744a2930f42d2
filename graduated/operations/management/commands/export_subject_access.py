"""``graduated export-subject-access PUPIL_ID --output FILE``: everything held about one pupil, as a ZIP."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.audit.services import Actor
from graduated.operations.subject_access import SubjectAccessError, export_subject_access
from graduated.pupils.models import Pupil


class Command(BaseCommand):
    help = (
        "Write one ZIP with everything held about a pupil (their record, plans, meetings, documents "
        "and the audit trail of who viewed or changed it), for a subject access request. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pupil_id", type=int, help="The pupil's id (the number in their record's address).")
        parser.add_argument("--output", type=Path, required=True, help="The ZIP file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        pupil = Pupil.objects.filter(pk=options["pupil_id"]).first()
        if pupil is None:
            raise CommandError(f"There is no pupil {options['pupil_id']}.")
        try:
            result = export_subject_access(pupil, options["output"], Actor.system("subject access request"))
        except SubjectAccessError as error:
            raise CommandError(f"Nothing was exported. {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Subject access export written: {result.path}"))
        self.stdout.write(f"  {result.rows} rows, {result.files} files, {result.audit_events} audit events")
