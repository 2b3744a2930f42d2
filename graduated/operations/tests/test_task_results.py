"""`graduated purge-expired` removes finished task results (sent e-mails) past TASK_RESULTS_KEEP_DAYS."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from graduated.lib.mail import deliver_email
from graduated.operations.retention import expired_task_results, purge_task_results

S = TaskResultStatus


@pytest.fixture
def queued(settings: Any, db: None) -> None:
    """Tasks stored as the worker finds them (the tests otherwise run tasks at once, storing nothing)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    settings.TASK_RESULTS_KEEP_DAYS = 30


def _email(status: TaskResultStatus, finished_days_ago: float | None) -> str:
    """One queued e-mail, as the worker would have left it ``finished_days_ago`` days ago."""
    result = deliver_email.enqueue(
        subject="Review due", body="Priya's review is due on Friday.", from_email="from@example.org",
        to=["senco@example.org"], alternatives=[],
    )  # fmt: skip
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return str(result.id)


@pytest.fixture
def results(queued: None) -> dict[str, str]:
    return {
        "sent long ago": _email(S.SUCCESSFUL, 31),
        "failed long ago": _email(S.FAILED, 45),
        "sent lately": _email(S.SUCCESSFUL, 29),
        "failed lately": _email(S.FAILED, 1),
        "waiting": _email(S.READY, None),
        "running": _email(S.RUNNING, None),
    }


def _left() -> set[str]:
    return {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}


def test_finished_results_past_the_setting_go_and_nothing_else(results: dict[str, str]) -> None:
    assert {str(r.pk) for r in expired_task_results()} == {results["sent long ago"], results["failed long ago"]}
    assert purge_task_results() == 2
    assert _left() == {results[k] for k in ("sent lately", "failed lately", "waiting", "running")}
    assert purge_task_results() == 0


def test_the_setting_sets_the_age(results: dict[str, str], settings: Any) -> None:
    settings.TASK_RESULTS_KEEP_DAYS = 0
    assert purge_task_results() == 4
    assert _left() == {results["waiting"], results["running"]}


def test_purge_expired_removes_them_and_a_dry_run_only_counts(results: dict[str, str]) -> None:
    dry = StringIO()
    call_command("purge_expired", dry_run=True, stdout=dry)
    assert "2 task results finished over 30 days ago would be removed." in dry.getvalue()
    assert len(_left()) == 6
    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert "2 task results finished over 30 days ago removed." in out.getvalue()
    assert results["sent long ago"] not in _left() and len(_left()) == 4
