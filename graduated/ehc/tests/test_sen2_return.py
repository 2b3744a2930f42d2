"""The person-level SEN2 return: which cases it holds, each module's items worked by hand, its checks,
and the XML and CSV files. Requests are received 3 March 2025 (the factories' date), so they fall in
SEN2 2026: the year 2025, census day Thursday 15 January 2026."""

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import reviews, sen2_services, services
from graduated.ehc.models import EHCPlan
from graduated.ehc.sen2_checks import check
from graduated.ehc.sen2_files import as_csv_zip, as_xml
from graduated.ehc.sen2_return import Collection, build_return, cases_for_return, reference_date, return_year
from graduated.ehc.tests.factories import ACTOR, assessing, drafted, final, not_assessing, received
from graduated.lib.testing import World, make_pupil
from graduated.lib.versioning import StaleEditError
from graduated.pupils.models import Need

SEN2_2026 = Collection(2026)


def _placement(plan: EHCPlan, **values: Any) -> None:
    data = {"setting": None, "urn": "", "ukprn": "", "sen_setting": "", "sen_setting_other": "", "rank": 1,
            "entry_date": plan.final_issued_on, "leaving_date": None, "sen_unit": False, "resourced_provision": False,
            **values}  # fmt: skip
    sen2_services.add_placement(actor=ACTOR, plan=plan, data=data)


def _need(pupil: Any, sen_type: str, rank: int, start: date = date(2024, 9, 1)) -> None:
    Need.objects.create(pupil=pupil, sen_type=sen_type, rank=rank, start_date=start)


def _built(world: World, year: int = 2026) -> Any:
    collection = Collection(year)
    return build_return(world.la_north, collection, cases_for_return(world.la_north, collection))


def test_the_census_day_is_the_third_thursday_of_january() -> None:
    assert [reference_date(year) for year in (2024, 2025, 2026, 2027)] == [
        date(2024, 1, 18), date(2025, 1, 16), date(2026, 1, 15), date(2027, 1, 21),
    ]  # fmt: skip
    assert return_year(date(2026, 12, 3)) == 2027  # working towards January's return
    assert return_year(date(2026, 2, 10)) == 2026  # still inside the collection window of this January's


def test_each_module_holds_the_items_worked_by_hand(world: World) -> None:
    plan = final(world.p1)  # decided 7 April 2025, issued 16 July 2025
    _placement(plan, setting=world.setting_a, sen_unit=True)
    _need(world.p1, "SLCN", 1)
    _need(world.p1, "ASD", 2)
    refused = not_assessing(world.p2)  # decided not to assess on 12 April 2025
    to_withdraw = received(world.p3)
    services.withdraw_request(
        actor=ACTOR, request=to_withdraw, withdrawn_on=date(2025, 3, 20), withdrawn_by="family",
        reason="Trying the new support.", expected_version=to_withdraw.version,
    )  # fmt: skip
    pending = received(make_pupil(world.setting_a, "Pending", "Case"), date(2025, 12, 1))
    received(make_pupil(world.setting_a, "Next", "Year"), date(2026, 1, 5))  # after the year: not in SEN2 2026
    received(world.p4)  # Southborough's

    built = _built(world)

    people = {row["Surname"]: row for row in built.rows("person")}
    assert set(people) == {world.p1.legal_last_name, world.p2.legal_last_name, world.p3.legal_last_name, "Case"}
    person = people[world.p1.legal_last_name]
    assert (person["PersonBirthDate"], person["GenderCurrent"], person["UPN"]) == (
        world.p1.date_of_birth.isoformat(), world.p1.sex, world.p1.upn,
    )  # fmt: skip
    requests = {row["id"]: row for row in built.rows("request")}
    outcomes = {key: (row["RequestOutcome"], row["RequestOutcomeDate"]) for key, row in requests.items()}
    assert outcomes[str(plan.request_id)] == ("A", "2025-04-07")
    assert outcomes[str(refused.pk)] == ("N", "2025-04-12")
    assert ("W", "2025-03-20") in outcomes.values()
    assert outcomes[str(pending.pk)] == ("P", "")
    (assessment,) = built.rows("assessment")
    assert (assessment["AssessmentOutcome"], assessment["AssessmentOutcomeDate"], assessment["Week20"]) == (
        "Y", "2025-07-16", "0",
    )  # fmt: skip
    (named,) = built.rows("named_plan")
    assert (named["StartDate"], named["CeaseDate"], named["PB"]) == ("2025-07-16", "", "0")
    (detail,) = built.rows("plan_detail")
    assert (detail["URN"], detail["PlacementRank"], detail["SENunitIndicator"]) == ("100001", "1", "1")
    (active,) = built.rows("active_plan")
    assert active["parent"] == str(plan.request_id) and active["LastReview"] == ""
    (placement,) = built.rows("placement_detail")
    assert (placement["URN"], placement["EntryDate"], placement["LeavingDate"]) == ("100001", "2025-07-16", "")
    assert [(row["SENtypeRank"], row["SENtype"]) for row in built.rows("sen_need")] == [("1", "SLCN"), ("2", "ASD")]


