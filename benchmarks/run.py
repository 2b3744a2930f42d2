"""Measures the app against a database made by ``benchmarks/generate.py``, served as in production.

    .venv/bin/python benchmarks/run.py --dir /tmp/graduated-la
    .venv/bin/python benchmarks/run.py --dir /tmp/graduated-la --load-seconds 600   # the design's 10 minutes

It migrates nothing: it reads ``manifest.json`` in ``--dir`` and serves that database with gunicorn
(``graduated serve``, ``--workers`` 4, DEBUG off, the production settings README.md lists, behind
a TLS-terminating proxy as far as the app can tell: ``SECURE_PROXY_SSL_HEADER=1``, HTTPS redirects
on, hashed static files collected once into ``--dir``). It signs in as the manifest's sample SENCO,
LA officer and LA admin through the sign-in pages, with the code their authenticator app would
show now (computed from the secret the generator gave them). Then:

1. /healthz, and each page in ``benchmarks/runner/pages.py`` (every page that lists or shows
   pupil data at the sample school, every LA page and export): the SQL queries of one request,
   made in this process through Django's test client against the same database (the second of
   two, so that nothing cached at start-up counts), then ``--warmup`` and ``--repeat`` requests
   one after another over HTTP, timed whole on the loopback: p50, p95, and p50 over /healthz's.
2. Requests a second at 1 and 8 connections for /healthz and for the six named school pages
   (``benchmarks/throughput.py``), ``--throughput-seconds`` each.
3. Concurrent users (``--load-users``, default 20 and 50) for ``--load-seconds`` each, a tenth
   of them writing (a delivery logged, a concern raised) and the rest reading school pages:
   requests, errors, requests a second and p95 for reads and writes.

The results go to ``--results-dir`` (benchmarks/results) as ``NAME.json`` and ``NAME.md`` (NAME:
``--name``, default the scale and database, e.g. ``la-sqlite``). It exits 1 if any page did not
answer 200 or a load run had errors; pages over budget are reported, not failed.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.runner import load, report  # noqa: E402
from benchmarks.runner.browser import Browser, sign_in  # noqa: E402
from benchmarks.runner.pages import PAGES, Page, unmeasured_la_routes  # noqa: E402

HOST = "127.0.0.1"


def server_environment(
    data_dir: Path, manifest: dict[str, Any], port: int, secret_key: str, static: str
) -> dict[str, str]:
    """Production's settings (README.md, "Running in production") on the benchmark's database."""
    return {
        "DJANGO_SETTINGS_MODULE": "graduated.settings", "DEBUG": "0", "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": f"{HOST},localhost", "SITE_URL": f"https://{HOST}:{port}",
        "DATABASE_URL": manifest["database_url"], "DATA_DIR": str(data_dir), "MEDIA_ROOT": str(data_dir / "uploads"),
        "STATIC_ROOT": str(data_dir / "static"), "STATIC_MANIFEST": "1" if static == "collected" else "0",
        "SECURE_PROXY_SSL_HEADER": "1", "SECURE_SSL_REDIRECT": "1", "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "DEFAULT_FROM_EMAIL": "Graduated <no-reply@example.org>",
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _clean_environment(settings: dict[str, str]) -> dict[str, str]:
    """Only what a service manager would give the server: no settings leaking in from this shell."""
    kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    return {**kept, **settings}


def start_server(settings: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    # No control socket: its default path is one per user, shared by every gunicorn running (tests too).
    command = [sys.executable, "-m", "graduated.cli", "serve", f"{HOST}:{port}", "--workers", str(workers),
               "--no-control-socket"]  # fmt: skip
    with log.open("ab") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=_clean_environment(settings), stdout=output,  # noqa: S603
                                  stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 60
    probe = Browser(HOST, port, timeout=5)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up (exit {server.returncode}); see {log}")
        try:
            if probe.get("/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer /healthz within a minute; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


WORKER_TIMEOUT = 30.0  # gunicorn's default: a request still running then ends with its worker
SLOW_SECONDS = 2.0  # a page slower than this in this process is counted once, and warmed up once


def _get(browser: Browser, path: str) -> tuple[int, float]:
    """The status and time of one request; status 0 when the connection failed."""
    began = time.perf_counter()
    try:
        answer = browser.get(path)
    except (OSError, http.client.HTTPException):
        return 0, time.perf_counter() - began
    return answer.status, answer.seconds


def time_requests(
    browser: Browser, path: str, warmup: int, repeat: int, page_seconds: float
) -> tuple[int, list[float], str]:
    """The status (the first that was not 200, else 200), the timed requests' seconds, and why a
    request failed, when one did. A slow page stops warming up, and then being timed (after five
    requests), once it has taken ``page_seconds``."""

    def failed(status: int, seconds: float) -> str:
        return f"after {seconds:.0f} s: gunicorn's worker timeout" if seconds >= WORKER_TIMEOUT - 1 else ""

    began = time.monotonic()
    for _ in range(warmup):
        status, seconds = _get(browser, path)
        if status != 200:
            return status, [], failed(status, seconds)
        if time.monotonic() - began > page_seconds:
            break
    times: list[float] = []
    began = time.monotonic()
    while len(times) < repeat:
        status, seconds = _get(browser, path)
        if status != 200:
            return status, times, failed(status, seconds)
        times.append(seconds)
        if len(times) >= 5 and time.monotonic() - began > page_seconds:
            break
    return 200, times, ""


def count_queries(session_key: str, path: str) -> tuple[int, int | None, str, float]:
    """One request in this process through the test client, as the person whose session this is:
    the status, the number of SQL statements, an error, and how long it took here (beside
    gunicorn's figures when those time out). The second of two requests, so that nothing cached on
    the first counts, unless the first took seconds: by then the earlier pages have warmed
    everything that is cached."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    status, queries, seconds = 0, None, 0.0
    for attempt in range(2):
        if attempt and seconds > SLOW_SECONDS:
            break
        began = time.perf_counter()
        try:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True, headers={"host": HOST, "x-forwarded-proto": "https"})
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)  # type: ignore[attr-defined]
        except Exception as error:  # reported, not raised: the other pages still run
            return 500, None, f"{type(error).__name__}: {error}", time.perf_counter() - began
        status, queries, seconds = response.status_code, len(captured.captured_queries), time.perf_counter() - began
    return status, queries, "", seconds


