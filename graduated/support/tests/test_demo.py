from datetime import timedelta

import pytest
from django.core.management import call_command

from graduated.demo.data import LATEST_EVENT
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, Review

pytestmark = pytest.mark.django_db


def test_demo_cycles_are_realistic() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", verbosity=0)
    cycles = Cycle.objects.all()
    millbeck = cycles.filter(setting__name="Millbeck Primary School")
    assert millbeck.values("pupil").distinct().count() >= 8
    assert cycles.exclude(setting__name="Millbeck Primary School").exists()
    # Every pupil's cycles run 1, 2, ... with only the latest open, in Do.
    for pupil_id in cycles.values_list("pupil", flat=True).distinct():
        mine = list(cycles.filter(pupil_id=pupil_id).order_by("number"))
        assert [c.number for c in mine] == list(range(1, len(mine) + 1))
        assert [c.status for c in mine[:-1]] == [CycleStatus.CLOSED] * (len(mine) - 1)
        assert mine[-1].status == CycleStatus.DO
        assert 1 <= len(mine) <= 3
    assert Review.objects.count() == cycles.filter(status=CycleStatus.CLOSED).count() > 0
    assert cycles.filter(outcomes__carried_from__isnull=False).exists()
    open_cycles = cycles.filter(status=CycleStatus.DO)
    assert open_cycles.filter(review_date__gt=LATEST_EVENT, review_date__lte=LATEST_EVENT + timedelta(days=14)).exists()
    assert open_cycles.filter(review_date__lt=LATEST_EVENT).exists()
    recent = DeliveryRecord.objects.filter(provision__cycle__status=CycleStatus.DO)
    assert recent.filter(on__gte=LATEST_EVENT - timedelta(days=14)).exists()
    assert not DeliveryRecord.objects.filter(on__gt=LATEST_EVENT).exists()
    assert recent.filter(status="missed").exclude(missed_reason="").exists()
    assert ChronologyEntry.objects.filter(kind=ChronologyKind.PLAN_AGREED).count() == cycles.count()
