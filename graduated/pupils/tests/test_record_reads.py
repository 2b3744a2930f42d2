"""The pupil page's reads: what ``selectors.pupil_record`` returns and what it saves the panels."""

from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.pupils import selectors, services
from graduated.pupils.models import Need, Pupil
from graduated.pupils.templatetags.pupils_tags import needs_abbreviated, sen_status_tag

ACTOR = Actor.system("test")


def test_current_needs_by_rank_and_past_needs_latest_ended_first_in_one_query(world: World) -> None:
    pupil = world.p1
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="MLD", rank=1, start_date=date(2024, 1, 1))
    services.end_need(actor=ACTOR, need=pupil.needs.current().get(), end_date=date(2024, 3, 1))
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="HI", rank=1, start_date=date(2024, 3, 2))
    services.end_need(actor=ACTOR, need=pupil.needs.current().get(), end_date=date(2024, 6, 1))
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="SLCN", rank=2, start_date=date(2024, 6, 2))
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="ASD", rank=1, start_date=date(2024, 6, 2))
    record = selectors.pupil_record(Pupil.objects.get(pk=pupil.pk))
    current, past = cast("list[Need]", record["current_needs"]), cast("list[Need]", record["past_needs"])
    assert [(n.sen_type, n.rank) for n in current] == [("ASD", 1), ("SLCN", 2)]
    assert [n.sen_type for n in past] == ["HI", "MLD"]


def test_the_pupil_page_remembers_the_current_status_for_its_panels(world: World) -> None:
    services.change_sen_status(actor=ACTOR, pupil=world.p1, status="E", start_date=date(2024, 2, 1))
    pupil = Pupil.objects.get(pk=world.p1.pk)
    record = selectors.pupil_record(pupil, remember_status=True)
    with CaptureQueriesContext(connection) as asked:
        remembered = services.current_status(pupil)
    assert remembered is record["current_status"] and remembered is not None and remembered.status == "E"
    assert len(asked.captured_queries) == 0
    # Any other page (and any write) reads it from the database, as before.
    fresh = Pupil.objects.get(pk=world.p1.pk)
    selectors.pupil_record(fresh)
    with CaptureQueriesContext(connection) as asked:
        assert services.current_status(fresh) == remembered
    assert len(asked.captured_queries) == 1


def test_need_names_come_from_the_census_types() -> None:
    assert Need(sen_type="SLCN").get_sen_type_display() == "Speech, language and communication needs"
    assert Need(sen_type="ZZZ").get_sen_type_display() == "ZZZ"  # unknown codes show as themselves


def test_status_tags_and_register_needs_are_escaped() -> None:
    assert sen_status_tag("K") == '<strong class="govuk-tag govuk-tag--blue">SEN support</strong>'
    assert sen_status_tag(None) == '<strong class="govuk-tag govuk-tag--grey">Not recorded</strong>'
    assert sen_status_tag("<b>") == f'<strong class="govuk-tag govuk-tag--grey">{escape("<b>")}</strong>'
    needs = [Need(sen_type="ASD", rank=1), Need(sen_type="<x>", rank=2)]
    assert needs_abbreviated(needs) == (
        '<abbr title="Autistic spectrum disorder">ASD</abbr> (primary), <abbr title="&lt;x&gt;">&lt;x&gt;</abbr>'
    )
    assert needs_abbreviated([]) == "None recorded"


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_short_dates_read_as_the_date_filter_does(language: str) -> None:
    engine = engines["django"]
    ours = engine.from_string("{% load pupils_tags %}{{ d|short_date }}|{{ t|short_date_time }}")
    django_s = engine.from_string('{{ d|date:"j M Y" }}|{{ t|date:"j M Y, H:i" }}')
    moments = [datetime(2025, month, 1, 23, 30, tzinfo=UTC) + timedelta(days=11 * month) for month in range(1, 13)]
    moments += [datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # BST starts/ends
    with translation.override(language):
        for moment in moments:
            context = {"d": moment.date(), "t": moment}
            assert ours.render(context) == django_s.render(context)
        assert ours.render({"d": None, "t": None}) == django_s.render({"d": None, "t": None}) == "|"