def write_targets(setting_id: int) -> load.WriteTargets:
    """Forms the writers send: open cycles in Do at the sample school (a delivery logged today),
    and pupils there not on the register (a concern raised)."""
    from django.utils import timezone

    from graduated.pupils.models import Pupil
    from graduated.support.models import Provision

    today = timezone.localdate()
    deliveries = (
        Provision.objects.filter(
            cycle__setting_id=setting_id,
            cycle__status="do",
            starts_on__lte=today,
            ends_on__isnull=True,
            cycle__started_on__lte=today,
        )
        .order_by("cycle_id", "id")
        .values_list("cycle__pupil_id", "cycle_id", "id")
    )
    seen: set[int] = set()
    targets = []
    for pupil, cycle, provision in deliveries:
        if cycle not in seen:
            seen.add(cycle)
            targets.append((pupil, cycle, provision))
    concerns = Pupil.objects.filter(
        enrolments__setting_id=setting_id, sen_statuses__end_date__isnull=True, sen_statuses__status="N"
    ).order_by("id")
    return load.WriteTargets(targets[:60], list(concerns.values_list("id", flat=True)[:60]))


def _database_version() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def _scale(manifest: dict[str, Any]) -> dict[str, Any]:
    counts = manifest["counts"]
    return {
        "name": manifest["scale"], "pupils": counts.get("pupils.Pupil", 0),
        "settings": counts.get("organisations.Setting", 0),
        "register": manifest["register"], "ehc_plans": manifest["ehc_plans"], "cycles": counts.get("support.Cycle", 0),
        "deliveries": counts.get("support.DeliveryRecord", 0), "audit_events": counts.get("audit.AuditEvent", 0),
        "setting_name": manifest["setting_name"], "setting_pupils": manifest["setting_pupils"],
        "setting_register": manifest["setting_register"], "pupil_cycles": manifest["pupil_cycles"],
        "today": manifest["today"], "built_seconds": manifest["built_seconds"],
    }  # fmt: skip


