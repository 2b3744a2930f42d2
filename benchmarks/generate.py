"""Builds a benchmark database: one local authority at "LA scale", or a small one for CI.

    .venv/bin/python benchmarks/generate.py --scale la --dir /tmp/graduated-la
    .venv/bin/python benchmarks/generate.py --scale small --dir /tmp/graduated-small
    .venv/bin/python benchmarks/generate.py --scale la --dir /tmp/graduated-la-pg \\
        --database-url postgres://postgres@127.0.0.1:5432/graduated_bench

LA scale is one LA of 300 settings and 130,525 pupils, 20,896 of them on the SEN register and
8,358 with EHC plans, with three years of Assess-Plan-Do-Review cycles (outcomes, provision,
reviews), about 2.6 million delivery records (groups' registers among them), meetings, EHC case
work and exactly 770,000 audit events. Small is three settings and 600 pupils with the same shares.

The database is new: a SQLite file in ``--dir`` unless ``--database-url`` names another (a
PostgreSQL database is created if missing); an existing one is refused unless ``--force``. It is
migrated, then filled stage by stage, each stage in one transaction (SQLite with
``synchronous=OFF`` and WAL while it loads), through the models' own fields (see
``benchmarks/datagen/store.py`` for how, and why not ``bulk_create``). Every choice comes from
``--seed`` and the anchor day, ``--today`` (default: today): the same pair gives the same rows.

It writes ``manifest.json`` in ``--dir``: the database, the scale, the ids of a sample setting,
pupil, cycle, meeting, group and EHC cases, and the sample people (a SENCO, the LA officer, the LA
admin) with their password and authenticator secrets, which ``benchmarks/run.py`` signs in with.
The sample setting is the mainstream school with the most pupils on its register (the heaviest
school pages), its pupil the one there with the most cycles.
"""

import argparse
import io
import json
import os
import sys
import time
from datetime import date, datetime
from datetime import time as dt_time
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The app's commands that work its summaries out again after records are loaded in bulk: the LA
# dashboard's (graduated/oversight) and the intervention groups' impact (graduated/provision).
SUMMARY_COMMANDS = ["rebuild_oversight", "rebuild_impact", "rebuild_plan_quality"]
PASSWORD = "benchmark-only-password-2026"  # noqa: S105 - invented accounts in a benchmark database


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """The settings the generator runs with: production's, on the benchmark's own database."""
    return {
        "DATABASE_URL": database_url, "DATA_DIR": str(data_dir), "MEDIA_ROOT": str(data_dir / "uploads"),
        "STATIC_ROOT": str(data_dir / "static"), "SECRET_KEY": "benchmark-data-only-not-secret", "DEBUG": "0",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend", "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "graduated.settings",
    }  # fmt: skip


