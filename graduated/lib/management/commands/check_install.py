"""``graduated check``: is this installation ready to serve?"""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError


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
        if finders.find("css/app.css"):
            self.stdout.write("Static files: ok")
        else:
            problems.append("Static files: css/app.css is missing; run scripts/build-assets")
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS("The installation is ready."))
