"""How long an import of N pupils takes, and how much memory it needs, on a fresh SQLite database.

    .venv/bin/python benchmarks/import_pupils.py --pupils 130000

Makes a temporary directory with a new SQLite database (migrated) and uploads folder, writes a CSV
of N invented pupils as an MIS exports them (a fifth on the SEN register with one or two needs, two
contacts each), and imports it into one setting through the import service exactly as the pages
do: the check (the dry run, graduated/records/runs.py ``check``), then the import (``run_import``),
each timed. ``--again`` imports the same file a second time (every pupil unchanged). The budget
(docs/design.md) is under 60 seconds for 130,000 pupils on 2 cores; the figure printed is the
check and the import together. Peak memory is the process's maximum resident set size.
"""

import argparse
import cProfile
import csv
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = [
    "UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Gender", "Year", "Admission Date",
    "SEN Status", "SEN Start Date", "Primary Need", "Secondary Need", "SEN Unit", "Resourced Provision",
    "Contact 1 Forename", "Contact 1 Surname", "Contact 1 Relationship", "Contact 1 Parental Responsibility",
    "Contact 1 Email", "Contact 1 Telephone", "Contact 2 Forename", "Contact 2 Surname", "Contact 2 Relationship",
    "Contact 2 Parental Responsibility", "Contact 2 Email", "Contact 2 Telephone",
]  # fmt: skip
FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Hassan",
    "Isla",
    "Jack",
    "Kai",
    "Lila",
    "Musa",
    "Nia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Owen",
    "Patel",
]
NEEDS = ["SLCN", "ASD", "SEMH", "SPLD", "MLD", "HI", "VI", "PD", "OTH"]


def _upn(index: int) -> str:
    from graduated.pupils.identifiers import check_letter

    body = f"860{5000 + index // 16000:04d}{10 + (index // 1000) % 16:02d}{index % 1000:03d}"
    return check_letter(body) + body


def write_csv(path: Path, pupils: int, today: date, *, change_every: int = 0) -> None:
    """The invented pupils; with ``change_every`` N, every Nth has a new surname, a new SEN status (and
    need) and new contacts, as a later export of the same MIS would."""
    rng = random.Random(20261202)  # noqa: S311 - invented data, the same every run
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(pupils):
            born = date(today.year - 5 - rng.randrange(12), 1, 1) + timedelta(days=rng.randrange(365))
            first, last = rng.choice(FIRST), rng.choice(LAST)
            roll = rng.random()
            provision = "E" if roll < 0.04 else "K" if roll < 0.2 else "N"
            primary = rng.choice(NEEDS) if provision != "N" else ""
            secondary = rng.choice([n for n in NEEDS if n != primary]) if primary and rng.random() < 0.3 else ""
            sen_start = (today - timedelta(days=30 + rng.randrange(900))).strftime("%d/%m/%Y") if primary else ""
            if change_every and i % change_every == 0:
                last = f"{last}-Smith"
                provision, primary, sen_start = ("K", "SLCN", "") if provision == "N" else ("N", "", "")
                secondary = ""
            writer.writerow([
                _upn(i), last, first, "", born.strftime("%d/%m/%Y"), rng.choice("MF"), "",
                date(born.year + 4, 9, 1).strftime("%d/%m/%Y"), provision, sen_start, primary, secondary, "N", "N",
                rng.choice(FIRST), last, "Mother", "Y", f"parent{i}@example.com", "07700 900123",
                rng.choice(FIRST), last, "Father", "Y", "", "07700 900456",
            ])  # fmt: skip


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=10_000)
    parser.add_argument("--again", action="store_true", help="import the same file a second time")
    parser.add_argument("--changed", type=int, default=0, metavar="N",
                        help="with --again: the second file changes every Nth pupil")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--profile", action="store_true", help="print where the first import spends its time")
    arguments = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="graduated-import-benchmark-"))
    os.environ.update({
        "DATABASE_URL": f"sqlite:///{scratch / 'benchmark.sqlite3'}", "MEDIA_ROOT": str(scratch / "uploads"),
        "DATA_DIR": str(scratch), "SECRET_KEY": "benchmark-only-not-secret", "DEBUG": "0",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend", "LOG_LEVEL": "WARNING",
    })  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "graduated.settings")
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command
    from django.utils import timezone

    from graduated.access import actor_in
    from graduated.accounts.models import User
    from graduated.organisations.models import LocalAuthority, Membership, Phase, Role, Setting
    from graduated.records import runs
    from graduated.records.csv_import import guess_mapping
    from graduated.records.models import ImportKind, ImportRun

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    la = LocalAuthority.objects.create(name="Benchshire", code="860")
    setting = Setting.objects.create(name="Bench Academy", urn="199999", phase=Phase.SECONDARY, local_authority=la)
    user = User.objects.create_user(email="senco@example.org", password=None, full_name="Bench Senco")
    Membership.objects.create(user=user, role=Role.SENCO, setting=setting)
    today = timezone.localdate()
    path = scratch / "pupils.csv"
    write_csv(path, arguments.pupils, today)
    size = path.stat().st_size
    print(f"Set up in {time.perf_counter() - started:.1f} s: {arguments.pupils:,} pupils, {size / 1e6:.1f} MB of CSV")
    print(f"Peak memory before importing: {_peak_mb():.0f} MB")

    for attempt in range(2 if arguments.again else 1):
        if attempt and arguments.changed:
            write_csv(path, arguments.pupils, today, change_every=arguments.changed)
        with path.open("rb") as stream:
            upload = File(stream, name="pupils.csv")
            actor = actor_in(user, setting)
            run = runs.upload(actor=actor, setting=setting, user=user, file=upload, kind=ImportKind.CSV)  # type: ignore[arg-type]
        ImportRun.objects.filter(pk=run.pk).update(
            mapping=guess_mapping(run.details["headers"]), status="checking"
        )  # the columns, as matched on the page
        profiler = cProfile.Profile() if arguments.profile else None
        began = time.perf_counter()
        if profiler:
            profiler.enable()
        runs.check(run.pk)
        checked = time.perf_counter()
        ImportRun.objects.filter(pk=run.pk).update(status="queued")  # as `start` queues it
        runs.run_import(run.pk)
        finished = time.perf_counter()
        if profiler:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        run.refresh_from_db()
        again = f"every {arguments.changed}th pupil changed" if arguments.changed else "the same file"
        label = f"Second import ({again})" if attempt else "Import"
        print(
            f"{label}: status {run.status}{': ' + run.error if run.error else ''}; {run.created:,} created, "
            f"{run.updated:,} changed, {run.unchanged:,} unchanged, {run.refused:,} refused"
        )
        print(
            f"  check (dry run) {checked - began:.1f} s + import {finished - checked:.1f} s = "
            f"{finished - began:.1f} s; peak memory {_peak_mb():.0f} MB"
        )
    if arguments.keep:
        print(f"Kept {scratch}")
    else:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
