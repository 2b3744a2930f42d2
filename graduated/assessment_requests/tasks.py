"""The background work of a sent request: making its evidence bundle (bundles.make_bundle).

Runs under ``graduated worker`` (django.tasks with the database backend), enqueued once the sending
(or a "try again") commits; the request's page and the LA's case page show how far it has got.
"""

from django.tasks import task

from graduated.assessment_requests import bundles


@task(queue_name="default")
def build_bundle(prepared_id: int) -> None:
    """Make and store the evidence bundle of a sent request, from what it held when it was sent."""
    bundles.make_bundle(prepared_id)