def test_a_decision_after_the_census_day_is_still_pending_and_a_plan_ceased_in_the_year_is_not_active(
    world: World,
) -> None:
    late = assessing(world.p1, on=date(2025, 12, 15), decided_after=40)  # decided 24 January 2026
    plan = final(world.p2, on=date(2024, 3, 4))  # issued 2024; reviewed, ceased in 2025
    _placement(plan, sen_setting="OLA")
    reviews.record_review(
        actor=ACTOR, plan=plan,
        details={"meeting_on": date(2025, 3, 3), "decision": "cease", "decided_on": date(2025, 3, 10),
                 "ceased_on": date(2025, 5, 12), "cease_reason": 3},
    )  # fmt: skip

    built = _built(world)

    requests = {row["id"]: row for row in built.rows("request")}
    assert requests[str(late.pk)]["RequestOutcome"] == "P"
    (named,) = built.rows("named_plan")
    assert (named["CeaseDate"], named["CeaseReason"]) == ("2025-05-12", "3")
    assert built.rows("active_plan") == []
    # A year later the ceased plan's case is finished before the year began: not in SEN2 2027.
    assert str(plan.request_id) not in {row["id"] for row in _built(world, 2027).rows("request")}


def test_a_confirmed_exception_to_the_twenty_weeks_is_reported(world: World) -> None:
    draft = drafted(world.p1)
    services.add_exception(
        actor=ACTOR, request=draft.request, kind="personal_circumstances", first_day=date(2025, 5, 1),
        last_day=date(2025, 6, 1), reason="A long stay in hospital.", impractical_because="No assessment possible.",
    )  # fmt: skip
    services.issue_final_plan(  # 31 July 2025, after the 20 weeks (21 July)
        actor=ACTOR, plan=draft, final_issued_on=date(2025, 7, 31), expected_version=draft.version
    )
    (assessment,) = _built(world).rows("assessment")
    assert assessment["Week20"] == "1"


def test_the_checks_name_what_to_put_right(world: World) -> None:
    plan = final(world.p1)  # no placement, no need
    plan2 = final(world.p2, on=date(2024, 3, 4))
    _placement(plan2, urn="123456")
    reviews.record_review(
        actor=ACTOR,
        plan=plan2,
        details={
            "meeting_on": date(2025, 3, 3),
            "decision": "cease",
            "decided_on": date(2025, 3, 10),
            "ceased_on": date(2025, 5, 12),
        },
    )  # fmt: skip  (ceased with no reason)
    refused = not_assessing(world.p3)
    refused.request_mediation = True  # mediation over the refusal to assess: as it should be
    refused.save(update_fields=["request_mediation"])
    plan.request.request_mediation = True  # but this request was agreed: there was no refusal to mediate
    plan.request.save(update_fields=["request_mediation"])
    no_upn = received(make_pupil(world.setting_a, "No", "Upn", upn=None))

    findings = check(_built(world))

    rules = {(finding.rule, finding.case.pk if finding.case else None) for finding in findings if finding.error}
    assert ("4b.placement", plan.request_id) in rules
    assert ("5b.placement", plan.request_id) in rules
    assert ("5c.need", plan.request_id) in rules
    assert ("2.mediation", plan.request_id) in rules
    assert ("4.cease-reason", plan2.request_id) in rules
    assert not any(finding.error for finding in findings if finding.case == refused)
    warnings = {(finding.rule, finding.case.pk if finding.case else None) for finding in findings if not finding.error}
    assert ("1.upn", no_upn.pk) in warnings and ("1.not-held", None) in warnings
    assert findings[0].error and not findings[-1].error  # errors first


def test_nsa_is_not_a_need_for_a_plan(world: World) -> None:
    plan = final(world.p1)
    _placement(plan, setting=world.setting_a)
    _need(world.p1, "NSA", 1)
    findings = check(_built(world))
    assert [finding.rule for finding in findings if finding.error] == ["5c.type"]


def _clean_return(world: World) -> EHCPlan:
    plan = final(world.p1)
    _placement(plan, setting=world.setting_a)
    _placement(plan, rank=2, sen_setting="OTH", sen_setting_other="Hospital school sessions", resourced_provision=True)
    _need(world.p1, "SLCN", 1)
    return plan