def prepare_database(database_url: str, force: bool) -> None:
    """Refuse (or, with ``force``, remove) an existing database; create a missing PostgreSQL one."""
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path)
        existing = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
        if existing and not force:
            sys.exit(f"{path} exists: choose another --dir, or add --force to replace it.")
        for found in existing:
            found.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(database_url) as target:
                tables = target.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
            if tables and tables[0] and not force:
                sys.exit(f"The database {name} holds tables: drop it, or add --force to replace it.")
            if tables and tables[0]:
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _sample(world: Any) -> dict[str, Any]:
    from benchmarks.datagen.world import PupilInfo

    mainstream = [s for s in world.settings if s.phase in ("primary", "secondary")] or world.settings
    setting = max(mainstream, key=lambda s: (s.register, -s.id))
    here = [p for p in world.pupils if p.setting is setting and p.status != "N"]
    open_cycles = {c.pupil.id: c for c in world.cycles if not c.closed and c.agreed_on}
    pupil: PupilInfo = max((p for p in here if p.id in open_cycles), key=lambda p: (p.cycles, -p.id))
    cycle = open_cycles[pupil.id]
    meeting = max((m for m in world.meetings if m[1] == pupil.id), key=lambda m: (m[2], m[0]), default=None)
    places: dict[int, int] = {}
    for group_id, setting_id in world.groups:
        if setting_id == setting.id:
            places[group_id] = places.get(group_id, 0) + 1
    cases = {p.request.outcome: p.request.id for p in reversed(world.pupils) if p.request and p.request.id}
    people = {
        "senco": (setting.senco_id, setting.senco_email),
        "la_officer": (world.officer_id, world.officer_email),
        "la_admin": (world.admin_id, world.admin_email),
    }
    return {
        "la_id": world.la_id,
        "setting_id": setting.id,
        "setting_name": setting.name,
        "setting_pupils": setting.pupils,
        "setting_register": setting.register,
        "pupil_id": pupil.id,
        "pupil_cycles": pupil.cycles,
        "cycle_id": cycle.id,
        "meeting_id": meeting[0] if meeting else None,
        "group_id": max(places, key=lambda g: (places[g], g)) if places else None,
        "ehc_case_id": cases.get("final"),
        "refused_case_id": cases.get("not_assessing"),
        "users": {
            key: {"id": pk, "email": email, "password": world.password, "totp_secret": world.secrets[pk]}
            for key, (pk, email) in people.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["la", "small"], default="small")
    parser.add_argument("--dir", type=Path, required=True, help="where the SQLite file and manifest.json go")
    parser.add_argument("--database-url", help="default: a new SQLite file, DIR/graduated.sqlite3")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--today", type=date.fromisoformat, help="the anchor day, YYYY-MM-DD (default: today)")
    parser.add_argument("--force", action="store_true", help="replace an existing benchmark database")
    arguments = parser.parse_args()

    data_dir = arguments.dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    database_url = arguments.database_url or f"sqlite:///{data_dir / 'graduated.sqlite3'}"
    prepare_database(database_url, arguments.force)
    os.environ.update(environment(data_dir, database_url))
    import django

    django.setup()
    from django.core.management import call_command, get_commands
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks.datagen import audit, bundle, casework, organisations, pupils, store, support
    from benchmarks.datagen.calendar import LONDON
    from benchmarks.datagen.world import SCALES, World

    today = arguments.today or timezone.localdate()
    now = datetime.combine(today, dt_time(18), tzinfo=LONDON) if arguments.today else timezone.now()
    world = World(SCALES[arguments.scale], arguments.seed, today, now, password=PASSWORD)
    began = time.perf_counter()
    timings: dict[str, float] = {}

    def stage(name: str, step: Any, rows: store.Store | None = None) -> None:
        started = time.perf_counter()
        before = sum(rows.counts().values()) if rows else 0
        if rows is None:
            step()
        else:
            with transaction.atomic():
                step(world, rows)
                rows.flush()
        timings[name] = round(time.perf_counter() - started, 1)
        made = f", {sum(rows.counts().values()) - before:,} rows" if rows else ""
        print(f"  {name:<14} {timings[name]:7.1f} s{made}", flush=True)

    print(f"Building the {arguments.scale} scale into {connection.vendor} ({database_url}), anchor day {today}:")
    stage("schema", lambda: call_command("migrate", verbosity=0, interactive=False))
    store.tune_for_loading()
    rows = store.Store(world.now)
    stage("organisations", organisations.build, rows)
    stage("pupils", pupils.build, rows)
    stage("support", support.build, rows)
    stage("meetings", casework.build_meetings, rows)
    stage("ehc", casework.build_ehc, rows)
    stage("audit", audit.build, rows)
    # Figures the LA's pages read from summaries kept up to date as records change: the rows above
    # went in without the app's own saving (no signals), so each is worked out once, whole.
    for command in SUMMARY_COMMANDS:
        if command in get_commands():
            said = io.StringIO()
            stage(command.removeprefix("rebuild_"), partial(call_command, command, stdout=said))
            print(f"    {said.getvalue().strip()}")
        else:
            print(f"  (no {command} command: nothing of it to rebuild)")
    stage("finish", lambda: store.finish(table.model for table in rows.tables.values()))
    sample = _sample(world)
    # After "finish": the app's own services save these rows, with ids from the reset sequences.
    sent: dict[str, int] = {}
    stage("bundle", lambda: sent.update(
        bundle.send_request(world, sample["setting_id"], sample["users"]["senco"]["id"], today)
    ))  # fmt: skip
    stage("sen2", lambda: bundle.build_sen2(world.la_id, world.officer_id, today))
    total = round(time.perf_counter() - began, 1)
    counts = rows.counts()
    print(f"Built in {total:.0f} s: {sum(counts.values()):,} rows.")
    for label in ("pupils.Pupil", "support.Cycle", "support.DeliveryRecord", "meetings.Meeting", "ehc.EHCPlan",
                  "audit.AuditEvent"):  # fmt: skip
        print(f"  {label:<24} {counts.get(label, 0):>10,}")
    register = sum(1 for p in world.pupils if p.status != "N")
    plans = sum(1 for p in world.pupils if p.status == "E")
    print(f"  on the SEN register now  {register:>10,} ({plans:,} with EHC plans), in {len(world.settings)} settings")
    manifest = {
        "scale": arguments.scale, "seed": arguments.seed, "today": today.isoformat(), "database_url": database_url,
        "vendor": connection.vendor, "built_seconds": total, "timings": timings, "counts": counts,
        "register": register, "ehc_plans": plans, **sample, **sent,
    }  # fmt: skip
    (data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"Wrote {data_dir / 'manifest.json'}")


if __name__ == "__main__":
    main()