def measure_pages(
    pages: list[Page], manifest: dict[str, Any], browsers: dict[str, Browser], arguments: argparse.Namespace,
    healthz_p50: float, measured: list[dict[str, Any]],
) -> None:  # fmt: skip
    """Each page's figures, appended to ``measured`` as they are taken."""
    for page in pages:
        path = page.url(manifest)
        if path is None:
            raise RuntimeError(f"The manifest has no record for {page.name} ({page.path}): is the data complete?")
        browser = browsers[page.who]
        status, queries, error, in_process = count_queries(browser.cookies.get("sessionid", ""), path)
        times: list[float] = []
        if status == 200:
            warmup = 1 if in_process > SLOW_SECONDS else arguments.warmup
            status, times, error = time_requests(browser, path, warmup, arguments.repeat, arguments.page_seconds)
        p50, p95 = (load.percentile(times, 0.5), load.percentile(times, 0.95)) if times else (None, None)
        row = {
            "name": page.name, "path": path, "who": page.who, "kind": page.kind, "status": status, "error": error,
            "queries": queries, "in_process_ms": round(in_process * 1000, 1), "requests": len(times),
            "p50_ms": p50, "p95_ms": p95,
            "ratio": round(p50 / healthz_p50, 1) if p50 is not None and healthz_p50 else None,
            "budget_ms": page.budget_ms, "passed": status == 200 and p95 is not None and p95 < page.budget_ms,
        }  # fmt: skip
        measured.append(row)
        shown = f"{p50:8.1f} {p95:8.1f} ms" if p50 is not None and p95 is not None else f"HTTP {status} {error}"
        print(f"  {page.name:<32} {queries if queries is not None else '-':>4} queries {shown}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="the directory generate.py wrote (manifest.json)")
    parser.add_argument("--name", help="results file name (default: SCALE-DATABASE, e.g. la-sqlite)")
    parser.add_argument("--results-dir", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--repeat", type=int, default=40, help="timed requests a page")
    parser.add_argument("--warmup", type=int, default=3, help="requests a page before timing")
    parser.add_argument("--page-seconds", type=float, default=60.0, help="stop timing a slow page after this long")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--throughput-seconds", type=float, default=10.0)
    parser.add_argument("--load-seconds", type=float, default=60.0, help="each concurrent run's length")
    parser.add_argument("--load-users", default="20,50", help="comma-separated; empty for none")
    parser.add_argument("--static", choices=["collected", "sources"], default="collected",
                        help="collected: hashed files, as in production (collectstatic once, ~1 min); sources: "
                             "STATIC_MANIFEST=0, for a quick smoke run")  # fmt: skip
    arguments = parser.parse_args()

    data_dir = arguments.dir.resolve()
    manifest = json.loads((data_dir / "manifest.json").read_text())
    port = _free_port()
    settings = server_environment(data_dir, manifest, port, secrets.token_urlsafe(40), arguments.static)
    # This process makes the in-process requests that count queries: the same settings, and the
    # test client's host name.
    os.environ.update({**settings, "ALLOWED_HOSTS": settings["ALLOWED_HOSTS"] + ",testserver"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    load_before = os.getloadavg()
    if arguments.static == "collected" and not (data_dir / "static" / "staticfiles.json").exists():
        print("Collecting static files (once for this directory)...", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    log = data_dir / "gunicorn.log"
    print(f"Serving {manifest['scale']} scale ({connection.vendor}) with gunicorn, {arguments.workers} workers, "
          f"on {HOST}:{port} (log: {log})", flush=True)  # fmt: skip
    results: dict[str, Any] = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"), "machine": report.machine(),
        "database": {"vendor": connection.vendor, "version": _database_version()}, "scale": _scale(manifest),
        "workers": arguments.workers, "repeat": arguments.repeat, "warmup": arguments.warmup,
        "throughput_seconds": arguments.throughput_seconds, "healthz": {}, "pages": [], "throughput": [],
        "load": [], "unmeasured_la_routes": unmeasured_la_routes(), "interrupted": "",
    }  # fmt: skip
    # Stopped from outside (a SIGTERM): the server is stopped and what was measured is written.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(143))
    server = start_server(settings, port, arguments.workers, log)
    try:
        measure(manifest, arguments, port, results)
    except (SystemExit, KeyboardInterrupt) as stop:
        results["interrupted"] = f"stopped from outside ({type(stop).__name__}) after {len(results['pages'])} pages"
        print(results["interrupted"], file=sys.stderr)
    finally:
        stop_server(server)
        results["seconds"] = round(time.perf_counter() - started, 1)
        results["load_average"] = {
            "start": [round(x, 1) for x in load_before],
            "end": [round(x, 1) for x in os.getloadavg()],
        }
        name = arguments.name or f"{manifest['scale']}-{connection.vendor}"
        as_json, as_markdown = report.write(results, arguments.results_dir, name)
        print(f"Wrote {as_markdown} and {as_json} in {results['seconds']:.0f} s")
    failed = [p["name"] for p in results["pages"] if p["status"] != 200]
    failed += [f"{r['users']} users" for r in results["load"] if r["reads"]["errors"] or r["writes"]["errors"]]
    failed += [f"{t['label']} × {t['connections']}" for t in results["throughput"] if t["errors"]]
    if failed or results["interrupted"]:
        print(f"Errors: {', '.join(failed) or 'none'}; {results['interrupted'] or 'not interrupted'}", file=sys.stderr)
        sys.exit(1)


def measure(manifest: dict[str, Any], arguments: argparse.Namespace, port: int, results: dict[str, Any]) -> None:
    """Sign in, then fill ``results`` as each part is measured (so that a run stopped midway keeps
    what it measured)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    browsers = {}
    for who, person in manifest["users"].items():
        device = TOTPDevice.objects.get(user_id=person["id"], confirmed=True)
        browsers[who] = Browser(HOST, port)
        sign_in(browsers[who], person["email"], person["password"], person["totp_secret"], device.last_t)
    anonymous = Browser(HOST, port)
    status, times, _ = time_requests(anonymous, "/healthz", arguments.warmup, max(arguments.repeat, 40), 30)
    healthz = {"status": status, "p50_ms": load.percentile(times, 0.5), "p95_ms": load.percentile(times, 0.95)}
    results["healthz"] = healthz
    print(f"  {'/healthz':<32}              {healthz['p50_ms']:8.1f} {healthz['p95_ms']:8.1f} ms", flush=True)
    measure_pages(PAGES, manifest, browsers, arguments, healthz["p50_ms"], results["pages"])
    base = f"http://{HOST}:{port}"
    school = [p.url(manifest) or "" for p in PAGES if p.throughput]
    for label, paths, headers in (("/healthz", ["/healthz"], anonymous.headers()),
                                  ("school pages", school, browsers["senco"].headers())):  # fmt: skip
        for connections in (1, 8):
            row = load.load(base, paths, connections, arguments.throughput_seconds, headers)
            results["throughput"].append({"label": label, "connections": connections, **row})
            print(f"  {label} × {connections}: {row['rps']:.1f} requests/s, p95 {row['p95_ms']:.1f} ms, "
                  f"{row['errors']} errors", flush=True)  # fmt: skip
    targets = write_targets(manifest["setting_id"])
    for users in [int(n) for n in arguments.load_users.split(",") if n.strip()]:
        row = load.mixed(base, school, browsers["senco"], targets, users, arguments.load_seconds)
        results["load"].append(row)
        reads, writes = row["reads"], row["writes"]
        first_error = f"; first error: {writes['first_error']}" if writes["first_error"] else ""
        print(f"  {users} users: reads {reads['requests']} ({reads['errors']} errors, p95 {reads['p95_ms']:.1f} "
              f"ms), writes {writes['requests']} ({writes['errors']} errors, p95 {writes['p95_ms']:.1f} ms)"
              f"{first_error}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
