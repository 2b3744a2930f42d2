"""The summaries stay right as records change: each change, once committed, works its keys out again,
and what they hold is always what the rebuild works out from scratch."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from graduated.access import actor_in
from graduated.lib.testing import World
from graduated.meetings import services as meeting_services
from graduated.meetings.models import AttendeeKind, Meeting
from graduated.oversight import receivers, summaries
from graduated.oversight.models import CostSummary, DeliveryTally, ItemCost, ParentMeetings, TermSnapshot
from graduated.oversight.tests.scenario import ACTOR, TODAY, Northshire, build, log, parent_meeting
from graduated.provision import cost_services
from graduated.provision.cost_forms import Period
from graduated.provision.provision_maps import setting_map
from graduated.support import reviews

Capture = Callable[..., Any]


def _tallies(setting_id: int) -> set[tuple[int, int, int | None, int, int]]:
    return set(
        DeliveryTally.objects.filter(setting_id=setting_id).values_list(
            "year_starting", "season", "shared_item_id", "delivered", "missed"
        )
    )


def _meetings(pupil_id: int) -> dict[int, int]:
    return dict(ParentMeetings.objects.filter(pupil_id=pupil_id).values_list("year_starting", "meetings"))


@pytest.fixture
def north(world: World, django_capture_on_commit_callbacks: Capture) -> Northshire:
    with django_capture_on_commit_callbacks(execute=True):
        return build(world)


def test_each_session_logged_is_counted_once_committed(
    north: Northshire, django_capture_on_commit_callbacks: Capture
) -> None:
    a = north.world.setting_a.pk
    assert (2026, 0, north.talk_boost.pk, 3, 1) in _tallies(a)
    with django_capture_on_commit_callbacks(execute=True):
        log(north.p1_talk_boost, date(2026, 9, 14))
        log(north.p1_talk_boost, date(2026, 9, 8), "missed")  # a correction: delivered becomes missed
    assert (2026, 0, north.talk_boost.pk, 3, 2) in _tallies(a)


def test_the_tallies_wait_for_the_commit(north: Northshire, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        log(north.p1_talk_boost, date(2026, 9, 14))
    assert (2026, 0, north.talk_boost.pk, 3, 1) in _tallies(north.world.setting_a.pk)  # not yet
    mine = [callback for callback in callbacks if isinstance(callback, receivers.Pending)]
    assert len(mine) == 1  # one for the transaction, however many signals it sent
    mine[0]()
    assert (2026, 0, north.talk_boost.pk, 4, 1) in _tallies(north.world.setting_a.pk)


def test_meetings_with_parents_follow_every_change(
    north: Northshire, django_capture_on_commit_callbacks: Capture
) -> None:
    p1 = north.world.p1.pk
    assert _meetings(p1) == {2026: 2}  # two with a parent, one without
    assert _meetings(north.nia.pk) == {2025: 1}  # June's is last year's
    with django_capture_on_commit_callbacks(execute=True):
        parent_meeting(north.world.p1, date(2026, 11, 23))
    assert _meetings(p1) == {2026: 3}
    # Changing who came (a versioned save and the attendees replaced in bulk): the audit event tells.
    meeting = Meeting.objects.filter(pupil_id=p1, held_on=date(2026, 11, 23)).get()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.update_meeting(
            actor=actor_in(north.world.senco_a, north.world.setting_a), meeting=meeting,
            changes={"held_on": date(2026, 8, 20)}, expected_version=meeting.version,
            attendees=[meeting_services.AttendeeData(AttendeeKind.STAFF, "Sam Senco", "SENCO")],
        )  # fmt: skip
    assert _meetings(p1) == {2026: 2}
    with django_capture_on_commit_callbacks(execute=True):
        Meeting.objects.filter(pupil_id=p1, held_on=date(2026, 9, 21)).get().delete()
    assert _meetings(p1) == {2026: 1}


def test_costs_are_worked_out_again_after_a_change_to_what_they_cost(
    north: Northshire, django_capture_on_commit_callbacks: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The task runs at once in the tests (ImmediateBackend) once the change commits."""
    monkeypatch.setattr(receivers, "summaries_year", lambda: 2026)
    a = north.world.setting_a
    summaries.refresh_costs(a.pk, 2026)
    assert CostSummary.objects.get(setting=a, year_starting=2026).total == Decimal("166.67")
    senco = actor_in(north.world.senco_a, a)
    with django_capture_on_commit_callbacks(execute=True):
        cost_services.save_cost_settings(
            actor=senco, setting=a, hourly={"teaching_assistant": Decimal("24.00")}, budgets={},
            versions={cost_services.role_key("teaching_assistant"): 1},
        )  # fmt: skip
    # 5 × 10 minutes a week ÷ 60 × £24.00 × 10 weeks = £200.00
    summary = CostSummary.objects.get(setting=a, year_starting=2026)
    assert summary.total == Decimal("200.00") == setting_map(a, Period.academic_year(2026)).total
    assert ItemCost.objects.get(setting=a, year_starting=2026, shared_item=north.talk_boost).cost == Decimal("200.00")


