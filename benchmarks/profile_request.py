"""Where a request's time goes: the whole path (every middleware, the view, the template, the audit
write, the session and the database connection), in this process, through the WSGI handler gunicorn
calls.

    .venv/bin/python benchmarks/profile_request.py                  # a new demo database in a temp dir
    .venv/bin/python benchmarks/profile_request.py --data /tmp/g    # build it there once, reuse it after
    .venv/bin/python benchmarks/profile_request.py --data /tmp/g --print-cookie   # for throughput.py

It builds the demo (``manage.py migrate``, ``load_demo``, ``collectstatic``) into a SQLite database
with production settings (DEBUG off, hashed static files), signs in the demo SENCO of Millbeck
Primary (a session with the second step passed, as after a code from the app), and then, for
/healthz and for the page of the Millbeck pupil with the most support cycles, sends ``--warmup``
requests, times ``--requests`` more, and profiles as many again with cProfile, printing per request
the time, the SQL statements (with the writes among them) and the ``--top`` functions by cumulative
time. Requests go to ``graduated.wsgi.application`` as gunicorn's do, so the request_started and
request_finished signals (which open and close database connections) fire as in production.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SENCO_EMAIL = "senco.primary@example.org"
PARENT_EMAIL = "parent.primary@example.org"  # their child is the Millbeck pupil with the most cycles


def environment(data: Path) -> dict[str, str]:
    """Production settings on a scratch database: what gunicorn would run with, minus HTTPS."""
    return {
        "DATABASE_URL": f"sqlite:///{data / 'demo.sqlite3'}", "DATA_DIR": str(data),
        "MEDIA_ROOT": str(data / "uploads"), "STATIC_ROOT": str(data / "static"),
        "SECRET_KEY": "benchmark-only-not-secret", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "graduated.settings",
    }  # fmt: skip


def setup(data: Path) -> None:
    os.environ.update(environment(data))
    import django

    django.setup()
    from django.core.management import call_command

    if not (data / "demo.sqlite3").exists() or not (data / "static" / "staticfiles.json").exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", "--create-demo-accounts-with-known-passwords", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        print(f"Built the demo in {data} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def senco_cookie() -> str:
    """A session of the Millbeck SENCO, signed in and past the second step, as the Cookie header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from graduated.accounts import second_factor
    from graduated.accounts.models import User

    user = User.objects.get(email=SENCO_EMAIL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    second_factor.set_verified(session, second_factor.Method.APP)
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def pupil_path() -> str:
    from graduated.families.models import FamilyLink

    link = FamilyLink.objects.filter(user__email=PARENT_EMAIL, ended_at__isnull=True).first()
    assert link is not None, "the demo's parent has no child: is the demo loaded?"
    return f"/pupils/{link.pupil_id}/"


def call(path: str, cookie: str) -> tuple[int, int]:
    """One GET through the WSGI application, as gunicorn makes it; returns the status and body size."""
    from graduated.wsgi import application

    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "text/html", "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False,
    }  # fmt: skip
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        status.append(line)
        return lambda data: None

    response = application(environ, start_response)
    try:
        size = sum(len(chunk) for chunk in response)
    finally:
        close = getattr(response, "close", None)
        if close:
            close()  # request_finished: what closes (or keeps) the database connection
    return int(status[0].split()[0]), size


