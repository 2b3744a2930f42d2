"""The replica router against a real PostgreSQL streaming replica (test_db_routing.py has the unit tests).

The test starts a primary and a replica of it (streaming_replica.py), then runs Django in a child
process with ``DATABASE_URL`` on the primary and ``DATABASE_REPLICA_URL`` on the replica. It
creates the schema on the primary, writes an LA with a setting, waits for the replica to replay it, then pauses
replay there and writes a second setting, which only the primary has. What the app reads then
shows which database each read went to: inside ``from_replica()`` the replica, outside it the
primary; a write inside the block lands on the primary; and the LA overview page, whose access
check must see a membership made after the pause, shows the LA's settings as the replica has them.

It needs none of the suite's own database, so it runs the same under SQLite and PostgreSQL suites.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from graduated.lib.tests import streaming_replica

ROOT = Path(__file__).resolve().parents[3]
_SUITE_ONLY = ("DATABASE_URL", "DATABASE_REPLICA_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")

REPLAYED = "Ash Primary School"  # written before the pause: on both databases
NOT_REPLAYED = "Rowan Late School"  # written after it: on the primary only
WRITTEN_INSIDE = "Yew Written Inside"  # written inside from_replica(), also after the pause


def _probe() -> None:  # pragma: no cover - runs in the child process, after django.setup()
    """What the app reads and writes with the replica's replay paused, as JSON on the last line."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from graduated.audit import triggers
    from graduated.lib.db_routing import from_replica
    from graduated.lib.testing import make_member, make_pupil, mark_second_factor_done
    from graduated.organisations import selectors
    from graduated.organisations.models import LocalAuthority, Phase, Role, Setting

    def one(alias: str, query: str, *params: Any) -> Any:
        with connections[alias].cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone()[0]

    def replica_caught_up() -> None:
        target = one("default", "SELECT pg_current_wal_lsn()")
        for _ in range(200):
            if one("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", target):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the replica did not replay up to {target}")

    def names(la: LocalAuthority) -> list[str]:
        return list(Setting.objects.filter(local_authority=la).order_by("name").values_list("name", flat=True))

    def page(client: Client, la: LocalAuthority) -> dict[str, Any]:
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            response = client.get(f"/organisations/la/{la.pk}/")
        html = response.content.decode()
        return {
            "status": response.status_code,
            "shows": [name for name in (REPLAYED, NOT_REPLAYED, WRITTEN_INSIDE) if name in html],
            "replica_queries": len(on_replica.captured_queries),
            "replica_non_selects": [q["sql"] for q in on_replica.captured_queries if not q["sql"].startswith("SELECT")],
        }

    # The schema on the primary only (the router allows no migration on the replica), which the
    # replica then has by replication. Built from the models, as pytest's --nomigrations does: the
    # 90-odd migrations take 10 to 20 s on their own, and the suite runs them already.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    triggers.install(connections["default"])  # the audit trail append-only, as the migrations make it
    north = LocalAuthority.objects.create(name="Northshire", code="860")
    ash = Setting.objects.create(name=REPLAYED, urn="100001", phase=Phase.PRIMARY, local_authority=north)
    make_pupil(ash, "Priya", "One", sen_status="K")
    replica_caught_up()
    seen: dict[str, Any] = {
        "in_recovery": {alias: one(alias, "SELECT pg_is_in_recovery()") for alias in ("default", "replica")},
        "replica_has_the_schema": one("replica", "SELECT to_regclass('organisations_setting') IS NOT NULL"),
    }

    one("replica", "SELECT pg_wal_replay_pause()")
    rowan = Setting.objects.create(name=NOT_REPLAYED, urn="100003", phase=Phase.PRIMARY, local_authority=north)
    make_pupil(rowan, "Rosa", "Two", sen_status="K")
    # Made after the pause, so the replica has no such membership: the page's access check must read the primary.
    officer = make_member("officer.north@example.org", Role.LA_OFFICER, north, "Nia Officer")
    seen["replay_state"] = one("replica", "SELECT pg_get_wal_replay_pause_state()")

    seen["read_outside"] = names(north)
    with from_replica():
        seen["read_inside"] = names(north)
        # A write inside the block: the replica would refuse it (read-only), the router sends it to the primary.
        written = Setting.objects.create(name=WRITTEN_INSIDE, urn="100004", phase=Phase.PRIMARY, local_authority=north)
        seen["written_to"] = written._state.db
        seen["read_inside_after_writing"] = names(north)
    count = "SELECT count(*) FROM organisations_setting WHERE name = %s"
    seen["written_row_on"] = {alias: one(alias, count, WRITTEN_INSIDE) for alias in ("default", "replica")}

    client = Client()
    client.force_login(officer)
    mark_second_factor_done(client)
    seen["page_paused"] = page(client, north)
    seen["overview_outside"] = [row.setting.name for row in selectors.la_overview(north).settings]

    one("replica", "SELECT pg_wal_replay_resume()")
    replica_caught_up()
    seen["page_resumed"] = page(client, north)
    print(json.dumps(seen))


