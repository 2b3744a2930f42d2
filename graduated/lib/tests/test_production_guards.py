"""Production guards: bad Host headers, uncollected static files."""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest.mock import ANY

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

ROOT = Path(__file__).resolve().parents[3]
# The suite's own settings (graduated/lib/pytest_environment.py) stay out of the child.
_SUITE_ONLY = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "STATIC_MANIFEST", "STATIC_ROOT"}
_SUITE_ONLY |= {"SECURE_SSL_REDIRECT", "MEDIA_ROOT"}


@pytest.fixture
def production_hosts(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["send.example.org"]


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/no-such-page/", "/healthz"])
def test_an_unknown_host_header_gets_the_400_page(db: None, production_hosts: None, path: str) -> None:
    # raise_request_exception=False: the client then answers as the server would, 500 page included.
    client = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 400
    assert "Sorry, there is a problem with this request" in response.content.decode()


def test_an_unknown_host_header_on_a_post_gets_400(db: None, production_hosts: None) -> None:
    client = Client(HTTP_HOST="evil.example", raise_request_exception=False, enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 400


def test_the_allowed_host_still_answers(db: None, production_hosts: None) -> None:
    response = Client(HTTP_HOST="send.example.org").get("/healthz", secure=True)
    assert (response.status_code, response.content) == (200, b"ok")


def test_error_pages_render_without_user_or_session(rf: RequestFactory, db: None) -> None:
    """What the handlers meet when a middleware refuses a request before sign-in runs."""
    from graduated.lib import views

    request = rf.get("/")
    assert not hasattr(request, "user") and not hasattr(request, "session")
    for handler, status in ((views.bad_request, 400), (views.permission_denied, 403), (views.page_not_found, 404)):
        assert handler(request, Exception()).status_code == status
    assert views.server_error(request).status_code == 500


def _graduated(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``graduated ...`` in a child process with production settings and its own database."""
    environment = {key: value for key, value in os.environ.items() if key not in _SUITE_ONLY}
    environment.update(
        DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="graduated.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="send.example.org",
        STATIC_MANIFEST="1",
        **env,
    )
    command = [sys.executable, "-m", "graduated.cli", *args]
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180, check=False)


def test_check_fails_when_static_files_are_not_collected(tmp_path: Path) -> None:
    # A fresh install as an administrator meets it: production settings, nothing collected yet.
    result = _graduated(["check"], tmp_path)
    assert result.returncode != 0
    assert "Static files: not collected (no staticfiles.json in STATIC_ROOT)" in result.stderr
    assert "graduated manage collectstatic --no-input" in result.stderr
    assert str(tmp_path / "static") in result.stderr


@pytest.fixture
def manifest_static_files(settings: Settings, tmp_path: Path) -> Path:
    """Production's hashed static files in a scratch STATIC_ROOT (in-process: a child process costs
    seconds). DEBUG on only so that the deployment checks, which the suite's settings fail, stay out."""
    settings.DEBUG = True
    settings.STATIC_MANIFEST = True
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return tmp_path / "static"


def _check() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("check_install", stdout=out)
    except CommandError as error:
        return False, str(error)
    return True, out.getvalue()


def test_check_passes_once_static_files_are_collected(db: None, manifest_static_files: Path) -> None:
    assert _check() == (False, ANY)
    call_command("collectstatic", interactive=False, verbosity=0)
    ready, output = _check()
    assert ready, output
    assert "Static files: ok" in output and "The installation is ready." in output


def test_check_fails_on_a_damaged_manifest(db: None, manifest_static_files: Path) -> None:
    manifest_static_files.mkdir()
    (manifest_static_files / "staticfiles.json").write_text("not json")
    ready, output = _check()
    assert not ready
    assert "Static files: the manifest cannot be read" in output


def test_check_fails_on_an_out_of_date_collection(db: None, manifest_static_files: Path) -> None:
    manifest_static_files.mkdir()
    (manifest_static_files / "staticfiles.json").write_text('{"version": "1.1", "paths": {}, "hash": ""}')
    ready, output = _check()
    assert not ready
    assert "the collected files are out of date" in output
