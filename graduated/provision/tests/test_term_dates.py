"""The LA admin records the LA's school term dates; bad dates are explained and nothing is saved."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World
from graduated.provision.models import TermBlock, TermDates
from graduated.provision.tests.term_factories import TERM_DATES_2026, term_dates_form

ClientFor = Callable[..., Client]


def _url(world: World) -> str:
    return reverse("provision:term_dates", args=[world.la_north.pk])


def _stored() -> list[tuple[str, date, date]]:
    return list(TermBlock.objects.order_by("starts_on").values_list("half_term", "starts_on", "ends_on"))


def _with(**changes: Any) -> dict[str, Any]:
    return {**TERM_DATES_2026, **changes}


def test_the_la_admin_records_a_years_term_dates(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    page = client.get(_url(world), {"year": "2026"})
    assert page.status_code == 200
    assert "Term dates for 2026/27" in page.content.decode()
    response = client.post(_url(world), term_dates_form())
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    assert _stored()[0] == ("autumn_1", date(2026, 9, 3), date(2026, 10, 23))
    assert _stored()[-1] == ("summer_2", date(2027, 6, 7), date(2027, 7, 22))
    assert len(_stored()) == 6
    event = AuditEvent.objects.get(object_type="provision.termdates")
    assert event.action == AuditAction.CREATE and event.description.startswith(
        "Term dates of Northshire for 2026/27 recorded: Autumn 1 3 Sep 2026 to 23 Oct 2026;"
    )
    # The year's row: 37 + 35 + 30 + 24 + 35 + 34 = 195 school days, 39.0 teaching weeks.
    shown = client.get(_url(world), {"year": "2026"}).content.decode()
    assert "The term dates for 2026/27 have been saved." in shown
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">195</td>' in shown
    assert "39.0" in shown and 'value="23"' in shown


def test_changing_one_half_term_changes_only_that_and_audits_it(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    client.post(_url(world), term_dates_form())
    changed = _with(spring_2=((22, 2, 2027), (26, 3, 2027)))
    assert client.post(_url(world), term_dates_form(changed, version=1)).status_code == 302
    assert TermDates.objects.get().version == 2
    assert ("spring_2", date(2027, 2, 22), date(2027, 3, 26)) in _stored()
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE, object_type="provision.termdates").get()
    assert event.changed_fields == ["spring_2"]
    # The same dates again change nothing, and say so.
    again = client.post(_url(world), term_dates_form(changed, version=2), follow=True)
    assert "Nothing was changed." in again.content.decode()
    assert TermDates.objects.get().version == 2


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (_with(autumn_1=((31, 2, 2027), (23, 10, 2026))), "First day of autumn 1 must be a real date"),
        (_with(autumn_2=(("", 11, 2026), (18, 12, 2026))), "First day of autumn 2 must include a day"),
        (
            _with(spring_1=((4, 1, 2027), (3, 1, 2027))),
            "The last day of spring 1 must be the same as or after its first day",
        ),
        (
            _with(autumn_2=((20, 10, 2026), (18, 12, 2026))),
            "Autumn 2 must start after autumn 1 ends on 23 October 2026: half terms cannot overlap",
        ),
        (
            _with(summer_2=((7, 6, 2027), (2, 9, 2027))),
            "Last day of summer 2 must be the same as or before 31 August 2027",
        ),
        (_with(summer_1=((10, 4, 2027), (11, 4, 2027))), "Summer 1 must include at least one weekday"),
    ],
)  # fmt: skip
def test_bad_dates_are_explained_and_nothing_is_saved(
    world: World, client_for: ClientFor, blocks: dict[str, Any], message: str
) -> None:
    response = client_for(world.la_admin_north).post(_url(world), term_dates_form(blocks))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not TermDates.objects.exists() and not AuditEvent.objects.filter(object_type="provision.termdates")


def test_a_malformed_year_is_a_400_with_a_message(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    assert "Enter the academic year as the year it starts" in client.get(_url(world), {"year": "26"}).content.decode()
    assert client.get(_url(world), {"year": "26"}).status_code == 400
    assert client.post(_url(world), {**term_dates_form(), "year": "next"}).status_code == 400
    assert not TermDates.objects.exists()


def test_a_stale_save_is_refused_showing_what_is_saved_now(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    client.post(_url(world), term_dates_form())  # version 1
    # Another admin moved the end of autumn 2 since this form (still at version 1) was opened...
    client.post(_url(world), term_dates_form(_with(autumn_2=((2, 11, 2026), (17, 12, 2026))), version=1))
    # ...and this one, from a form opened at version 1, changes spring 1.
    mine = _with(spring_1=((5, 1, 2027), (12, 2, 2027)))
    response = client.post(_url(world), term_dates_form(mine, version=1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed these term dates" in page
    assert "Saved now" in page and "2 November 2026 to 17 December 2026" in page
    assert 'name="version" value="2"' in page  # saving again, having seen it, is their decision
    assert ("spring_1", date(2027, 1, 4), date(2027, 2, 12)) in _stored()  # nothing of theirs was saved
    # A first save that meets dates someone else recorded a moment ago is refused the same way.
    TermDates.objects.all().delete()
    client.post(_url(world), term_dates_form())
    assert client.post(_url(world), term_dates_form(mine, version=0)).status_code == 409


@pytest.mark.parametrize("persona", ["officer_north", "officer_south", "senco_a", "head_a"])
def test_only_the_las_admin_may_record_term_dates(world: World, client_for: ClientFor, persona: str) -> None:
    client = client_for(getattr(world, persona))
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), term_dates_form()).status_code == 404
    assert not TermDates.objects.exists()


def test_the_las_catalogue_links_to_its_term_dates(world: World, client_for: ClientFor) -> None:
    page = client_for(world.la_admin_north).get(reverse("provision:catalogue", args=["la", world.la_north.pk]))
    assert _url(world) in page.content.decode()


def test_recorded_term_dates_cost_a_pupils_provision(world: World, client_for: ClientFor) -> None:
    from graduated.provision.tests.group_factories import hourly_costs
    from graduated.support.models import Cycle, CycleStatus, Provision

    client_for(world.la_admin_north).post(_url(world), term_dates_form())
    hourly_costs(world.setting_a, teaching_assistant="20.00")
    cycle = Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="Reading with an adult", staff_role="teaching_assistant",
        sessions_per_week=1, minutes_per_session=60, group_size=1, starts_on=date(2026, 10, 19),
        ends_on=date(2026, 11, 6),
    )  # fmt: skip
    # 19–23 October = 5 school days; 26–30 October is half term; 2–6 November = 5: 10 ÷ 5 = 2.0
    # weeks × £20.00 = £40.00 (the even spread would have charged 19 days: 2.0 weeks too, by chance
    # of rounding: 19 × 39 ÷ 365 = 2.03).
    page = client_for(world.senco_a).get(reverse("provision:pupil_map", args=[world.p1.pk]), {"year": "2026"})
    text = page.content.decode()
    assert "10 school days in Northshire&#x27;s terms ÷ 5 = 2.0 (not charged: the October half term)" in text
    assert "£40.00" in text