def _run_the_app(pair: streaming_replica.StreamingPair) -> dict[str, Any]:
    environment = {key: value for key, value in os.environ.items() if key not in _SUITE_ONLY}
    environment.update(
        DJANGO_SETTINGS_MODULE="graduated.settings",
        DATABASE_URL=pair.primary.url(),
        DATABASE_REPLICA_URL=pair.replica.url(),
        DEBUG="1",
        SECRET_KEY="streaming-replica-test-only",
        ALLOWED_HOSTS="testserver",
        DATA_DIR=str(pair.root / "app"),
        MEDIA_ROOT=str(pair.root / "app" / "uploads"),
        STATIC_MANIFEST="0",
        SECURE_SSL_REDIRECT="0",
    )
    script = "import django; django.setup(); from graduated.lib.tests.test_replica_streaming import _probe; _probe()"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture
def pair() -> Any:
    reason = streaming_replica.unavailable()
    if reason:
        if os.environ.get("REQUIRE_STREAMING_REPLICA") == "1":
            pytest.fail(f"A streaming replica is required (REQUIRE_STREAMING_REPLICA=1), but {reason}.")
        pytest.skip(f"No streaming replica for this test: {reason}.")
    with streaming_replica.streaming_pair() as made:
        yield made


def test_reads_inside_from_replica_come_from_a_real_streaming_replica(pair: streaming_replica.StreamingPair) -> None:
    seen = _run_the_app(pair)
    # Two databases, the second a hot standby of the first that has its schema by replication.
    assert seen["in_recovery"] == {"default": False, "replica": True}
    assert seen["replica_has_the_schema"]
    assert seen["replay_state"] == "paused"
    # Outside the block: the primary, with the row written after the pause.
    assert seen["read_outside"] == [REPLAYED, NOT_REPLAYED]
    # Inside: the replica, which stopped before it.
    assert seen["read_inside"] == [REPLAYED]
    # A write inside the block goes to the primary; the paused replica does not have it.
    assert seen["written_to"] == "default"
    assert seen["written_row_on"] == {"default": 1, "replica": 0}
    assert seen["read_inside_after_writing"] == [REPLAYED]
    # The LA overview page: the access check found the membership made after the pause (the
    # primary), and the figures are the replica's. Its queries there are reads only.
    paused = seen["page_paused"]
    assert paused["status"] == 200
    assert paused["shows"] == [REPLAYED]
    assert paused["replica_queries"] > 0 and paused["replica_non_selects"] == []
    assert seen["overview_outside"] == [REPLAYED, NOT_REPLAYED, WRITTEN_INSIDE]
    # Replay resumed and caught up: the same page shows every setting.
    resumed = seen["page_resumed"]
    assert (resumed["status"], resumed["shows"]) == (200, [REPLAYED, NOT_REPLAYED, WRITTEN_INSIDE])
