"""The rule pack pages as the LA admin, an officer, a SENCO and outsiders meet them."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.rulepacks import services
from graduated.rulepacks.models import KINDS_WITH_PARAMETER, RuleKind, RulePack, Step
from graduated.rulepacks.tests.factories import ACTOR, completed_cycle, evidence, meeting, published, rule

ClientFor = Callable[..., Client]


def _url(name: str, *args: Any) -> str:
    return reverse(f"rulepacks:{name}", args=args)


def _draft(world: World) -> RulePack:
    return services.start_draft(actor=ACTOR, local_authority=world.la_north)[0]


def _rule_form(opened_on: int, **changes: Any) -> dict[str, Any]:
    return {**rule(RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED), "version": opened_on, **changes}


def test_the_admin_starts_a_draft_adds_a_rule_and_publishes_it(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    response = client.post(_url("start_draft", world.la_north.pk))
    assert response.status_code == 302 and response["Location"] == _url("draft", world.la_north.pk)
    pack = RulePack.objects.get(local_authority=world.la_north)
    response = client.post(_url("add_rule", world.la_north.pk), _rule_form(pack.version))
    assert response.status_code == 302
    page = client.get(_url("draft", world.la_north.pk)).content.decode()
    rows = table_rows(page, "Local rules of version 1")
    assert rows[1][:2] == ["At least 2 completed APDR cycles", "Referral for enhanced support"]
    pack.refresh_from_db()
    response = client.post(
        _url("publish", world.la_north.pk),
        {"effective_from_0": "1", "effective_from_1": "9", "effective_from_2": "2026", "change_note": "First",
         "version": pack.version},
    )  # fmt: skip
    assert response.status_code == 302
    pack.refresh_from_db()
    assert not pack.is_draft and pack.effective_from == date(2026, 9, 1)
    page = client.get(_url("pack", world.la_north.pk)).content.decode()
    assert "In force today: version 1, from 1 September 2026" in page
    history = table_rows(page, "History")
    assert history[1][:4] == ["Version 1", "In force", "1 September 2026", "First"]


def test_a_rule_without_its_number_is_refused_with_a_message(world: World, client_for: ClientFor) -> None:
    pack = _draft(world)
    response = client_for(world.la_admin_north).post(
        _url("add_rule", world.la_north.pk), _rule_form(pack.version, parameter="")
    )
    assert response.status_code == 400
    assert "Enter the number this rule asks for, from 1 to 20" in response.content.decode()
    assert not pack.rules.exists()


@pytest.mark.parametrize(
    "changes",
    [{"kind": "made_up"}, {"step": "anywhere"}, {"parameter": "lots"}, {"parameter": "99"}, {"version": ""},
     {"explanation": ""}, {"source_name": "x" * 201}],
)  # fmt: skip
def test_bad_rule_input_gets_a_400_and_changes_nothing(
    world: World, client_for: ClientFor, changes: dict[str, Any]
) -> None:
    pack = _draft(world)
    response = client_for(world.la_admin_north).post(
        _url("add_rule", world.la_north.pk), _rule_form(pack.version, **changes)
    )
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not pack.rules.exists()


def test_a_stale_rule_save_is_refused_with_the_typing_kept(world: World, client_for: ClientFor) -> None:
    pack = _draft(world)
    opened = pack.version
    services.add_rule(actor=ACTOR, pack=pack, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=opened)
    form = _rule_form(opened, explanation="Two cycles show what the setting tried first.")
    response = client_for(world.la_admin_north).post(_url("add_rule", world.la_north.pk), form)
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else changed this draft" in page
    assert "Two cycles show what the setting tried first." in page  # the typing is kept
    assert "Evidence covering at least 2 terms" in page  # and what is saved now is shown
    assert pack.rules.count() == 1
    pack.refresh_from_db()
    assert f'name="version" value="{pack.version}"' in page  # saving again now succeeds


def test_bad_words_get_a_400(world: World, client_for: ClientFor) -> None:
    pack = _draft(world)
    data = {name: getattr(pack, name) for name in services.WORD_FIELDS} | {"version": pack.version, "change_note": ""}
    response = client_for(world.la_admin_north).post(
        _url("draft", world.la_north.pk), data | {"plan_review_months": "0"}
    )
    assert response.status_code == 400 and "The months between reviews must be 1 or more" in response.content.decode()
    response = client_for(world.la_admin_north).post(
        _url("draft", world.la_north.pk), data | {"under_five_review_months": "13"}
    )
    assert response.status_code == 400
    assert "The months between reviews for a child under 5 must be 12 or fewer" in response.content.decode()
    response = client_for(world.la_admin_north).post(
        _url("draft", world.la_north.pk), data | {"response_name": "Graduated Approach", "under_five_review_months": 3}
    )
    assert response.status_code == 302
    pack.refresh_from_db()
    assert (pack.response_name, pack.under_five_review_months) == ("Graduated Approach", 3)


def test_a_rule_of_another_draft_is_not_found(world: World, client_for: ClientFor) -> None:
    south, _ = services.start_draft(actor=ACTOR, local_authority=world.la_south)
    theirs = services.add_rule(actor=ACTOR, pack=south, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=1)
    _draft(world)
    client = client_for(world.la_admin_north)
    assert client.get(_url("change_rule", world.la_north.pk, theirs.pk)).status_code == 404
    assert client.post(_url("remove_rule", world.la_north.pk, theirs.pk), {"version": 1}).status_code == 404
    assert theirs.__class__.objects.filter(pk=theirs.pk).exists()


def test_publishing_with_a_bad_date_gets_a_400(world: World, client_for: ClientFor) -> None:
    pack = _draft(world)
    data = {"effective_from_0": "31", "effective_from_1": "2", "effective_from_2": "2026", "version": pack.version}
    response = client_for(world.la_admin_north).post(_url("publish", world.la_north.pk), data)
    assert response.status_code == 400
    pack.refresh_from_db()
    assert pack.is_draft


def test_a_setting_reads_its_las_pack_in_force(world: World, client_for: ClientFor) -> None:
    published(world.la_north, [rule(RuleKind.EVIDENCE_TERMS, 2)], response_name="Graduated Approach")
    page = client_for(world.senco_a).get(_url("setting_rules", world.setting_a.pk)).content.decode()
    assert "Graduated Approach" in page and "Evidence covering at least 2 terms" in page
    assert "these local rules are guidance, not a condition" in page
    south = client_for(world.senco_c).get(_url("setting_rules", world.setting_c.pk)).content.decode()
    assert "has published no local rules" in south


def test_the_menu_offers_local_rules_to_la_staff(world: World, client_for: ClientFor) -> None:
    page = client_for(world.officer_north).get("/").content.decode()
    assert f"Local rules: {world.la_north.name}" in page


def test_the_stages_page_renames_a_stage(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    page = client.get(_url("stages", world.la_north.pk))
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()} | {"seen": form.initial["seen"]}
    data["name_my_support_plan"] = "Individual Support Plan"
    assert client.post(_url("stages", world.la_north.pk), data).status_code == 302
    data["order_monitoring"] = data["order_sen_support"]
    response = client.post(_url("stages", world.la_north.pk), data)
    assert response.status_code == 400 and "different place" in response.content.decode()


def test_the_readiness_page_lists_each_rule_with_its_reason_and_writes_one_view_event(
    world: World, client_for: ClientFor
) -> None:
    published(
        world.la_north,
        [rule(RuleKind.MIN_COMPLETED_CYCLES, 2), rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST, source_reference="https://example.org/n")],
    )  # fmt: skip
    completed_cycle(world.p1, date(2026, 3, 3))
    client = client_for(world.senco_a)
    views = AuditEvent.objects.filter(action="view", pupil_id=world.p1.pk).count()
    page = client.get(_url("readiness", world.p1.pk), {"step": "request"}).content.decode()
    assert "Anyone may request an assessment: these local rules are guidance, not a condition" in page
    assert "1 of 2 APDR cycles completed (reviewed 3 March 2026)." in page and "Not met" in page
    assert "No My Support Plan has been agreed." in page
    assert 'href="https://example.org/n"' in page
    assert AuditEvent.objects.filter(action="view", pupil_id=world.p1.pk).count() == views + 1


def test_an_unknown_step_gets_a_400(world: World, client_for: ClientFor) -> None:
    response = client_for(world.senco_a).get(_url("readiness", world.p1.pk), {"step": "tribunal"})
    assert response.status_code == 400 and "Choose one of the steps listed" in response.content.decode()


def _readiness_queries(world: World, client: Client, size: int) -> int:
    for n in range(size):
        cycle = completed_cycle(world.p1, date(2025, 10, 1 + n))
        evidence(cycle, date(2026, 1, 5 + n))
        meeting(world.p1, date(2026, 3, 1 + n))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("readiness", world.p1.pk)).status_code == 200
    return len(queries)


def test_the_readiness_page_reads_a_fixed_number_of_queries(world: World, client_for: ClientFor) -> None:
    published(
        world.la_north,
        [rule(k, 2 if k in KINDS_WITH_PARAMETER else None) for k in RuleKind if k != "specialist_before_pcp"],
    )
    client = client_for(world.senco_a)
    small = _readiness_queries(world, client, 1)
    large = _readiness_queries(world, client, 5)
    assert small == large
