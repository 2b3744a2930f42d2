"""One page of a benchmark database, in this process: its time, its SQL statements with the
slowest first, and (with ``--profile``) the functions it spent the time in.

    .venv/bin/python benchmarks/profile_page.py --dir /tmp/graduated-la --who la_officer /organisations/la/1/
    .venv/bin/python benchmarks/profile_page.py --dir /tmp/graduated-la --who senco --profile /pupils/116866/

It reads ``manifest.json`` in ``--dir`` (written by ``benchmarks/generate.py``), signs the person in
with a session whose second step is passed (no HTTP: the page alone is measured, through the test
client, with production's settings and DEBUG off), requests the path ``--repeat`` times after one
warm-up request and prints the median time, then the statements of the last request. Use it to find
why a page in the benchmark's table is over budget; the table itself comes from ``run.py``.
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--who", default="senco", help="a key of the manifest's users: senco, la_officer, la_admin")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=12, help="statements (and functions) to print")
    parser.add_argument("--profile", action="store_true", help="also profile one request with cProfile")
    arguments = parser.parse_args()

    data_dir = arguments.dir.resolve()
    manifest = json.loads((data_dir / "manifest.json").read_text())
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "graduated.settings", "DEBUG": "0", "SECRET_KEY": "profile-only-not-secret",
        "ALLOWED_HOSTS": "testserver", "DATABASE_URL": manifest["database_url"], "DATA_DIR": str(data_dir),
        "MEDIA_ROOT": str(data_dir / "uploads"), "STATIC_ROOT": str(data_dir / "static"), "STATIC_MANIFEST": "0",
        "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING", "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
    })  # fmt: skip
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from graduated.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
    from graduated.accounts.second_factor import set_verified

    person = get_user_model().objects.get(pk=manifest["users"][arguments.who]["id"])
    client = Client()
    client.force_login(person)
    session = client.session
    set_verified(session, "totp")  # as after a code from the app
    session[SESSION_STARTED] = session[SESSION_LAST_SEEN] = time.time()
    session.save()

    def get() -> int:
        response = client.get(arguments.path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response.status_code

    print(f"warm-up: HTTP {get()}")
    times = []
    for _ in range(arguments.repeat):
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            get()
        times.append((time.perf_counter() - began) * 1000)
    queries = captured.captured_queries
    print(f"{arguments.path}: median {statistics.median(times):.1f} ms of {arguments.repeat}, {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms in SQL")  # fmt: skip
    for query in sorted(queries, key=lambda q: -float(q["time"]))[: arguments.top]:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:400]}")
    if arguments.profile:
        profiler = cProfile.Profile()
        profiler.runcall(get)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(arguments.top * 3)


if __name__ == "__main__":
    main()
