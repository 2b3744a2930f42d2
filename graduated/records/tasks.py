"""The background work of an import (graduated/records/runs.py): the check, and the import itself.

Both run under ``graduated worker`` (django.tasks with the database backend); a page shows their
progress and refreshes itself while they work.
"""

from django.tasks import task

from graduated.records import runs


@task(queue_name="default")
def check_import(run_id: int) -> None:
    """Read and check the whole file: the dry run the person sees before importing."""
    runs.check(run_id)


@task(queue_name="default")
def run_import(run_id: int) -> None:
    """Import the file's pupils, chunk by chunk."""
    runs.run_import(run_id)
