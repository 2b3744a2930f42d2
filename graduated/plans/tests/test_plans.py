"""Plan types and tiers as data: the LA admin's pages and services, the SENCO's choice for a cycle,
and the LA's plan-quality figures with their query budget."""

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.plans import services
from graduated.plans.models import PlanType, SupportTier
from graduated.plans.tests.factories import ACTOR, la_plan_type, la_tier, sen_support_plan
from graduated.support import services as support_services
from graduated.support.models import Cycle, QualityCheck
from graduated.support.tests.factories import agreed_cycle, draft_cycle, outcome_data

ClientFor = Callable[..., Client]


def _details(**changes: Any) -> dict[str, Any]:
    return {"name": "Individual Support Plan", "description": "Reviewed yearly", "reviews_per_year": "1",
            "position": "30", "version": "0", **changes}  # fmt: skip


def test_the_platform_defaults_exist(db: None) -> None:
    assert [p.name for p in PlanType.objects.offered_to(None)] == ["SEN support plan", "My Support Plan"]
    assert [t.name for t in SupportTier.objects.offered_to(None)] == [
        "Universal", "Targeted", "Targeted plus", "Specialist"
    ]  # fmt: skip
    assert sen_support_plan().reviews_per_year == 3


def test_a_new_cycle_is_a_sen_support_plan_and_the_next_one_keeps_its_type_and_tier(world: World) -> None:
    from graduated.support.tests.factories import reviewed_cycle

    first = reviewed_cycle(world.p1)
    assert first.plan_type == sen_support_plan()
    tier = SupportTier.objects.get(key="targeted")
    Cycle.objects.filter(pk=first.pk).update(tier=tier)
    second = support_services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a,
                                          started_on=date(2025, 1, 6))  # fmt: skip
    assert (second.plan_type, second.tier) == (sen_support_plan(), tier)


def test_the_data_migration_gives_existing_cycles_the_sen_support_plan(world: World) -> None:
    cycle = draft_cycle(world.p1)
    Cycle.objects.filter(pk=cycle.pk).update(plan_type=None)
    migration = importlib.import_module("graduated.support.migrations.0006_existing_cycles_are_sen_support_plans")
    migration.give_plan_type(apps, None)
    cycle.refresh_from_db()
    assert cycle.plan_type == sen_support_plan()


