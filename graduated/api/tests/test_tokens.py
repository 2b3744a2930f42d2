"""Tokens: made and revoked on the page, hashed at rest, refused when expired, revoked, read-only
for a write, or the owner is inactive; audited; rate-limited; every refusal JSON."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.api.models import ApiToken, hash_token
from graduated.api.tests.helpers import call, token_for
from graduated.audit.models import AuditAction, AuditEvent, SecurityEvent
from graduated.lib.testing import World


def token_form(**changes: str) -> dict[str, str]:
    return {"name": "x", "acts_for": "me", "scope": "read", "days": "30", **changes}


def test_a_senco_makes_a_token_shown_once_and_stored_hashed(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.senco_a)
    page = client.post(reverse("api:tokens"), {"name": "MIS sync", "acts_for": "me", "scope": "write", "days": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get(owner=world.senco_a)
    raw = page.content.decode().split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("grd_") and token.token_hash == hash_token(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert raw not in client.get(reverse("api:tokens")).content.decode()  # shown once only
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="api.apitoken", actor_id=world.senco_a.pk
    ).exists()
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 200


def test_a_teacher_may_not_make_one(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(world.teacher_a)
    assert (
        client.post(reverse("api:tokens"), {"name": "x", "acts_for": "me", "scope": "read", "days": "30"}).status_code
        == 403
    )
    assert not ApiToken.objects.exists()


def test_too_long_a_life_is_refused_with_a_message(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.senco_a).post(
        reverse("api:tokens"), {"name": "x", "acts_for": "me", "scope": "read", "days": "9999"}
    )
    assert page.status_code == 400 and "at most 365 days" in page.content.decode()


def test_revoking_stops_the_token_and_is_audited(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    raw = token_for(world.senco_a)
    token = ApiToken.objects.get()
    assert client_for(world.senco_a).post(reverse("api:revoke", args=[token.pk])).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(token.pk)).exists()
    response = call("GET", f"/api/v1/pupils/{world.p1.pk}", raw)
    assert response.status_code == 401 and "token" in response.json()["detail"]


def test_someone_elses_token_cannot_be_revoked(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    token_for(world.senco_c)
    token = ApiToken.objects.get()
    assert client_for(world.senco_a).post(reverse("api:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_expired_token_is_refused(world: World) -> None:
    raw = token_for(world.senco_a)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 401


def test_an_inactive_owners_token_is_refused(world: World) -> None:
    raw = token_for(world.senco_a)
    world.senco_a.is_active = False
    world.senco_a.save()
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 401


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer grd_nonsense", "Basic abc", "Bearer " + "x" * 5000])
def test_no_valid_token_is_a_401_in_json(world: World, header: str) -> None:
    response = Client().get(f"/api/v1/pupils/{world.p1.pk}", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json()["detail"] and response["WWW-Authenticate"] == "Bearer"


def test_a_read_token_may_not_write(world: World) -> None:
    raw = token_for(world.senco_a, scope="read")
    response = call(
        "POST", f"/api/v1/pupils/{world.p1.pk}/needs", raw, {"sen_type": "SLCN", "rank": 1, "start_date": "2025-03-01"}
    )
    assert response.status_code == 403 and "write scope" in response.json()["detail"]
    assert not world.p1.needs.filter(sen_type="SLCN").exists()


def test_the_token_acts_with_the_owners_memberships_now(world: World) -> None:
    raw = token_for(world.senco_a)
    world.senco_a.memberships.all().delete()
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 404


def test_a_token_call_needs_no_second_factor_nor_session_and_no_csrf(world: World) -> None:
    raw = token_for(world.senco_a)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/pupils/{world.p1.pk}/needs", {"sen_type": "SLCN", "rank": 1, "start_date": "2025-03-01"},
        content_type="application/json", headers={"Authorization": f"Bearer {raw}"},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert ApiToken.objects.get().last_used_at is not None


def test_a_signed_in_session_alone_does_not_reach_the_api(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for(world.senco_a).get(f"/api/v1/pupils/{world.p1.pk}").status_code == 401


def test_a_foreign_pupil_is_a_404_in_json_and_logged_as_denied(world: World) -> None:
    response = call("GET", f"/api/v1/pupils/{world.p4.pk}", token_for(world.senco_a))
    assert response.status_code == 404 and response.json() == {"detail": "No such pupil.", "field": None}
    assert SecurityEvent.objects.filter(kind="denied", user_id=world.senco_a.pk).exists()


# -- Audit -----------------------------------------------------------------------------------------


def test_each_read_writes_one_view_event_naming_the_api(world: World) -> None:
    raw = token_for(world.senco_a)
    since = AuditEvent.objects.order_by("-pk").first().pk  # type: ignore[union-attr]
    call("GET", f"/api/v1/pupils/{world.p1.pk}/needs", raw)
    event = AuditEvent.objects.get(pk__gt=since)
    assert (event.action, event.pupil_id, event.actor_id, event.object_type) == (
        AuditAction.VIEW, world.p1.pk, world.senco_a.pk, "api: needs",
    )  # fmt: skip


def test_the_list_writes_one_event_for_the_list(world: World) -> None:
    raw = token_for(world.senco_a)
    since = AuditEvent.objects.order_by("-pk").first().pk  # type: ignore[union-attr]
    body = call("GET", f"/api/v1/settings/{world.setting_a.pk}/pupils", raw).json()
    assert [p["id"] for p in body["results"]] == [world.p1.pk]  # the register: P2 has no SEN status
    events = AuditEvent.objects.filter(pk__gt=since)
    assert [(e.action, e.object_type, e.pupil_id) for e in events] == [(AuditAction.VIEW, "api: setting pupils", None)]


def test_a_write_is_audited_as_on_the_page(world: World) -> None:
    raw = token_for(world.senco_a)
    response = call(
        "POST", f"/api/v1/pupils/{world.p1.pk}/needs", raw, {"sen_type": "SLCN", "rank": 1, "start_date": "2025-03-01"}
    )
    assert response.status_code == 201
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="pupils.need", pupil_id=world.p1.pk
    ).exists()


# -- Rate limit ------------------------------------------------------------------------------------


def test_past_the_limit_a_429_with_retry_after(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    raw = token_for(world.senco_a)
    answers = [call("GET", f"/api/v1/pupils/{world.p1.pk}", raw) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert 1 <= int(answers[-1]["Retry-After"]) <= 61
    assert "Too many requests" in answers[-1].json()["detail"]
    # Another token has its own count.
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", token_for(world.senco_a)).status_code == 200


def test_a_new_minute_opens_a_new_window(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    raw = token_for(world.senco_a)
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 200
    ApiToken.objects.update(window_start=timezone.now() - timedelta(minutes=2))
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 200


# -- Writes and errors -----------------------------------------------------------------------------


def test_a_stale_version_is_a_409_and_changes_nothing(world: World) -> None:
    raw = token_for(world.senco_a)
    path = f"/api/v1/pupils/{world.p1.pk}"
    version = call("GET", path, raw).json()["version"]
    assert call("PATCH", path, raw, {"version": version, "preferred_first_name": "Pri"}).status_code == 200
    stale = call("PATCH", path, raw, {"version": version, "preferred_first_name": "Prya"})
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    assert stale.json()["saved_version"] == version + 1
    world.p1.refresh_from_db()
    assert world.p1.preferred_first_name == "Pri"


def test_a_write_refused_by_the_form_gives_its_message_and_field(world: World) -> None:
    raw = token_for(world.senco_a)
    path = f"/api/v1/pupils/{world.p1.pk}/needs"
    assert call("POST", path, raw, {"sen_type": "SLCN", "rank": 1, "start_date": "2025-03-01"}).status_code == 201
    again = call("POST", path, raw, {"sen_type": "SLCN", "rank": 2, "start_date": "2025-03-01"})
    assert again.status_code == 422
    assert again.json()["detail"] == "The pupil already has this type of need recorded."
    bad_type = call("POST", path, raw, {"sen_type": "ZZZ", "rank": 2, "start_date": "2025-03-01"})
    assert bad_type.status_code == 422 and bad_type.json()["field"] == "sen_type"


def test_coming_off_the_register_needs_a_reason_as_on_the_page(world: World) -> None:
    raw = token_for(world.senco_a)
    response = call(
        "POST", f"/api/v1/pupils/{world.p1.pk}/sen-status", raw, {"status": "N", "start_date": "2025-03-01"}
    )
    assert response.status_code == 422
    assert response.json() | {"errors": None} == {
        "detail": "Enter why the pupil is coming off the SEN register.", "field": "reason", "errors": None,
    }  # fmt: skip


@pytest.mark.parametrize("path", ["/api/v1/pupils/abc", "/api/v1/pupils/0", "/api/v1/pupils/99999999999999999999"])
def test_a_malformed_id_is_a_422_naming_the_field(world: World, path: str) -> None:
    response = call("GET", path, token_for(world.senco_a))
    assert response.status_code == 422 and response.json()["field"] == "pupil_id"


def test_bad_json_and_wrong_methods_are_answered_in_json(world: World) -> None:
    raw = token_for(world.senco_a)
    response = Client().post(
        f"/api/v1/pupils/{world.p1.pk}/needs", "{not json", content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )  # fmt: skip
    assert response.status_code in (400, 422) and response.json()["detail"]
    wrong = call("DELETE", f"/api/v1/pupils/{world.p1.pk}", raw)
    assert wrong.status_code == 405 and "not allowed" in wrong.json()["detail"]


# -- Service tokens ------------------------------------------------------------------------------


def _service_token(client, setting) -> str:  # type: ignore[no-untyped-def]
    page = client.post(
        reverse("api:tokens"),
        {"name": "Arbor nightly", "acts_for": f"setting:{setting.pk}", "scope": "write", "days": "30"},
    )
    assert page.status_code == 200, page.content.decode()[:500]
    return page.content.decode().split('id="new-token">')[1].split("<")[0]


def test_a_service_token_acts_for_the_setting_and_outlives_its_maker(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    raw = _service_token(client_for(world.senco_a), world.setting_a)
    token = ApiToken.objects.get()
    account = token.owner
    assert account.is_service and not account.has_usable_password() and token.made_by == world.senco_a
    assert list(account.memberships.values_list("role", "setting_id")) == [("service", world.setting_a.pk)]
    # It reaches the setting's pupils and writes as the service, not as the SENCO.
    assert call("GET", f"/api/v1/settings/{world.setting_a.pk}/pupils", raw).status_code == 200
    change = {"version": world.p1.version, "preferred_first_name": "Pri"}
    assert call("PATCH", f"/api/v1/pupils/{world.p1.pk}", raw, change).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, pupil_id=world.p1.pk, actor_id=account.pk).exists()
    # Another setting's pupils are not reached; the SENCO's own staff pages are not for it.
    assert call("GET", f"/api/v1/pupils/{world.p4.pk}", raw).status_code == 404
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}/provision-map", raw).status_code == 200

    # The SENCO who made it leaves: it keeps working.
    world.senco_a.memberships.all().delete()
    world.senco_a.is_active = False
    world.senco_a.save(update_fields=["is_active"])
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 200


def test_a_service_account_cannot_sign_in_and_is_not_among_the_people(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _service_token(client_for(world.senco_a), world.setting_a)
    account = ApiToken.objects.get().owner
    assert not Client().login(email=account.email, password="")
    people = client_for(world.senco_a).get(reverse("organisations:members", args=["setting", world.setting_a.pk]))
    assert "service token" not in people.content.decode()
    membership = account.memberships.get()
    change = reverse("organisations:change_role", args=["setting", world.setting_a.pk, membership.pk])
    assert client_for(world.senco_a).post(change, {"role": "senco"}).status_code == 404
    assert account.memberships.get().role == "service"


def test_another_senco_of_the_setting_sees_and_revokes_it(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    from graduated.lib.testing import make_member
    from graduated.organisations.models import Role

    raw = _service_token(client_for(world.senco_a), world.setting_a)
    second = make_member("senco2.a@example.org", Role.SENCO, world.setting_a, "Second Senco")
    token = ApiToken.objects.get()
    page = client_for(second).get(reverse("api:tokens")).content.decode()
    assert "Arbor nightly" in page and "Ash Primary School (service)" in page and "Made by Sam Senco" in page
    # A SENCO elsewhere neither sees nor revokes it.
    assert "Arbor nightly" not in client_for(world.senco_c).get(reverse("api:tokens")).content.decode()
    assert client_for(world.senco_c).post(reverse("api:revoke", args=[token.pk])).status_code == 404
    assert client_for(second).post(reverse("api:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.owner.is_active
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 401


def test_a_service_token_is_only_for_an_organisation_the_maker_runs(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.senco_a).post(reverse("api:tokens"), token_form(acts_for=f"setting:{world.setting_c.pk}"))
    assert page.status_code == 400 and "Select a valid choice" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_an_las_service_token_reads_its_cases(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(world.la_admin_north).post(
        reverse("api:tokens"),
        {"name": "Case system", "acts_for": f"la:{world.la_north.pk}", "scope": "read", "days": "30"},
    )
    raw = page.content.decode().split('id="new-token">')[1].split("<")[0]
    assert call("GET", f"/api/v1/las/{world.la_north.pk}/ehc-cases", raw).status_code == 200
    assert call("GET", f"/api/v1/las/{world.la_south.pk}/ehc-cases", raw).status_code == 404
    assert call("GET", f"/api/v1/pupils/{world.p1.pk}", raw).status_code == 404
