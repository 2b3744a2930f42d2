"""The background work: the e-mails about one change (run by ``graduated worker``)."""

from django.tasks import task

from graduated.family_notices import sending


@task(queue_name="default")
def send_notices(entry_id: int) -> int:
    """E-mail the change to each family member who wants it as it happens (each e-mail is then
    queued for delivery on the "email" queue); returns how many were sent."""
    return sending.send_for_entry(entry_id)