def test_the_xml_nests_each_module_under_its_parent(world: World) -> None:
    plan = _clean_return(world)
    built = _built(world)
    assert [finding for finding in check(built) if finding.error] == []

    root = ET.fromstring(as_xml(built, datetime(2026, 1, 20, 9, 30)))  # noqa: S314 (the file we just made)

    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-01-15"
    assert root.findtext("Header/Source/LEA") == world.la_north.code
    (person,) = root.findall("Persons/Person")
    assert person.findtext("UPN") == world.p1.upn and person.find("Ethnicity") is None  # empty items left out
    request = person.find("Request")
    assert request is not None and request.findtext("RequestOutcome") == "A"
    assert request.findtext("Assessment/NamedPlan/StartDate") == plan.final_issued_on.isoformat()
    ranks = [detail.findtext("PlacementRank") for detail in request.findall("Assessment/NamedPlan/PlanDetail")]
    assert ranks == ["1", "2"]
    placements = request.findall("ActivePlans/PlacementDetail")
    assert [(p.findtext("URN"), p.findtext("SENsetting")) for p in placements] == [("100001", None), (None, "OTH")]
    assert request.findtext("ActivePlans/SENneed/SENtype") == "SLCN"


def test_the_csv_has_one_file_per_module_linked_by_ids(world: World) -> None:
    plan = _clean_return(world)
    archive = zipfile.ZipFile(io.BytesIO(as_csv_zip(_built(world), datetime(2026, 1, 20, 9, 30))))
    assert sorted(archive.namelist()) == sorted([
        "sen2.csv", "person.csv", "requests.csv", "assessment.csv", "namedplan.csv", "plandetail.csv",
        "activeplans.csv", "placementdetail.csv", "senneed.csv",
    ])  # fmt: skip

    def rows(name: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(archive.read(name).decode())))

    (request,) = rows("requests.csv")
    assert (request["requests_id"], request["person_id"]) == (str(plan.request_id), str(world.p1.pk))
    placements = rows("placementdetail.csv")
    assert {row["activeplans_id"] for row in placements} == {str(plan.pk)}
    assert [row["PlacementRank"] for row in placements] == ["1", "2"]
    assert rows("sen2.csv")[0]["ReferenceDate"] == "2026-01-15"


def test_reading_the_return_takes_the_same_queries_for_one_case_or_five(world: World) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            build_return(world.la_north, SEN2_2026, cases_for_return(world.la_north, SEN2_2026))
        return len(queries)

    _placement(final(world.p1), setting=world.setting_a)
    one = count()
    for index in range(4):
        pupil = make_pupil(world.setting_a, "More", f"Pupil{index}")
        _placement(final(pupil), urn="123456")
        _need(pupil, "MLD", 1)
        services.add_exception(
            actor=ACTOR, request=received(make_pupil(world.setting_a, "Open", f"Case{index}")),
            kind="personal_circumstances", first_day=date(2025, 3, 10), last_day=date(2025, 3, 12), reason="Ill.",
        )  # fmt: skip
    assert count() == one


# -- The pages ----------------------------------------------------------------------------------------


def _check_page(world: World) -> str:
    return reverse("ehc:sen2_check", args=[world.la_north.pk])


