"""``graduated audit-verify``: check the audit trail's and security log's hash chains.

Seals what has settled first (as ``graduated audit-seal``), then walks each chain in id order and
reports its first broken link with a non-zero exit status.
"""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from graduated.audit import chain


def _head(value: str) -> tuple[int, str]:
    event_id, _, digest = value.partition(":")
    if not event_id.isdigit() or len(digest) != 64:
        raise CommandError("--expect-head takes EVENT_ID:HASH, as audit-seal and audit-verify print them.")
    return int(event_id), digest.lower()


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain (and the security log's); exit 1 at the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-seal", action="store_true", help="Check only; do not seal new events first.")
        parser.add_argument(
            "--settle-minutes", type=float, default=chain.DEFAULT_SETTLE.total_seconds() / 60,
            help="When sealing first, leave events younger than this (default 10).",
        )  # fmt: skip
        parser.add_argument(
            "--expect-head", metavar="EVENT_ID:HASH",
            help="An audit trail head printed earlier and kept elsewhere: the chain must still pass through it.",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        expected = _head(options["expect_head"]) if options["expect_head"] else None
        failed = False
        for trail in chain.TRAILS:
            if not options["no_seal"]:
                chain.seal(trail, settle=timedelta(minutes=options["settle_minutes"]))
            result = chain.verify(trail, expected_head=expected if trail is chain.AUDIT else None)
            if result.ok:
                newer = f"{result.unsealed} newer event{'' if result.unsealed == 1 else 's'}"
                tail = f" ({newer} not sealed yet)" if result.unsealed else ""
                self.stdout.write(
                    f"{trail.name}: all {result.verified} events verified{tail}; "
                    f"head event {result.head_event_id or '-'}, hash {result.head_hash}"
                )
            else:
                failed = True
                self.stderr.write(
                    f"{trail.name}: broken at event {result.broken_event_id} ({result.problem}): {result.explanation} "
                    f"{result.verified} events before it verified."
                )
        if failed:
            raise CommandError("The audit chain is broken: see above.", returncode=1)
