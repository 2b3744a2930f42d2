"""The background work: a setting's costed provision map, worked out again after a change to what it
costs (run by ``graduated worker``). Each is one costed provision map, a few dozen milliseconds,
kept off the request of the person who made the change."""

from django.tasks import task

from graduated.organisations.models import Setting
from graduated.oversight import summaries


@task(queue_name="default")
def refresh_setting_costs(setting_id: int, year: int) -> int:
    summaries.refresh_costs(setting_id, year)
    return 1


@task(queue_name="default")
def refresh_la_costs(local_authority_id: int, year: int) -> int:
    """Every setting of the LA: its term dates change the teaching weeks each of them counts."""
    ids = list(Setting.objects.filter(local_authority_id=local_authority_id).values_list("pk", flat=True))
    for setting_id in ids:
        summaries.refresh_costs(setting_id, year)
    return len(ids)
