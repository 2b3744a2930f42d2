"""``graduated check``: is this installation ready to serve?"""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError

from graduated.lib import clamd


class Command(BaseCommand):
    help = "Check settings, the database, migrations and static files; exit non-zero on a problem."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        call_command("check", deploy=not settings.DEBUG, fail_level="WARNING")
        self.stdout.write(f"Settings: ok (DEBUG is {'on' if settings.DEBUG else 'off'})")
        try:
            connection.ensure_connection()
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            problems.append(f"Database: cannot connect ({error})")
        else:
            self.stdout.write(f"Database: ok ({connection.vendor}, {connection.settings_dict['NAME']})")
            if pending:
                problems.append(f"Migrations: {len(pending)} not applied; run `graduated migrate`")
            else:
                self.stdout.write("Migrations: ok")
        if static_problem := _static_files_problem():
            problems.append(static_problem)
        else:
            self.stdout.write("Static files: ok")
        if settings.CLAMD_SOCKET:
            try:
                clamd.scan([], socket_path=settings.CLAMD_SOCKET, timeout=float(settings.CLAMD_TIMEOUT_SECONDS))
            except clamd.ScannerUnavailableError as error:
                problems.append(f"Virus scanning: clamd does not answer ({error}); every upload would be refused")
            else:
                self.stdout.write(f"Virus scanning: ok (clamd at {settings.CLAMD_SOCKET})")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS("The installation is ready."))


def _static_files_problem() -> str | None:
    """Why the pages would lack their styles, or None when they will have them."""
    if not finders.find("css/app.css"):
        return "Static files: css/app.css is missing; run scripts/build-assets"
    if not settings.STATIC_MANIFEST:
        return None  # served straight from the sources
    # With hashed names every {% static %} looks its file up in the manifest that collectstatic
    # writes: without it every page fails with a 500, while the sources above look fine.
    collect = f"run `graduated manage collectstatic --no-input` (STATIC_ROOT is {settings.STATIC_ROOT})"
    try:
        # The storage reads the manifest when first touched, and refuses a damaged one then.
        storage = staticfiles_storage
        if not isinstance(storage, ManifestFilesMixin):
            return None
        if not storage.manifest_storage.exists(storage.manifest_name):
            return f"Static files: not collected (no {storage.manifest_name} in STATIC_ROOT); {collect}"
        collected, _ = storage.load_manifest()  # read afresh: the storage's copy dates from start-up
    except ValueError as error:
        return f"Static files: the manifest cannot be read ({error}); {collect}"
    if "css/app.css" not in collected:
        return f"Static files: the collected files are out of date (css/app.css is not among them); {collect}"
    return None