def statements(path: str, cookie: str) -> Counter[str]:
    """The SQL a request sends, by its first word (SELECT, INSERT, UPDATE, ...) and table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call(path, cookie)
    kinds: Counter[str] = Counter()
    for query in captured.captured_queries:
        sql = query["sql"].lstrip()
        verb = sql.split(None, 1)[0].upper() if sql else "?"
        table = ""
        for marker in (" FROM ", "INSERT INTO ", "UPDATE "):
            if marker in sql.upper():
                rest = sql[sql.upper().index(marker) + len(marker) :].split()
                table = rest[0].strip('"') if rest else ""
                break
        kinds[f"{verb} {table}".strip()] += 1
    return kinds


def profile(label: str, path: str, cookie: str, warmup: int, requests: int, top: int) -> None:
    for _ in range(warmup):
        call(path, cookie)
    status, size = call(path, cookie)
    began, began_cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        call(path, cookie)
    per_request = (time.perf_counter() - began) / requests * 1000
    cpu_per_request = (time.process_time() - began_cpu) / requests * 1000
    kinds = statements(path, cookie)
    writes = {kind: count for kind, count in kinds.items() if not kind.startswith("SELECT")}
    print(f"\n=== {label}: GET {path} -> {status}, {size / 1024:.0f} KB")
    print(
        f"{per_request:.2f} ms a request ({cpu_per_request:.2f} ms of CPU; mean of {requests}, no profiler); "
        f"{sum(kinds.values())} SQL statements, of which not SELECT: {writes or 'none'}"
    )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call(path, cookie)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    entries = stats.stats.items()  # type: ignore[attr-defined]
    width = max(1, requests)
    total = sum(own for (_, _, _), (_, _, own, _, _) in entries)
    areas: defaultdict[str, float] = defaultdict(float)
    for function, (_, _, own, _, callers) in entries:
        for area, share in _shares(stats.stats, function, callers, own).items():  # type: ignore[attr-defined]
            areas[area] += share
    print(f"where the time goes (own time, profiled: {total / width * 1000:.1f} ms a request under cProfile):")
    for area, own in sorted(areas.items(), key=lambda item: item[1], reverse=True):
        print(f"  {own / total * 100:5.1f}%  {area}")
    print(f"top {top} by cumulative time, per request (profiled; cProfile slows everything down about 2x):")
    print(f"{'cum ms':>8} {'own ms':>8} {'calls':>7}  function")
    ranked = sorted(entries, key=lambda item: item[1][3], reverse=True)
    for (filename, line, name), (_, calls, own, cumulative, _) in ranked[:top]:
        print(
            f"{cumulative / width * 1000:8.3f} {own / width * 1000:8.3f} {calls / width:7.1f}  "
            f"{_short(filename)}:{line}({name})"
        )


def _short(filename: str) -> str:
    where = filename.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")
    for marker in ("site-packages/", "lib/python3"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return where


def _shares(
    table: dict[Any, Any], function: tuple[str, int, str], callers: dict[Any, Any], own: float, depth: int = 0
) -> defaultdict[str, float]:
    """A function's own time by area: Python's own functions (builtins, copy, inspect, ...) count
    for whoever called them (up to four callers up), so that getattr called by the ORM is the ORM's."""
    area = _area(function[0], function[2])
    shares: defaultdict[str, float] = defaultdict(float)
    if area != PYTHON or depth >= 4 or not callers:
        shares[area] += own
        return shares
    called = sum(entry[2] for entry in callers.values()) or 1.0
    for caller, entry in callers.items():
        parent = table.get(caller)
        for name, share in _shares(
            table, caller, parent[4] if parent else {}, own * entry[2] / called, depth + 1
        ).items():
            shares[name] += share
    return shares


PYTHON = "Python itself (builtins, copy, inspect, datetime, ...)"


def _area(filename: str, name: str) -> str:
    """Which part of the request a function belongs to, for the summary."""
    where = _short(filename)
    if "sqlite3" in name or "SQLite" in name or "psycopg" in where or where.startswith("django/db/backends"):
        return "database driver and connection (SQL executed, connect, close)"
    if where.startswith("django/db/models"):
        return "ORM: building and compiling queries, making model instances"
    if where.startswith(("django/template", "django/templatetags")) or "templatetags" in where:
        return "templates"
    if where.startswith("graduated/"):
        return "Graduated's own code (views, selectors, middleware)"
    if where.startswith("django/contrib/sessions") or where.startswith("django/contrib/auth"):
        return "sessions and authentication"
    if where.startswith(("django/", "whitenoise/", "django_htmx/", "asgiref/")):
        return "the rest of Django (handler, middleware, urls, http, utils, i18n)"
    return PYTHON


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a directory for the demo database (built there if missing)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", choices=["healthz", "pupil"], help="profile one of the two pages")
    parser.add_argument(
        "--print-cookie", action="store_true", help="print a signed-in SENCO's Cookie header and the pupil page's path"
    )
    arguments = parser.parse_args()
    data = arguments.data or Path(tempfile.mkdtemp(prefix="graduated-profile-"))
    data.mkdir(parents=True, exist_ok=True)
    setup(data.resolve())
    cookie = senco_cookie()
    pupil = pupil_path()
    if arguments.print_cookie:
        print(cookie)
        print(pupil)
        return
    if arguments.only in (None, "healthz"):
        profile("health check", "/healthz", "", arguments.warmup, arguments.requests, arguments.top)
    if arguments.only in (None, "pupil"):
        profile(
            "pupil page, signed in as the SENCO", pupil, cookie, arguments.warmup, arguments.requests, arguments.top
        )


if __name__ == "__main__":
    main()
