"""The sign-in limit holds when many wrong passwords arrive at the same moment.

The test's own live server cannot show it on SQLite: there all its threads share the test's one
in-memory connection. So the app runs as it does in production, under gunicorn with several
workers and threads, against a database file of its own (SQLite) or the test database (PostgreSQL).
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

WRONG = "Enter a correct e-mail address and password"
LOCKED = "Too many attempts to sign in"
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture
def app_server(transactional_db: None) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "DEBUG": "1", "DATA_DIR": data_dir, "SIGN_IN_MAX_FAILURES": "5"}
        if connection.vendor == "postgresql":
            db = settings.DATABASES["default"]
            env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        else:
            env["DATABASE_URL"] = ""
            _run(env, "migrate", "--no-input")
        _run(env, "shell", "-c", "from graduated.lib.testing import make_user; make_user('target@example.org')")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "graduated.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "20", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base_url}/healthz", timeout=1).close()  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            server.wait(timeout=20)


def _attempt(base_url: str, email: str, start: threading.Barrier) -> str:
    with urllib.request.urlopen(f"{base_url}/accounts/login/") as response:  # noqa: S310 - the test's own server
        page = response.read().decode()
        cookie = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": "wrong guess"})
    request = urllib.request.Request(f"{base_url}/accounts/login/", data=body.encode(), headers={"Cookie": cookie})  # noqa: S310
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return f"{response.status} {response.read().decode()}"
    except urllib.error.HTTPError as error:
        return f"{error.code} {error.read().decode()}"


def test_forty_simultaneous_wrong_passwords_get_at_most_the_limit_checked(app_server: str) -> None:
    start = threading.Barrier(40)
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda _: _attempt(app_server, "target@example.org", start), range(40)))
    assert all(answer.startswith("400 ") for answer in answers)
    checked = [answer for answer in answers if WRONG in answer]
    locked = [answer for answer in answers if LOCKED in answer]
    assert 1 <= len(checked) <= 5
    assert len(checked) + len(locked) == 40