def test_the_admin_adds_a_plan_type_and_the_senco_is_offered_it_without_a_code_change(
    world: World, client_for: ClientFor
) -> None:
    admin = client_for(world.la_admin_north)
    response = admin.post(reverse("plans:add", args=[world.la_north.pk, "types"]), _details())
    assert response.status_code == 302
    made = PlanType.objects.get(local_authority=world.la_north)
    assert AuditEvent.objects.filter(object_type="plans.plantype", object_id=str(made.pk)).count() == 1
    la_tier(world.la_north, "Enhanced targeted")
    la_plan_type(world.la_south, "Southborough plan")
    cycle = draft_cycle(world.p1)
    page = client_for(world.senco_a).get(reverse("plans:cycle_plan", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "Individual Support Plan (reviewed once a year)" in page and "Enhanced targeted" in page
    assert "Southborough plan" not in page  # another LA's
    assert "My Support Plan" in page and "Targeted plus" in page  # the platform's


def test_the_senco_chooses_the_plan_type_and_tier_and_the_cycle_page_shows_them(
    world: World, client_for: ClientFor
) -> None:
    mine = la_plan_type(world.la_north)
    cycle = draft_cycle(world.p1)
    senco = client_for(world.senco_a)
    url = reverse("plans:cycle_plan", args=[world.p1.pk, cycle.pk])
    tier = SupportTier.objects.get(key="targeted_plus")
    response = senco.post(url, {"plan_type": mine.pk, "tier": tier.pk, "version": cycle.version})
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.plan_type, cycle.tier) == (mine, tier)
    page = senco.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "Kirklees My Support Plan" in page and "reviewed 3 times a year" in page and "Targeted plus" in page
    stale = senco.post(url, {"plan_type": sen_support_plan().pk, "version": cycle.version - 1})
    assert stale.status_code == 409 and "Someone else changed this cycle" in stale.content.decode()
    foreign = la_plan_type(world.la_south, "Southborough plan")
    refused = senco.post(url, {"plan_type": foreign.pk, "version": cycle.version})
    assert refused.status_code == 400 and "Choose one of the plan types shown" in refused.content.decode()
    cycle.refresh_from_db()
    assert cycle.plan_type == mine


def test_the_plan_type_suggests_the_review_date(world: World, client_for: ClientFor) -> None:
    cycle = draft_cycle(world.p1)  # started 2 September 2024
    yearly = la_plan_type(world.la_north, "Individual Support Plan", reviews_per_year=1)
    assert services.suggested_review_date(cycle, sen_support_plan()) is not None
    Cycle.objects.filter(pk=cycle.pk).update(plan_agreed_on=date(2024, 9, 10))
    cycle.refresh_from_db()
    assert services.suggested_review_date(cycle, sen_support_plan()) == date(2025, 1, 10)  # 4 months on
    assert services.suggested_review_date(cycle, yearly) == date(2025, 9, 10)
    Cycle.objects.filter(pk=cycle.pk).update(plan_agreed_on=None)
    page = client_for(world.senco_a).get(reverse("support:agree", args=[world.p1.pk, cycle.pk])).content.decode()
    suggested = services.suggested_review_date(Cycle.objects.select_related("plan_type").get(pk=cycle.pk))
    assert suggested is not None and f'value="{suggested.year}"' in page


def test_renaming_and_retiring_keep_the_cycles_that_use_it(world: World, client_for: ClientFor) -> None:
    mine = la_plan_type(world.la_north)
    cycle = agreed_cycle(world.p1)
    Cycle.objects.filter(pk=cycle.pk).update(plan_type=mine)
    admin = client_for(world.la_admin_north)
    url = reverse("plans:change", args=[world.la_north.pk, "types", mine.pk])
    response = admin.post(url, _details(name="Support plan (Northshire)", reviews_per_year="3", retired="on",
                                        version=mine.version))  # fmt: skip
    assert response.status_code == 302
    cycle.refresh_from_db()
    mine.refresh_from_db()
    assert cycle.plan_type == mine and mine.name == "Support plan (Northshire)" and mine.retired
    assert AuditEvent.objects.filter(object_type="plans.plantype", object_id=str(mine.pk)).count() == 2
    senco = client_for(world.senco_a)
    assert (
        "Support plan (Northshire)"
        in senco.get(reverse("support:cycle", args=[world.p1.pk, cycle.pk])).content.decode()
    )
    other = draft_cycle(world.p2)
    offered = senco.get(reverse("plans:cycle_plan", args=[world.p2.pk, other.pk])).content.decode()
    assert "Support plan (Northshire)" not in offered  # retired: no longer offered
    kept = senco.get(reverse("plans:cycle_plan", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "Support plan (Northshire) (reviewed 3 times a year) (retired)" in kept  # but kept where used


def test_a_plan_type_in_use_is_never_deleted_and_an_unused_one_is(world: World, client_for: ClientFor) -> None:
    used, unused = la_plan_type(world.la_north), la_plan_type(world.la_north, "Unused plan")
    Cycle.objects.filter(pk=draft_cycle(world.p1).pk).update(plan_type=used)
    admin = client_for(world.la_admin_north)
    response = admin.post(reverse("plans:remove", args=[world.la_north.pk, "types", used.pk]),
                          {"version": used.version}, follow=True)  # fmt: skip
    assert "is used by 1 cycle, so it stays on the record" in response.content.decode()
    assert PlanType.objects.filter(pk=used.pk).exists()
    admin.post(reverse("plans:remove", args=[world.la_north.pk, "types", unused.pk]), {"version": unused.version})
    assert not PlanType.objects.filter(pk=unused.pk).exists()
    again = admin.post(reverse("plans:remove", args=[world.la_north.pk, "types", unused.pk]),
                       {"version": unused.version}, follow=True)  # fmt: skip
    assert "already been removed" in again.content.decode()
    bad = admin.post(reverse("plans:remove", args=[world.la_north.pk, "types", used.pk]), {"version": "x"}, follow=True)
    assert "The form was incomplete" in bad.content.decode()


def test_a_stale_edit_is_refused_and_shows_what_is_saved(world: World, client_for: ClientFor) -> None:
    tier = la_tier(world.la_north)
    opened_on = tier.version
    details = {"name": "Targeted (enhanced)", "description": "", "position": 25, "retired": False}
    services.change_choice(actor=ACTOR, choice=tier, expected_version=opened_on, details=details)
    admin = client_for(world.la_admin_north)
    response = admin.post(reverse("plans:change", args=[world.la_north.pk, "tiers", tier.pk]),
                          {"name": "Mine", "position": "5", "version": opened_on})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 409 and "Someone else changed this tier of support" in page
    assert "Targeted (enhanced)" in page
    tier.refresh_from_db()
    assert tier.name == "Targeted (enhanced)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name"),
        ({"name": "x" * 81}, "The name must be 80 characters or fewer"),
        ({"reviews_per_year": "13"}, "The reviews a year must be 12 or fewer"),
        ({"reviews_per_year": "often"}, "Enter the reviews a year as a whole number"),
        ({"name": "my support plan"}, "There is already a plan type called"),  # the platform's, any case
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    world: World, client_for: ClientFor, data: dict[str, str], message: str
) -> None:
    response = client_for(world.la_admin_north).post(reverse("plans:add", args=[world.la_north.pk, "types"]),
                                                     _details(**data))  # fmt: skip
    assert response.status_code == 400 and message in response.content.decode()
    assert not PlanType.objects.filter(local_authority=world.la_north).exists()


def test_only_the_las_own_can_be_changed_and_an_unknown_kind_is_404(world: World, client_for: ClientFor) -> None:
    admin = client_for(world.la_admin_north)
    south = la_plan_type(world.la_south, "Southborough plan")
    assert admin.get(reverse("plans:change", args=[world.la_north.pk, "types", south.pk])).status_code == 404
    platform = sen_support_plan()
    assert admin.get(reverse("plans:change", args=[world.la_north.pk, "types", platform.pk])).status_code == 404
    assert admin.get(reverse("plans:add", args=[world.la_north.pk, "colours"])).status_code == 404
    assert admin.get(reverse("plans:choices", args=[world.la_south.pk])).status_code == 404
    assert client_for(world.officer_north).get(reverse("plans:choices", args=[world.la_north.pk])).status_code == 404


def _open_cycles(world: World, n: int) -> None:
    """n more open cycles in setting A with findings, on pupils made for the purpose."""
    from graduated.pupils.models import Enrolment, Pupil

    for i in range(n):
        pupil = Pupil.objects.create(
            legal_first_name=f"Extra{i}", legal_last_name="Pupil", date_of_birth=date(2016, 1, 1)
        )
        Enrolment.objects.create(pupil=pupil, setting=world.setting_a, start_date=date(2023, 9, 1))
        cycle = draft_cycle(pupil)
        support_services.save_outcome(actor=ACTOR, cycle=cycle, data={**outcome_data(2), "baseline": ""},
                                      expected_version=Cycle.objects.get(pk=cycle.pk).version)  # fmt: skip


def test_the_la_sees_plan_quality_by_setting_and_in_total(world: World, client_for: ClientFor) -> None:
    agreed_cycle(world.p1)  # setting A: not assessed, provision not linked
    draft_cycle(world.p4)  # another LA's: not counted
    page = client_for(world.officer_north).get(reverse("plans:quality", args=[world.la_north.pk])).content.decode()
    assert world.setting_a.name in page and world.setting_c.name not in page
    from graduated.lib.html_tables import table_rows

    totals = dict((row[0], row[1]) for row in table_rows(page, "in total"))
    assert totals[QualityCheck.AREA_ASSESSED.label] == "1"
    assert totals[QualityCheck.PROVISION_LINKED.label] == "1"
    assert totals[QualityCheck.OUTCOME_MEASURABLE.label] == "0"


def test_the_la_figures_follow_a_change_to_a_cycle(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    client = client_for(world.officer_north)
    url = reverse("plans:quality", args=[world.la_north.pk])
    assert "It has" not in client.get(url).content.decode()
    outcome = cycle.outcomes.get()
    data = {name: getattr(outcome, name) for name in support_services.OUTCOME_FIELDS} | {"baseline": ""}
    support_services.save_outcome(actor=ACTOR, cycle=cycle, outcome=outcome, data=data,
                                  expected_version=Cycle.objects.get(pk=cycle.pk).version)  # fmt: skip
    from graduated.lib.html_tables import table_rows

    totals = dict((row[0], row[1]) for row in table_rows(client.get(url).content.decode(), "in total"))
    assert totals[QualityCheck.OUTCOME_MEASURABLE.label] == "1"


def test_the_la_page_runs_a_fixed_number_of_queries(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.officer_north)
    url = reverse("plans:quality", args=[world.la_north.pk])
    _open_cycles(world, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _open_cycles(world, 4)
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_missing_platform_defaults_come_back_after_migrate_and_renames_are_kept() -> None:
    from django.core.management import call_command

    from graduated.plans.models import PlanType, SupportTier

    PlanType.objects.filter(key="my_support_plan").delete()
    SupportTier.objects.filter(local_authority__isnull=True).delete()
    PlanType.objects.filter(key="sen_support_plan").update(name="APDR plan")
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate still runs
    assert set(PlanType.objects.filter(local_authority__isnull=True).values_list("key", "name")) == {
        ("sen_support_plan", "APDR plan"), ("my_support_plan", "My Support Plan"),
    }  # fmt: skip
    assert SupportTier.objects.filter(local_authority__isnull=True).count() == 4
