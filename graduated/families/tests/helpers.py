from datetime import timedelta

from django.utils import timezone

from graduated.lib.testing import World
from graduated.pupils.models import Contact
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, Outcome, Provision


def mother_of_p1(world: World) -> Contact:
    """P1's mother, with parental responsibility and an e-mail address, as an MIS gives her."""
    return Contact.objects.create(
        pupil=world.p1, first_name="Rosa", last_name="One", relationship="Mother", parental_responsibility=True,
        email="rosa.one@example.com", priority=1,
    )  # fmt: skip


def plan_for_p1(world: World, sessions: list[tuple[int, str]]) -> Cycle:
    """P1's plan under way: one outcome, daily reading, and a session record for each (days ago, status)."""
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO,
        started_on=today - timedelta(days=40), review_date=today + timedelta(days=30),
    )  # fmt: skip
    Outcome.objects.create(
        cycle=cycle, position=1, description="Read a short book on her own", measure="Book band",
        baseline="Band 3", target="Band 5", by_when=today + timedelta(days=30), area="CL",
    )  # fmt: skip
    reading = Provision.objects.create(
        cycle=cycle, kind="intervention", description="Daily reading with Mrs Khan", sessions_per_week=5,
        minutes_per_session=15,
    )  # fmt: skip
    for days_ago, status in sessions:
        DeliveryRecord.objects.create(
            provision=reading, on=today - timedelta(days=days_ago), status=status,
            missed_reason="pupil_absent" if status == "missed" else "",
        )  # fmt: skip
    return cycle
