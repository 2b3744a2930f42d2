"""The pages as people meet them: bad input gets a message and a 400 and changes nothing, another
pupil's or LA's ids get a 404, a stale edit keeps the typing, and the lists' query counts do not
grow with the number of referrals."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World
from graduated.specialists import services
from graduated.specialists.models import Recommendation, Referral, Service
from graduated.specialists.tests.factories import recommendation, referral, seen_referral, service
from graduated.support.tests.factories import ACTOR, draft_cycle


def _date(prefix: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


def _new_referral(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "service": service(world.la_north).pk, "reason": "Slow progress.", "consent_by": "parent",
        **_date("consent_on", 1, 10, 2024), **_date("referred_on", 7, 10, 2024), **changes,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": ""}, "Enter the reason for the referral"),
        ({"service": "999999"}, "Choose a service from the list"),
        ({"service": "not a number"}, "Choose a service from the list"),
        ({"consent_by": "grandparent"}, "Select who gave consent from the list"),
        ({"consent_by": "young_person"}, "Priya was 8 on 1 October 2024: a parent or carer gives consent"),
        ({"consent_by": "not_yet", **_date("consent_on", "", "", "")}, "Record consent before the date of referral"),
        (_date("consent_on", "", "", ""), "Enter the date consent was given"),
        (_date("consent_on", 8, 10, 2024), "Consent must be given on or before the date of referral"),
        (_date("referred_on", 31, 2, 2024), "must be a real date"),
        (_date("referred_on", 1, 1, 2999), "must be today or in the past"),
        (_date("referred_on", "x" * 5000, 1, 2024), "must be a real date"),
    ],
)
def test_bad_referrals_get_a_message_and_a_400(
    world: World, client_for: Callable[..., Client], changes: dict[str, Any], message: str
) -> None:
    response = client_for(world.senco_a).post(
        reverse("specialists:new_referral", args=[world.p1.pk]), _new_referral(world, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_a_service_of_another_la_cannot_be_chosen(world: World, client_for: Callable[..., Client]) -> None:
    southern = service(world.la_south, "Southern Therapy")
    url = reverse("specialists:new_referral", args=[world.p1.pk])
    response = client_for(world.senco_a).post(url, _new_referral(world, service=southern.pk))
    assert response.status_code == 400 and "Choose a service from the list" in response.content.decode()


def test_dates_out_of_order_on_the_edit_page(world: World, client_for: Callable[..., Client]) -> None:
    made = referral(world.p1)
    data = {
        "reason": made.reason, "consent_by": "parent", **_date("consent_on", 16, 12, 2024),
        **_date("referred_on", 6, 1, 2025), **_date("seen_on", 5, 1, 2025), "version": made.version,
    }  # fmt: skip
    response = client_for(world.senco_a).post(reverse("specialists:edit_referral", args=[world.p1.pk, made.pk]), data)
    assert response.status_code == 400
    assert "The date seen must be on or after the date of referral (6 January 2025)" in response.content.decode()
    made.refresh_from_db()
    assert made.seen_on is None and made.version == 1


def test_a_stale_edit_is_refused_and_keeps_the_typing(world: World, client_for: Callable[..., Client]) -> None:
    made = referral(world.p1)
    url = reverse("specialists:edit_referral", args=[world.p1.pk, made.pk])
    data = {
        "reason": made.reason, "consent_by": "parent", **_date("consent_on", 16, 12, 2024),
        **_date("referred_on", 6, 1, 2025), "advice": "Mine", "version": 1,
    }  # fmt: skip
    client = client_for(world.senco_a)
    assert client.post(url, data | {"advice": "Theirs"}).status_code == 302
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400 and "Someone else changed this referral" in html
    assert "Mine</textarea>" in html and "Theirs" in html  # their save shown beside my typing
    assert 'name="version" value="2"' in html  # saving again is now possible, and deliberate
    made.refresh_from_db()
    assert made.advice == "Theirs"


def test_a_stale_service_edit_is_refused(world: World, client_for: Callable[..., Client]) -> None:
    entry = service(world.la_north)
    url = reverse("specialists:edit_service", args=[world.la_north.pk, entry.pk])
    data = {
        "kind": "educational_psychology", "name": entry.name, "offer": "Changed", "who_may_refer": "SENCOs",
        "phases": ["primary"], "is_active": "on", "version": 1,
    }  # fmt: skip
    client = client_for(world.la_admin_north)
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"offer": "Lost?"})
    assert response.status_code == 400 and "Someone else changed this service" in response.content.decode()
    assert Service.objects.get(pk=entry.pk).offer == "Changed"
    no_phase = client.post(url, {k: v for k, v in data.items() if k != "phases"} | {"version": 2})
    assert no_phase.status_code == 400 and "Select at least one phase" in no_phase.content.decode()


def test_deciding_checks_the_provision_and_the_reason(world: World, client_for: Callable[..., Client]) -> None:
    rec = recommendation(world.p1)
    own = draft_cycle(world.p1).provisions.get()
    others = draft_cycle(world.p2).provisions.get()
    url = reverse("specialists:decide_recommendation", args=[world.p1.pk, rec.referral_id, rec.pk])
    client = client_for(world.senco_a)
    base = {"outcome": "put_in_place", **_date("decided_on", 10, 3, 2025), "version": 1}
    for data, message in [
        (base, "Choose the provision that puts the recommendation in place"),
        (base | {"provision": others.pk}, "Choose one of the pupil&#x27;s provisions from the list"),
        (base | {"outcome": "not_put_in_place"}, "Enter why the recommendation was not put in place"),
        (base | {"outcome": "maybe"}, "Select a valid choice"),
        (base | {"provision": own.pk, **_date("decided_on", 1, 1, 2024)}, "on or after the date of referral"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), message
    assert client.post(url, base | {"provision": own.pk}).status_code == 302
    rec.refresh_from_db()
    assert rec.provision == own
    page = client.get(reverse("specialists:referral", args=[world.p1.pk, rec.referral_id])).content.decode()
    assert "Cycle 1: Precision teaching of sight words" in page


def test_the_directory_filter_refuses_what_it_does_not_offer(world: World, client_for: Callable[..., Client]) -> None:
    service(world.la_north)
    service(world.la_north, "Early Talk", kind="speech_and_language", serves_primary=False, serves_secondary=False,
            serves_early_years=True)  # fmt: skip
    service(world.la_south, "Southern Therapy")
    url = reverse("specialists:setting_directory", args=[world.setting_a.pk])
    client = client_for(world.senco_a)
    every = client.get(url).content.decode()
    assert "Educational Psychology Service" in every and "Early Talk" in every and "Southern Therapy" not in every
    primary = client.get(url, {"phase": "primary"}).content.decode()
    assert "Educational Psychology Service" in primary and "Early Talk" not in primary
    talk = client.get(url, {"kind": "speech_and_language"}).content.decode()
    assert "Early Talk" in talk and "Educational Psychology Service" not in talk
    response = client.get(url, {"phase": "nursery<script>"})
    assert response.status_code == 400 and "Choose a phase from the list" in response.content.decode()


def test_anothers_ids_are_not_found(world: World, client_for: Callable[..., Client]) -> None:
    own, foreign = seen_referral(world.p1), seen_referral(world.p4)
    rec_foreign = recommendation(world.p4)
    other_pupils = referral(world.p2)
    client = client_for(world.senco_a)
    urls = [
        reverse("specialists:referral", args=[world.p1.pk, foreign.pk]),
        reverse("specialists:referral", args=[world.p1.pk, other_pupils.pk]),
        reverse("specialists:edit_referral", args=[world.p1.pk, foreign.pk]),
        reverse("specialists:new_recommendation", args=[world.p1.pk, foreign.pk]),
        reverse("specialists:decide_recommendation", args=[world.p1.pk, own.pk, rec_foreign.pk]),
        reverse("specialists:la_service", args=[world.la_north.pk, service(world.la_south).pk]),
        "/specialists/pupils/99999999999999999999/referrals/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    admin = client_for(world.la_admin_north)
    assert (
        admin.get(reverse("specialists:edit_service", args=[world.la_north.pk, service(world.la_south).pk])).status_code
        == 404
    )
    assert Recommendation.objects.get(pk=rec_foreign.pk).status == "not_considered"


def test_pages_with_pupil_data_write_one_view_event(world: World, client_for: Callable[..., Client]) -> None:
    made = seen_referral(world.p1)
    client = client_for(world.head_a)
    for url in [
        reverse("specialists:pupil_referrals", args=[world.p1.pk]),
        reverse("specialists:referral", args=[world.p1.pk, made.pk]),
        reverse("specialists:setting_referrals", args=[world.setting_a.pk]),
    ]:
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200
        events = list(AuditEvent.objects.order_by("id")[before:])
        assert [event.action for event in events] == [AuditAction.VIEW], url


def test_the_pupil_page_shows_the_referrals_and_their_waits(world: World, client_for: Callable[..., Client]) -> None:
    seen_referral(world.p1)
    html = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Referrals to services" in html and "56 days to be seen" in html and "Refer to a service" in html
    teacher = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Referrals to services" not in teacher


def _count(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("name", ["pupil_referrals", "setting_referrals", "referral", "pupil"])
def test_query_counts_do_not_grow_with_the_referrals(
    world: World, client_for: Callable[..., Client], name: str
) -> None:
    first = seen_referral(world.p1)
    recommendation(world.p1)
    url = {
        "pupil_referrals": reverse("specialists:pupil_referrals", args=[world.p1.pk]),
        "setting_referrals": reverse("specialists:setting_referrals", args=[world.setting_a.pk]),
        "referral": reverse("specialists:referral", args=[world.p1.pk, first.pk]),
        "pupil": reverse("pupils:detail", args=[world.p1.pk]),
    }[name]
    client = client_for(world.senco_a)
    small = _count(client, url)
    others = [service(world.la_north, f"Service {n}") for n in range(4)]
    for n in range(12):
        pupil = world.p1 if n % 2 else world.p2
        referral(pupil, others[n % 4], seen_on=date(2025, 2, 1) if n % 3 else None)
    for n in range(5):
        services.add_recommendation(actor=ACTOR, referral=first, text=f"Recommendation {n}")
    assert _count(client, url) == small