def test_the_return_downloads_only_once_its_errors_are_put_right(
    world: World,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = final(world.p1)
    _need(world.p1, "SLCN", 1)
    client = client_for(world.officer_north)
    build = reverse("ehc:sen2_build", args=[world.la_north.pk])
    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process (conftest.py)
        assert client.post(build, {"year": 2026}).status_code == 302
    page = client.get(_check_page(world), {"year": 2026})
    html = page.content.decode()
    assert page.status_code == 200 and "2 errors to put right" in html and "names no main placement" in html
    xml_url = reverse("ehc:sen2_xml", args=[world.la_north.pk])
    refused = client.get(xml_url, {"year": 2026}, follow=True)
    assert "put them right in the cases" in refused.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="ehc sen2 return").exists()

    add = reverse("ehc:add_placement", args=[world.la_north.pk, plan.request_id])
    day = plan.final_issued_on
    form = {"setting": world.setting_a.pk, "rank": "1", "entry_date_0": day.day, "entry_date_1": day.month,
            "entry_date_2": day.year}  # fmt: skip
    assert client.post(add, form).status_code == 302
    html = client.get(_check_page(world), {"year": 2026}).content.decode()
    assert "The return may be out of date" in html and "2 errors to put right" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(build, {"year": 2026})
    html = client.get(_check_page(world), {"year": 2026}).content.decode()
    assert "No errors: the return can be downloaded." in html and "out of date" not in html
    response = client.get(xml_url, {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    content = b"".join(response.streaming_content)
    assert ET.fromstring(content).findtext("Persons/Person/UPN") == world.p1.upn  # noqa: S314 (ours)
    zipped = client.get(reverse("ehc:sen2_csv", args=[world.la_north.pk]), {"year": 2026})
    assert zipped["Content-Type"] == "application/zip"
    assert zipfile.is_zipfile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="ehc sen2 return").count() == 2


def test_a_year_not_offered_is_a_clear_400(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.officer_north)
    for year in ("1999", "twenty", "9999"):
        response = client.get(_check_page(world), {"year": year})
        assert response.status_code == 400 and "Choose a year from the list" in response.content.decode()
        download = client.get(reverse("ehc:sen2_xml", args=[world.la_north.pk]), {"year": year})
        assert download.status_code == 400


def test_a_placement_form_refuses_what_cannot_be(world: World, client_for: Callable[..., Client]) -> None:
    plan = final(world.p1)
    client = client_for(world.officer_north)
    add = reverse("ehc:add_placement", args=[world.la_north.pk, plan.request_id])
    day = plan.final_issued_on
    when = {"entry_date_0": day.day, "entry_date_1": day.month, "entry_date_2": day.year}
    both = client.post(add, {**when, "setting": world.setting_a.pk, "urn": "123456", "rank": "1"})
    assert both.status_code == 400 and "not more than one" in both.content.decode()
    none = client.post(add, {**when, "rank": "1"})
    assert "Give one of: the setting, its URN or UKPRN" in none.content.decode()
    bad = client.post(add, {**when, "urn": "12", "ukprn": "99", "rank": "3"})
    assert "Enter the URN as 6 to 8 digits" in bad.content.decode()
    assert client.post(add, {**when, "urn": "123456", "rank": "1"}).status_code == 302
    again = client.post(add, {**when, "sen_setting": "EHE", "rank": "1"})
    assert again.status_code == 400 and "is already the main placement" in again.content.decode()
    placement = plan.placements.get()
    edit = reverse("ehc:edit_placement", args=[world.la_north.pk, plan.request_id, placement.pk])
    later = day + timedelta(days=100)
    ended = {**when, "urn": "123456", "rank": "1", "leaving_date_0": later.day, "leaving_date_1": later.month,
             "leaving_date_2": later.year, "version": placement.version}  # fmt: skip
    assert client.post(edit, ended).status_code == 302
    stale = client.post(edit, {**ended, "version": placement.version})
    assert stale.status_code == 400
    assert plan.placements.get().leaving_date == later
    other = received(world.p4)
    foreign = reverse("ehc:edit_placement", args=[world.la_north.pk, other.pk, placement.pk])
    assert client.get(foreign).status_code == 404


def test_the_sen2_details_are_saved_with_their_versions(world: World, client_for: Callable[..., Client]) -> None:
    plan = final(world.p1)
    case = plan.request
    url = reverse("ehc:sen2_details", args=[world.la_north.pk, case.pk])
    client = client_for(world.officer_north)
    assert "Mediation over a decision not to assess" in client.get(url).content.decode()
    data = {"other_tribunal": "on", "personal_budget": "on", "budget_direct_payments": "on",
            "transferred_in_from": "861", "version": case.version, "plan_version": plan.version}  # fmt: skip
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    plan.request.refresh_from_db()
    assert plan.request.other_tribunal and plan.personal_budget and plan.transferred_in_from == "861"
    stale = client.post(url, {**data, "personal_budget": ""})
    assert stale.status_code == 400
    plan.refresh_from_db()
    assert plan.personal_budget
    assert client.post(url, {**data, "transferred_in_from": "86", "version": plan.request.version}).status_code == 400


def test_two_officers_saving_one_placement_the_later_is_refused(world: World) -> None:
    plan = final(world.p1)
    _placement(plan, urn="123456")
    placement = plan.placements.get()
    data = {
        "setting": None,
        "urn": "123456",
        "ukprn": "",
        "sen_setting": "",
        "sen_setting_other": "",
        "rank": 1,
        "entry_date": placement.entry_date,
        "leaving_date": None,
        "sen_unit": True,
        "resourced_provision": False,
    }
    sen2_services.update_placement(actor=ACTOR, placement=placement, data=data, expected_version=placement.version)
    with pytest.raises(StaleEditError):
        sen2_services.update_placement(actor=ACTOR, placement=placement, data=data, expected_version=1)
    assert plan.placements.get().sen_unit
