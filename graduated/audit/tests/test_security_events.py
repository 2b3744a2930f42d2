"""Security events: written by construction for refused pages, cleaned on the way in, append-only,
and searchable by an LA's admins (their LA's people only) and the platform admin (everyone)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from graduated.audit import triggers
from graduated.audit.models import AppendOnlyError, SecurityEvent, SecurityEventKind
from graduated.audit.security import record_security_event
from graduated.lib.testing import World

ClientFor = Callable[..., Client]
K = SecurityEventKind


def _only_event() -> SecurityEvent:
    events = list(SecurityEvent.objects.all())
    assert len(events) == 1, events
    return events[0]


def test_a_foreign_pupil_id_writes_a_denied_event(world: World, client_for: ClientFor) -> None:
    url = reverse("pupils:detail", args=[world.p4.pk])
    response = client_for(world.senco_a).get(url)

    assert response.status_code == 404
    event = _only_event()
    assert (event.kind, event.status, event.method, event.path) == (K.DENIED, 404, "GET", url)
    assert (event.user_id, event.email) == (world.senco_a.pk, world.senco_a.email)
    assert (event.setting_id, event.local_authority_id) == (world.setting_a.pk, world.la_north.pk)
    assert event.ip_address == "127.0.0.1"
    assert event.request_id == response["X-Request-ID"]
    assert event.detail == f"pupils:detail (pupil_id={world.p4.pk})"


def test_a_403_writes_a_denied_event(world: World, client_for: ClientFor) -> None:
    response = client_for(world.teacher_a).get(reverse("pupils:chronology", args=[world.p1.pk]))

    assert response.status_code == 403
    event = _only_event()
    assert (event.kind, event.status, event.user_id) == (K.DENIED, 403, world.teacher_a.pk)


def test_nothing_is_written_for_allowed_pages_strangers_or_mistyped_addresses(
    world: World, client_for: ClientFor
) -> None:
    assert Client().get(reverse("pupils:detail", args=[world.p4.pk])).status_code == 302  # to sign in
    client = client_for(world.senco_a)
    assert client.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 200
    assert client.get("/no-such-page/").status_code == 404  # names no record
    assert client.get(reverse("healthz")).status_code == 200
    assert not SecurityEvent.objects.exists()


def test_a_denied_event_costs_one_insert_and_an_allowed_page_nothing(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = reverse("pupils:detail", args=[world.p4.pk])
    client.get(url)  # the first request also sets up the session
    with CaptureQueriesContext(connection) as allowed:
        client.get(reverse("pupils:detail", args=[world.p1.pk]))
    with CaptureQueriesContext(connection) as denied:
        client.get(url)

    def security_writes(queries: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in queries.captured_queries if "audit_securityevent" in q["sql"]]

    assert security_writes(allowed) == []
    assert len(security_writes(denied)) == 1 and security_writes(denied)[0].startswith("INSERT")
    assert SecurityEvent.objects.count() == 2


def test_record_never_refuses_what_it_is_given(world: World) -> None:
    request = RequestFactory().get("/x" * 400, REMOTE_ADDR="not an address")
    event = record_security_event(
        "NO_SUCH_KIND", user=AnonymousUser(), email="a" * 400, detail="d" * 400, request=request, status=99999
    )
    event.refresh_from_db()
    assert event.kind == K.OTHER and event.detail.startswith("NO_SUCH_KIND: ")
    assert len(event.email) == 254 and len(event.path) == 300 and len(event.detail) == 300
    assert event.ip_address is None and event.status is None and event.user_id is None
    assert record_security_event(K.SIGN_IN_FAILED, email=None).email == ""  # type: ignore[arg-type]
    assert record_security_event(K.DENIED, email="a\x00b@example.org", detail="\x00").email == "ab@example.org"


def test_a_typed_address_of_an_account_is_tied_to_it(world: World) -> None:
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="10.1.2.3")
    event = record_security_event("SIGN_IN_FAILED", email=" SENCO.C@example.org", request=request)

    assert (event.kind, event.user_id, event.email) == (K.SIGN_IN_FAILED, world.senco_c.pk, "SENCO.C@example.org")
    assert (event.local_authority_id, event.ip_address) == (world.la_south.pk, "10.1.2.3")


def test_security_events_are_append_only(world: World) -> None:
    event = record_security_event(K.SIGN_IN_LOCKED, user=world.senco_a)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    triggers.install(connection)  # as the migration left them; harmless to repeat
    for statement in ("UPDATE audit_securityevent SET detail = 'x'", "DELETE FROM audit_securityevent"):
        with pytest.raises(DatabaseError), transaction.atomic():
            connection.cursor().execute(statement)
    assert SecurityEvent.objects.get().detail == ""


def _from(address: str) -> HttpRequest:
    return RequestFactory().get("/", REMOTE_ADDR=address)


def _events_of_both_las(world: World) -> None:
    record_security_event(K.SIGN_IN_FAILED, user=world.senco_a, request=_from("10.0.0.1"))
    record_security_event(K.SECOND_FACTOR_FAILED, user=world.officer_north)
    record_security_event(K.SIGN_IN_FAILED, user=world.senco_c, request=_from("10.0.0.9"))
    record_security_event(K.SIGN_IN_FAILED, email="nobody@example.org")


def _shown(client: Client, url: str, **filters: str) -> str:
    response = client.get(url, filters)
    assert response.status_code == 200
    return response.content.decode()


def test_an_la_admin_finds_their_las_people_only(world: World, client_for: ClientFor) -> None:
    _events_of_both_las(world)
    client = client_for(world.la_admin_north)
    url = reverse("audit:la_security_events", args=[world.la_north.pk])

    page = _shown(client, url)
    assert world.senco_a.email in page and world.officer_north.email in page
    assert world.senco_c.email not in page and "nobody@example.org" not in page
    assert "2 events" in page
    kind_only = _shown(client, url, kind=K.SECOND_FACTOR_FAILED)
    assert world.officer_north.email in kind_only and world.senco_a.email not in kind_only
    by_ip = _shown(client, url, ip_address="10.0.0.1")
    assert world.senco_a.email in by_ip and world.officer_north.email not in by_ip
    assert world.senco_a.email in _shown(client, url, email="SENCO.A")
    assert client.get(reverse("audit:la_security_events", args=[world.la_south.pk])).status_code == 404
    assert client.get(reverse("audit:security_events")).status_code == 404


def test_an_la_admin_finds_a_former_members_events(world: World, client_for: ClientFor) -> None:
    record_security_event(K.SIGN_IN_FAILED, user=world.senco_b)
    world.senco_b.memberships.all().delete()
    page = _shown(client_for(world.la_admin_north), reverse("audit:la_security_events", args=[world.la_north.pk]))
    assert world.senco_b.email in page


def test_the_platform_admin_finds_everyones(world: World, client_for: ClientFor) -> None:
    _events_of_both_las(world)
    client = client_for(world.platform_admin)

    page = _shown(client, reverse("audit:security_events"))
    for email in (world.senco_a.email, world.senco_c.email, "nobody@example.org"):
        assert email in page
    assert world.senco_c.email in _shown(client, reverse("audit:la_security_events", args=[world.la_south.pk]))
    today = timezone.localdate()
    assert "4 events found" in _shown(client, reverse("audit:security_events"), occurred_from_0=str(today.day),
                                      occurred_from_1=str(today.month), occurred_from_2=str(today.year))  # fmt: skip
    tomorrow = today + timedelta(days=1)
    dated = {"occurred_from_0": str(tomorrow.day), "occurred_from_1": str(tomorrow.month),
             "occurred_from_2": str(tomorrow.year)}  # fmt: skip
    assert "No security events match" in _shown(client, reverse("audit:security_events"), **dated)


def test_a_mistyped_filter_is_a_400_that_says_what_to_fix(world: World, client_for: ClientFor) -> None:
    response = client_for(world.platform_admin).get(reverse("audit:security_events"), {"ip_address": "300.1.1.1"})
    assert response.status_code == 400
    assert "Enter a valid IPv4 or IPv6 address" in response.content.decode()


def test_the_la_admins_navigation_links_to_the_log(world: World, client_for: ClientFor) -> None:
    page = client_for(world.la_admin_north).get(reverse("organisations:la_overview", args=[world.la_north.pk]))
    assert reverse("audit:la_security_events", args=[world.la_north.pk]) in page.content.decode()


@pytest.mark.parametrize("persona", ["la_admin_north", "platform_admin"])
def test_the_search_page_makes_the_same_number_of_queries_at_two_sizes(
    world: World, client_for: ClientFor, django_assert_max_num_queries: DjangoAssertNumQueries, persona: str
) -> None:
    client = client_for(world.persona(persona))
    url = reverse("audit:la_security_events", args=[world.la_north.pk])
    client.get(url)  # the first request also sets up the session
    record_security_event(K.SIGN_IN_FAILED, user=world.senco_a)
    with django_assert_max_num_queries(9) as small:
        assert client.get(url, {"kind": K.SIGN_IN_FAILED}).status_code == 200
    for number in range(120):  # past two pages
        record_security_event(K.SIGN_IN_FAILED if number % 2 else K.DENIED, user=world.senco_a, detail=str(number))
    with django_assert_max_num_queries(9) as large:
        response = client.get(url, {"kind": K.SIGN_IN_FAILED, "page": "2"})
    assert "61 events found" in response.content.decode() and "Page 2" in response.content.decode()
    assert len(large) == len(small)


def test_a_wrong_password_is_logged_against_the_account(world: World, client_for: ClientFor) -> None:
    """The sign-in code's calls arrive here (graduated/accounts/security.py)."""
    response = Client().post(reverse("accounts:login"), {"username": world.senco_a.email, "password": "wrong" * 4})
    assert response.status_code == 400
    event = _only_event()
    assert (event.kind, event.user_id) == (K.SIGN_IN_FAILED, world.senco_a.pk)
    assert event.local_authority_id == world.la_north.pk
    assert (event.method, event.ip_address) == ("POST", "127.0.0.1")
    page = _shown(client_for(world.la_admin_north), reverse("audit:la_security_events", args=[world.la_north.pk]))
    assert "Sign-in failed" in page
