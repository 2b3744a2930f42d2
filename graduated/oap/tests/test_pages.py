"""The OAP pages as the LA admin, an officer, a setting's leaders, a teacher and a SENCO meet them."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from graduated.assessment_requests.content import request_outline
from graduated.assessment_requests.tests import factories as request_factories
from graduated.lib.exports import Table
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.oap import services
from graduated.oap.exports import HEADING
from graduated.oap.models import ConcernStrategy, OAPVersion, ProvisionStrategy, Strategy
from graduated.oap.tests.factories import ACTOR, published, strategy
from graduated.pathway.models import Concern
from graduated.support.models import CycleStatus
from graduated.support.tests.factories import draft_cycle

ClientFor = Callable[..., Client]


def _url(name: str, *args: Any) -> str:
    return reverse(f"oap:{name}", args=args)


def _concern(**changes: Any) -> dict[str, Any]:
    return {
        "raised_on_0": "3", "raised_on_1": "11", "raised_on_2": "2026", "areas": ["CL"],
        "what_is_seen": "Falling behind in reading.", "already_tried": "Reading with an adult daily.", **changes,
    }  # fmt: skip


# -- The LA's OAP -------------------------------------------------------------------------------------


def test_the_admin_drafts_adds_a_strategy_and_publishes(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    assert client.post(_url("start_draft", world.la_north.pk)).status_code == 302
    draft = OAPVersion.objects.get(local_authority=world.la_north)
    response = client.post(
        _url("add_item", world.la_north.pk, "strategies"),
        {**strategy("Visual timetable", "CI"), "version": draft.version},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    response = client.post(
        _url("add_item", world.la_north.pk, "expectations"),
        {"theme": "Knowing the pupils", "title": "Staff know the SEN register", "description": "",
         "version": draft.version},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(_url("draft", world.la_north.pk)).content.decode()
    assert table_rows(page, "Communication and interaction: Quality First Teaching")[1][0] == "Visual timetable"
    draft.refresh_from_db()
    response = client.post(
        _url("publish", world.la_north.pk),
        {"effective_from_0": "1", "effective_from_1": "9", "effective_from_2": "2026", "change_note": "First",
         "version": draft.version},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.published_by == world.la_admin_north
    officer = client_for(world.officer_north)
    page = officer.get(_url("overview", world.la_north.pk)).content.decode()
    assert "Version 1, in force from 1 September 2026" in page and "Staff know the SEN register" in page
    assert "Change the ordinarily available provision" not in page  # officers read, admins change


def test_bad_input_on_the_draft_gets_a_message_and_changes_nothing(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    add = _url("add_item", world.la_north.pk, "strategies")
    response = client.post(add, {**strategy("x" * 200), "area": "XX", "version": draft.version})
    page = response.content.decode()
    assert response.status_code == 400 and "Select one of the four broad areas" in page
    assert "Strategy must be 120 characters or fewer" in page
    response = client.post(add, {**strategy("Word mat"), "version": draft.version - 1 if draft.version > 1 else 99})
    assert response.status_code == 409 and "Someone else changed this draft" in response.content.decode()
    response = client.post(add, {**strategy("Word mat"), "version": "abc"})
    assert response.status_code == 400
    assert client.get(_url("add_item", world.la_north.pk, "nonsense")).status_code == 404
    published(world.la_south)
    foreign = Strategy.objects.get(version__local_authority=world.la_south, title="Movement breaks")
    assert client.get(_url("change_item", world.la_north.pk, "strategies", foreign.pk)).status_code == 404
    response = client.post(
        _url("publish", world.la_north.pk),
        {"effective_from_0": "31", "effective_from_1": "2", "effective_from_2": "2026", "version": draft.version},
    )
    assert response.status_code == 400 and not Strategy.objects.filter(version=draft).exists()
    response = client.post(
        _url("publish", world.la_north.pk),
        {"effective_from_0": "1", "effective_from_1": "9", "effective_from_2": "2026", "version": draft.version},
    )
    assert response.status_code == 400 and "Add at least one expectation or strategy" in response.content.decode()


def test_a_stale_remove_is_refused(world: World, client_for: ClientFor) -> None:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=world.la_north)
    seen = draft.version
    item = services.add_item(
        actor=ACTOR, version=draft, kind="strategies", details=strategy("A"), expected_version=seen
    )
    response = client_for(world.la_admin_north).post(
        _url("remove_item", world.la_north.pk, "strategies", item.pk), {"version": seen}
    )
    assert response.status_code == 409 and Strategy.objects.filter(pk=item.pk).exists()


def test_a_settings_leader_reads_the_version_in_force_filtered(world: World, client_for: ClientFor) -> None:
    published(world.la_north)
    client = client_for(world.head_a)
    page = client.get(_url("setting", world.setting_a.pk), {"area": "CL", "level": "sen_support"}).content.decode()
    assert "Pre-teaching vocabulary" in page and "Chunked instructions" not in page and "Visual timetable" not in page
    response = client.get(_url("setting", world.setting_a.pk), {"area": "nonsense"})
    assert response.status_code == 400 and "Choose broad areas of need from the list" in response.content.decode()
    assert client_for(world.senco_c).get(_url("setting", world.setting_a.pk)).status_code == 404


# -- Raising a concern -------------------------------------------------------------------------------


def test_a_teacher_sees_the_strategies_for_the_areas_chosen_and_ticks_them(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    client = client_for(world.teacher_a)
    url = reverse("pathway:raise_concern", args=[world.p1.pk])
    page = client.get(url).content.decode()
    assert "Show strategies for these areas" in page and "Chunked instructions" not in page
    response = client.post(url, {"areas": ["CL"], "oap_show_strategies": "1"})  # the rest not typed yet
    page = response.content.decode()
    assert response.status_code == 200 and not Concern.objects.exists()
    assert page.index("Chunked instructions") < page.index("Pre-teaching vocabulary")  # QFT first
    assert "Movement breaks" not in page and "Enter what you have seen" not in page
    chosen = version.strategies.get(title="Chunked instructions")
    response = client.post(url, _concern(oap_strategy=[str(chosen.pk)]))
    concern = Concern.objects.get()
    assert response.status_code == 302 and concern.already_tried == "Reading with an adult daily."
    assert list(ConcernStrategy.objects.values_list("concern_id", "strategy_id")) == [(concern.pk, chosen.pk)]
    page = client.get(response["Location"]).content.decode()
    assert "Strategies from the ordinarily available provision already tried" in page and "Chunked instructions" in page


def test_a_strategy_not_offered_is_refused_and_nothing_is_raised(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    other = version.strategies.get(title="Movement breaks")  # SEMH, not chosen
    response = client_for(world.teacher_a).post(
        reverse("pathway:raise_concern", args=[world.p1.pk]), _concern(oap_strategy=[str(other.pk), "junk"])
    )
    assert response.status_code == 400 and "Choose strategies from those listed" in response.content.decode()
    assert not Concern.objects.exists() and not ConcernStrategy.objects.exists()
    response = client_for(world.teacher_a).post(
        reverse("pathway:raise_concern", args=[world.p1.pk]), {"oap_show_strategies": "1"}
    )
    assert response.status_code == 400 and "Select at least one broad area of need" in response.content.decode()


# -- A cycle's plan ------------------------------------------------------------------------------------


def test_a_senco_adds_a_strategy_to_the_plan_once(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    cycle = draft_cycle(world.p1)  # its outcome is in cognition and learning
    client = client_for(world.senco_a)
    page = client.get(reverse("support:provision_add", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "From the ordinarily available provision" in page and "Chunked instructions" in page
    assert "Movement breaks" not in page
    chosen = version.strategies.get(title="Chunked instructions")
    add = _url("add_to_plan", world.p1.pk, cycle.pk)
    response = client.post(add, {"strategy": chosen.pk, "version": cycle.version})
    assert response.status_code == 302 and response["Location"] == reverse(
        "support:cycle", args=[world.p1.pk, cycle.pk]
    )
    link = ProvisionStrategy.objects.get()
    assert (link.provision.kind, link.provision.description, link.strategy) == ("strategy", chosen.description, chosen)
    cycle.refresh_from_db()
    response = client.post(add, {"strategy": chosen.pk, "version": cycle.version}, follow=True)
    assert "The plan already has the strategy" in response.content.decode()
    stale = client.post(
        add, {"strategy": version.strategies.get(title="Pre-teaching vocabulary").pk, "version": 1}, follow=True
    )
    assert "Someone else changed this cycle" in stale.content.decode()
    assert ProvisionStrategy.objects.count() == 1 and cycle.provisions.count() == 2
    page = client.get(reverse("support:provision_add", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "On the plan" in page


def test_refusals_on_the_plan(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    south = published(world.la_south)
    cycle = draft_cycle(world.p1)
    chosen = version.strategies.get(title="Chunked instructions")
    client = client_for(world.senco_a)
    add = _url("add_to_plan", world.p1.pk, cycle.pk)
    foreign_strategy = south.strategies.get(title="Chunked instructions")
    assert client.post(add, {"strategy": foreign_strategy.pk, "version": cycle.version}).status_code == 404
    foreign_cycle = draft_cycle(world.p4)
    assert (
        client.post(
            _url("add_to_plan", world.p4.pk, foreign_cycle.pk), {"strategy": chosen.pk, "version": 1}
        ).status_code
        == 404
    )
    assert (
        client.post(
            _url("add_to_plan", world.p1.pk, foreign_cycle.pk), {"strategy": chosen.pk, "version": 1}
        ).status_code
        == 404
    )
    assert client.post(add, {"strategy": "x", "version": cycle.version}).status_code == 302
    Cycle = type(cycle)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    response = client.post(add, {"strategy": chosen.pk, "version": cycle.version}, follow=True)
    assert "reviewed and closed" in response.content.decode()
    assert not ProvisionStrategy.objects.exists()


# -- The request for an EHC needs assessment ----------------------------------------------------------


def test_the_request_shows_what_of_the_oap_was_tried_with_when(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    concern = Concern.objects.create(
        pupil=world.p1, raised_on=date(2026, 3, 4), areas=["CL"], what_is_seen="Seen.", already_tried="Tried."
    )
    services.link_concern_strategies(
        actor=ACTOR,
        concern=concern,
        setting=world.setting_a,
        strategies=[version.strategies.get(title="Chunked instructions")],
    )
    cycle = draft_cycle(world.p1)
    services.add_strategy_to_plan(
        actor=ACTOR, cycle=cycle, strategy=version.strategies.get(title="Pre-teaching vocabulary"),
        expected_version=cycle.version,
    )  # fmt: skip
    today = date(2026, 12, 2)
    prepared = request_factories.ready(world.p1, today)
    sections = {s.heading: s.blocks for s in request_outline(prepared, today, []).sections}
    table = sections[HEADING][0]
    assert isinstance(table, Table)
    rows = table.rows
    assert rows[0] == ["Chunked instructions", "Cognition and learning", "Quality First Teaching",
                       "Concern raised 4 March 2026", "4 March 2026"]  # fmt: skip
    assert rows[1][0] == "Pre-teaching vocabulary" and rows[1][3] == "SEN support cycle 1 plan"
    page = client_for(world.senco_a).get(reverse("assessment_requests:page", args=[world.p1.pk])).content.decode()
    assert HEADING in page and "Pre-teaching vocabulary" in page
