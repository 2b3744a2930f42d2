"""``graduated audit-seal``: extend the audit trail's and security log's hash chains. Run it often
(every few minutes from cron, like ``graduated digests`` once a day): an event is protected by
the chain from the run after it settles."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from graduated.audit import chain


class Command(BaseCommand):
    help = "Seal the audit events and security events written since the last run into their hash chains."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--settle-minutes", type=float, default=chain.DEFAULT_SETTLE.total_seconds() / 60,
            help="Leave events younger than this for the next run (default 10): their transactions may not have ended.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        settle = timedelta(minutes=options["settle_minutes"])
        for trail in chain.TRAILS:
            sealed = chain.seal(trail, settle=settle)
            head_id, head_hash = chain.head(trail)
            self.stdout.write(f"{trail.name}: {sealed} events sealed; head event {head_id or '-'}, hash {head_hash}")
