"""The benchmark suite keeps working: a small database generated, served by gunicorn and measured,
end to end, as `benchmarks/generate.py` and `benchmarks/run.py` do at LA scale (CI runs this).

It runs on the suite's database engine: on SQLite a file in a scratch directory; when the suite
runs on PostgreSQL (``DATABASE_URL``), a database of its own on that server, dropped afterwards.
The figures are not checked (a small database on a busy CI machine says nothing about speed):
only that every page answered 200, that each has its query count, and that the tables are written.
"""

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _environment() -> dict[str, str]:
    """The scripts set every setting they use themselves; nothing of the test run's leaks in."""
    return {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'data' / 'graduated.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(suite_url)
    url = urlunsplit(parts._replace(path=f"/graduated_bench_smoke_{uuid.uuid4().hex[:12]}"))
    yield url  # generate.py creates it
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own scripts, with our own arguments
        [sys.executable, *command], cwd=ROOT, env=_environment(), capture_output=True, text=True, timeout=600
    )


def test_small_scale_is_generated_served_and_measured(tmp_path: Path, database_url: str) -> None:
    data, results = tmp_path / "data", tmp_path / "results"
    built = _run("benchmarks/generate.py", "--scale", "small", "--dir", str(data), "--database-url", database_url)
    assert built.returncode == 0, built.stdout + built.stderr
    manifest = json.loads((data / "manifest.json").read_text())
    assert manifest["counts"]["pupils.Pupil"] == 600
    assert manifest["counts"]["audit.AuditEvent"] == 3_540
    assert manifest["register"] == 96 and manifest["ehc_plans"] == 38

    ran = _run(
        "benchmarks/run.py", "--dir", str(data), "--results-dir", str(results), "--name", "smoke",
        "--static", "sources", "--workers", "2", "--repeat", "3", "--warmup", "1", "--throughput-seconds", "1",
        "--load-users", "4", "--load-seconds", "3",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    figures = json.loads((results / "smoke.json").read_text())
    pages = figures["pages"]
    assert len(pages) >= 30
    assert [p["name"] for p in pages if p["status"] != 200] == []
    assert all(isinstance(p["queries"], int) and p["queries"] > 0 for p in pages)
    assert all(p["requests"] == 3 and p["p95_ms"] > 0 for p in pages)
    assert {(t["label"], t["connections"]) for t in figures["throughput"]} == {
        ("/healthz", 1),
        ("/healthz", 8),
        ("school pages", 1),
        ("school pages", 8),
    }
    assert [(run["users"], run["reads"]["errors"], run["writes"]["errors"]) for run in figures["load"]] == [(4, 0, 0)]
    table = (results / "smoke.md").read_text()
    assert "| Pupil page (`/pupils/" in table and "| SEN2 CSV (`/ehc/la/" in table
