"""Operations: settings from the environment, the health check, the CLI, e-mail through the worker."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

import graduated.settings as settings_module
from graduated.lib.mail import deliver_email

ROOT = Path(__file__).resolve().parents[3]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        # The suite's own settings (see graduated/lib/pytest_environment.py) stay out of the child.
        if key
        not in (
            "DATABASE_URL",
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "SECURE_SSL_REDIRECT",
            "STATIC_MANIFEST",
        )
    }
    environment.update({"DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "graduated.settings", **env})
    return subprocess.run(args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)


def test_health_check_answers_ok(db: None) -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_health_check_answers_503_when_the_database_does_not(tmp_path: Path) -> None:
    script = (
        "import django; django.setup(); from django.test import Client; print(Client().get('/healthz').status_code)"
    )
    result = _run(
        [sys.executable, "-c", script],
        tmp_path,
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        # Nothing listens on port 9 (discard) of this machine: the connection is refused.
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nothing",
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="send.example.org",
        STATIC_MANIFEST="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_key_is_mandatory_outside_debug(tmp_path: Path) -> None:
    result = _run([sys.executable, "manage.py", "check"], tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_passwords_are_hashed_with_argon2() -> None:
    # The suite swaps in a fast hasher; the settings module itself must lead with argon2.
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    validators = [v["NAME"].rsplit(".", 1)[-1] for v in settings_module.AUTH_PASSWORD_VALIDATORS]
    assert "MinimumLengthValidator" in validators and "CommonPasswordValidator" in validators


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    script = (
        "import django; django.setup(); from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])\n"
        "    c.execute('PRAGMA synchronous'); print(c.fetchone()[0])"
    )
    result = _run([sys.executable, "-c", script], tmp_path, DEBUG="1")
    assert result.stdout.split() == ["wal", "1"], result.stderr  # 1 is NORMAL


def test_cli_migrates_checks_and_creates_an_la_admin(tmp_path: Path) -> None:
    cli = [sys.executable, "-m", "graduated.cli"]
    assert _run([*cli, "migrate"], tmp_path, DEBUG="1").returncode == 0
    checked = _run([*cli, "check"], tmp_path, DEBUG="1")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "The installation is ready." in checked.stdout
    created = _run(
        [
            *cli,
            "create-la-admin",
            "--email",
            "Lead@Example.org",
            "--name",
            "Lee Lead",
            "--la-code",
            "860",
            "--la-name",
            "Northshire",
        ],
        tmp_path,
        DEBUG="1",
    )
    assert created.returncode == 0, created.stderr
    assert "lead@example.org is an LA admin of Northshire." in created.stdout
    assert "/accounts/reset/" in created.stdout
    refused = _run(
        [*cli, "create-la-admin", "--email", "x@example.org", "--name", "X", "--la-code", "999"], tmp_path, DEBUG="1"
    )
    assert refused.returncode != 0 and "no LA with code 999" in refused.stderr


# The real worker closes database connections between tasks, which a test wrapped in one
# transaction cannot survive on PostgreSQL: this test commits for real.
def test_e_mail_waits_for_the_worker(transactional_db: None, settings: pytest.FixtureRequest) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}  # type: ignore[attr-defined]
    mail.send_mail("Review due", "Priya's review is due on Friday.", "from@example.org", ["senco@example.org"])
    assert mail.outbox == []  # queued, not sent
    call_command("db_worker", batch=True, queue_name="*", verbosity=0)
    assert [m.subject for m in mail.outbox] == ["Review due"]
    assert mail.outbox[0].to == ["senco@example.org"]


def test_deliver_email_task_keeps_html_alternatives(db: None) -> None:
    deliver_email.enqueue(
        subject="S",
        body="plain",
        from_email="a@example.org",
        to=["b@example.org"],
        alternatives=[("<p>rich</p>", "text/html")],
    )
    assert mail.outbox[0].alternatives[0].content == "<p>rich</p>"