def test_what_the_changes_kept_is_what_the_rebuild_works_out(
    north: Northshire, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        log(north.p1_talk_boost, date(2026, 9, 15))
        parent_meeting(north.nia, date(2026, 10, 1))
        reviews.log_delivery(
            actor=actor_in(north.world.senco_a, north.world.setting_a), provision=north.p1_talk_boost,
            on=date(2026, 9, 16), status="missed", missed_reason="staff_absent",
        )  # fmt: skip
    kept = (_tallies(north.world.setting_a.pk), _meetings(north.nia.pk), _meetings(north.world.p1.pk))
    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    assert (_tallies(north.world.setting_a.pk), _meetings(north.nia.pk), _meetings(north.world.p1.pk)) == kept


def test_the_rebuild_command_makes_every_summary(north: Northshire, capsys: pytest.CaptureFixture[str]) -> None:
    DeliveryTally.objects.all().delete()
    ParentMeetings.objects.all().delete()
    call_command("rebuild_oversight", "--la", str(north.world.la_north.pk))
    out = capsys.readouterr().out
    assert "2 settings" in out and "term snapshots" in out
    assert DeliveryTally.objects.filter(setting=north.world.setting_a).exists()
    assert ParentMeetings.objects.filter(pupil=north.world.p3).exists()
    assert CostSummary.objects.filter(setting=north.world.setting_b).exists()  # zero, but worked out
    assert TermSnapshot.objects.filter(setting=north.world.setting_a).count() == 3
    assert not TermSnapshot.objects.filter(setting=north.world.setting_c).exists()  # another LA's


def test_the_nightly_run_takes_only_the_term_figures(north: Northshire, capsys: pytest.CaptureFixture[str]) -> None:
    DeliveryTally.objects.all().delete()
    call_command("rebuild_oversight", "--terms")
    assert TermSnapshot.objects.filter(setting=north.world.setting_c).count() == 3
    assert not DeliveryTally.objects.exists()


def test_an_unknown_la_is_refused(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No local authority has the id 999"):
        call_command("rebuild_oversight", "--la", "999")


# -- Register lines: brought up to date from the audit trail ------------------------------------------


def _dashboard(north: Northshire, today: date = TODAY) -> Any:
    from graduated.organisations.models import Setting
    from graduated.oversight.selectors import overview

    return overview(north.world.la_north, Setting.objects.filter(local_authority=north.world.la_north), today)


def _row(dashboard: Any, setting: Any) -> Any:
    return next(row for row in dashboard.settings if row.setting.pk == setting.pk)


def test_a_change_saved_through_the_app_is_on_the_next_dashboard_without_a_rebuild(north: Northshire) -> None:
    from graduated.pupils import services as pupil_services
    from graduated.pupils.codes import SENProvision

    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    beech = north.world.setting_b
    before = _row(_dashboard(north), beech).counts.sen_support
    pupil_services.change_sen_status(
        actor=ACTOR, pupil=north.omar, status=SENProvision.SEN_SUPPORT, start_date=date(2026, 11, 30),
        reason="Needs identified after a term of quality first teaching",
    )  # fmt: skip
    after = _dashboard(north)
    assert _row(after, beech).counts.sen_support == before + 1
    assert _row(after, beech).health.without_plan >= 1  # Omar has no cycle yet
    assert after.totals.sen_support == sum(row.counts.sen_support for row in after.settings)


def test_lines_agree_with_working_them_out_from_scratch(north: Northshire) -> None:
    from graduated.oversight import register_lines
    from graduated.oversight.models import RegisterLine

    def stored() -> set[tuple[Any, ...]]:
        return set(RegisterLine.objects.values_list(*register_lines.LINE_COLUMNS, "on_roll_until"))

    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    parent_meeting(north.nia, date(2026, 11, 20))  # through the app: audited
    _dashboard(north)  # syncs
    synced = stored()
    register_lines.rebuild(TODAY)
    assert stored() == synced
    nia = RegisterLine.objects.get(pupil=north.nia)
    assert (nia.status, nia.primary_need, nia.meetings, nia.meetings_year) == ("K", "NSA", 1, 2026)
    assert nia.cycle_status and nia.planning and not nia.has_outcome  # her cycle has no outcome yet


def test_what_passes_with_time_is_compared_with_the_day(north: Northshire) -> None:
    from graduated.pupils.models import Enrolment

    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    ash = north.world.setting_a
    counts_now = _row(_dashboard(north), ash).counts
    # Ezra leaves Ash at the end of next week: counted until then, not after (no change in between).
    [enrolment] = Enrolment.objects.filter(pupil=north.ezra, setting=ash)
    enrolment.end_date = date(2026, 12, 11)
    enrolment.save(update_fields=["end_date"])
    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    assert _row(_dashboard(north), ash).counts.ehc_plans == counts_now.ehc_plans
    assert _row(_dashboard(north, date(2026, 12, 14)), ash).counts.ehc_plans == counts_now.ehc_plans - 1
    # P1's two parent meetings this year count for nothing in the next academic year.
    p1_short_now = _row(_dashboard(north), ash).health.short_of_meetings
    later = _dashboard(north, date(2027, 9, 6))
    assert _row(later, ash).health.short_of_meetings >= p1_short_now


def test_a_change_committed_late_is_still_found(north: Northshire) -> None:
    """An event's time is taken before its transaction commits: the sync reads the last minutes again."""
    from datetime import timedelta

    from django.utils import timezone

    from graduated.oversight.models import LineSync
    from graduated.pupils import services as pupil_services
    from graduated.pupils.codes import SENProvision

    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    beech = north.world.setting_b
    before = _row(_dashboard(north), beech).counts.sen_support
    pupil_services.change_sen_status(
        actor=ACTOR, pupil=north.omar, status=SENProvision.SEN_SUPPORT, start_date=date(2026, 11, 30), reason="Late",
    )  # fmt: skip
    # As if another request had synced just after the event's time, before its commit.
    LineSync.objects.update(synced_at=timezone.now() + timedelta(minutes=2))
    assert _row(_dashboard(north), beech).counts.sen_support == before + 1


def test_with_nothing_changed_the_sync_is_two_queries(north: Northshire, django_assert_num_queries: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from graduated.oversight import register_lines
    from graduated.oversight.models import LineSync

    summaries.rebuild(local_authority=north.world.la_north, today=TODAY)
    # A sync long after the scenario's changes (made seconds ago): they are behind its margin.
    LineSync.objects.update(synced_at=timezone.now() + register_lines.SYNC_MARGIN + timedelta(minutes=1))
    with django_assert_num_queries(2):
        register_lines.sync(TODAY)
