from datetime import date

import pytest
from django.core.management import call_command

from graduated.pathway.models import Concern, PupilStage
from graduated.pupils.models import ChronologyEntry, SENStatusPeriod


@pytest.mark.django_db
def test_the_demo_gives_consistent_stages_and_a_mix_of_concerns() -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=None)

    current_stage = {p.pupil_id: p.stage.key for p in PupilStage.objects.current().select_related("stage")}
    current_status = dict(SENStatusPeriod.objects.current().values_list("pupil_id", "status"))
    on_k = [pupil for pupil, status in current_status.items() if status == "K"]
    on_e = [pupil for pupil, status in current_status.items() if status == "E"]
    assert on_k and on_e
    allowed_with_k = {"sen_support", "specialist_involvement", "my_support_plan"}
    assert all(current_stage.get(pupil) in allowed_with_k for pupil in on_k)
    assert all(current_stage.get(pupil) == "ehc_plan" for pupil in on_e)
    assert any(current_stage.get(pupil) == "specialist_involvement" for pupil in on_k)
    off = [pupil for pupil, status in current_status.items() if status == "N"]
    assert all(
        current_stage.get(pupil, "quality_first_teaching") in {"quality_first_teaching", "monitoring"} for pupil in off
    )
    assert not PupilStage.objects.filter(start_date__gt=date(2026, 11, 13)).exists()

    concerns = Concern.objects.select_related("pupil")
    assert 12 <= concerns.count() <= 20
    assert {c.decision for c in concerns} == {None, "monitor", "no_further_action", "start_sen_support"}
    millbeck_open = Concern.objects.open().filter(pupil__enrolments__setting__urn="146208")
    assert millbeck_open.count() >= 3
    for concern in concerns.filter(decision="start_sen_support"):
        assert current_status[concern.pupil_id] == "K"
        assert concern.parents_notified_on is not None
    told = ChronologyEntry.objects.filter(kind="parents_notified", summary="Parents told that SEN support is starting")
    assert told.count() == 5
    assert not Concern.objects.filter(raised_on__gt=date(2026, 11, 13)).exists()
