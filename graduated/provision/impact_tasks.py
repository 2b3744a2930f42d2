"""The background work of the impact figures: groups worked out again after a change (run by
``graduated worker``; queued by ``impact_summaries.refresh_after_commit``)."""

from django.tasks import task

from graduated.provision import impact_la, impact_summaries


@task(queue_name="default")
def refresh_impact(group_ids: list[int]) -> int:
    """Work out the groups' tallies from their records and save them: 10 queries a 400 groups."""
    refreshed = impact_summaries.refresh(group_ids)
    impact_la.refresh_blocks(refreshed)  # the LA pages' blocks they are in
    return len(refreshed)
