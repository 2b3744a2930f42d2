"""The background work of the LA's case work: building the SEN2 return (sen2_builds.make_return).

Runs under ``graduated worker`` (django.tasks with the database backend), enqueued once the asking
(``sen2_builds.ask_for_build``) commits; the SEN2 check page shows how far it has got.
"""

from django.tasks import task

from graduated.ehc import sen2_builds


@task(queue_name="default")
def build_sen2_return(build_id: int) -> None:
    """Build the LA's SEN2 return for a year from its cases as they stand, and store it."""
    sen2_builds.make_return(build_id)
