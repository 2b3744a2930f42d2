"""What an MIS sync does with the API: find a pupil on roll by UPN, add one, keep them up to date."""

from typing import Any

from graduated.api.tests.helpers import call, token_for
from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, valid_upn
from graduated.pupils.models import Enrolment, Pupil

NEW_UPN = valid_upn("860", "2001", "25", 777)


def new_pupil(**changes: Any) -> dict[str, Any]:
    return {
        "legal_first_name": "Noor", "legal_last_name": "Newcomer", "date_of_birth": "2018-02-11", "sex": "F",
        "upn": NEW_UPN, "start_date": "2025-09-03", **changes,
    }  # fmt: skip


def test_a_pupil_is_found_by_upn_whatever_their_status(world: World) -> None:
    token = token_for(world.senco_a, scope="read")
    # P2 has no SEN (N): not on the register, but on roll, so the sync finds them.
    found = call("GET", f"/api/v1/settings/{world.setting_a.pk}/pupils?upn={world.p2.upn.lower()}", token).json()
    assert [p["id"] for p in found["results"]] == [world.p2.pk] and found["results"][0]["current_status"] == "N"
    # A pupil of another setting is not found through this one.
    other = call("GET", f"/api/v1/settings/{world.setting_a.pk}/pupils?upn={world.p4.upn}", token).json()
    assert other["count"] == 0 and other["results"] == []


def test_a_sync_adds_a_pupil_as_the_page_does(world: World) -> None:
    response = call("POST", f"/api/v1/settings/{world.setting_a.pk}/pupils", token_for(world.senco_a), new_pupil())
    assert response.status_code == 201, response.content
    body = response.json()
    pupil = Pupil.objects.get(pk=body["id"])
    assert (pupil.legal_first_name, pupil.upn, pupil.home_local_authority) == ("Noor", NEW_UPN, world.la_north)
    assert Enrolment.objects.current().filter(pupil=pupil, setting=world.setting_a).exists()
    assert body["version"] == pupil.version
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="pupils.pupil", object_id=str(pupil.pk))


def test_a_upn_already_held_is_refused_with_the_pages_message(world: World) -> None:
    token = token_for(world.senco_a)
    response = call("POST", f"/api/v1/settings/{world.setting_a.pk}/pupils", token, new_pupil(upn=world.p4.upn))
    body = response.json()
    assert response.status_code == 422 and body["field"] == "upn"
    assert "ask that setting for their record" in body["detail"]
    assert not Pupil.objects.filter(legal_last_name="Newcomer").exists()


def test_a_start_before_birth_and_an_unknown_sex_are_refused(world: World) -> None:
    token = token_for(world.senco_a)
    path = f"/api/v1/settings/{world.setting_a.pk}/pupils"
    early = call("POST", path, token, new_pupil(start_date="2017-01-01")).json()
    assert early["field"] == "start_date" and "after the date of birth" in early["detail"]
    assert call("POST", path, token, new_pupil(sex="Q")).json()["field"] == "sex"
    assert not Pupil.objects.filter(legal_last_name="Newcomer").exists()
