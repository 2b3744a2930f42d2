"""Common Transfer Files out: a pupil's from their page, a group of leavers' from the SEN register,
and what another setting gets when it imports one."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil, valid_upn
from graduated.pupils import services
from graduated.pupils.models import Contact, Enrolment, Pupil
from graduated.records.ctf import School, ctf_chunks, read_ctf, relationship_code, write_ctf
from graduated.records.exports import pupil_record, pupil_records
from graduated.records.models import ImportRun, ImportStatus
from graduated.records.record import PupilRecord

ACTOR = Actor.system("test")
MAX = 10_000_000
TO_CEDAR = {"to_dfe_number": "931/2004", "to_urn": "200001", "to_name": "Cedar School"}


def last_day() -> date:
    """The leavers' last day: the end of a term still to come."""
    return timezone.localdate() + timedelta(days=120)


def leaver(world: World, serial: int, *, leaving: bool = True, **details: Any) -> Pupil:
    """A pupil of setting A with an SEN history, needs (one ended) and two contacts, leaving on
    ``last_day()`` unless ``leaving`` is False."""
    details.setdefault("upn", valid_upn("860", "2001", "17", serial))
    pupil = make_pupil(world.setting_a, "Lee", f"Leaver{serial:03d}", date_of_birth=date(2017, 2, 9),
                       start_date=date(2021, 9, 1), **details)  # fmt: skip
    services.change_sen_status(actor=ACTOR, pupil=pupil, status="K", start_date=date(2022, 1, 10))
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="SLCN", rank=1, start_date=date(2022, 1, 10))
    mld = services.record_need(actor=ACTOR, pupil=pupil, sen_type="MLD", rank=2, start_date=date(2022, 3, 1))
    services.end_need(actor=ACTOR, need=mld, end_date=date(2023, 7, 20))
    services.change_sen_status(actor=ACTOR, pupil=pupil, status="E", start_date=date(2024, 3, 4))
    Contact.objects.create(pupil=pupil, first_name="Rosa", last_name=f"Leaver{serial}", relationship="PAM",
                           parental_responsibility=True, email=f"rosa{serial}@example.com", phone="07700 900555",
                           priority=1)  # fmt: skip
    Contact.objects.create(pupil=pupil, first_name="Tom", last_name=f"Leaver{serial}", relationship="Carer",
                           phone="01632 960555")  # fmt: skip
    if leaving:
        Enrolment.objects.filter(pupil=pupil, setting=world.setting_a).update(end_date=last_day())
    return pupil


def as_sent(record: PupilRecord) -> PupilRecord:
    """The record as a CTF carries it: a contact's relationship as its code ("Carer" is CAR)."""
    contacts = tuple(replace(c, relationship=relationship_code(c.relationship)) for c in record.contacts)
    return replace(record, contacts=contacts)


def ends_between(first: date, last: date) -> dict[str, Any]:
    return {"ends_from_0": first.day, "ends_from_1": first.month, "ends_from_2": first.year,
            "ends_to_0": last.day, "ends_to_1": last.month, "ends_to_2": last.year}  # fmt: skip


def leavers_url(world: World) -> str:
    return reverse("records:leavers", args=[world.setting_a.pk])


def streamed(response: Any) -> bytes:
    assert response.status_code == 200, response.content.decode()[:2000]
    return b"".join(response.streaming_content)


def exports_of(pupil: Pupil) -> int:
    return AuditEvent.objects.filter(pupil_id=pupil.pk, action=AuditAction.EXPORT).count()


# -- A pupil's file ----------------------------------------------------------------------------------


def test_the_pupil_page_links_to_the_ctf_for_those_who_may_read_the_record(world: World, client: Client) -> None:
    link = reverse("records:pupil_ctf", args=[world.p1.pk])
    for user, shown in [(world.senco_a, True), (world.head_a, True), (world.teacher_a, False)]:
        client.force_login(user)
        page = client.get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
        assert (link in page) is shown and ("Download a Common Transfer File" in page) is shown


def test_a_pupils_ctf_is_downloaded_from_a_small_form_and_reads_back_field_by_field(
    world: World, client_for: Any
) -> None:
    pupil = leaver(world, 1, preferred_first_name="Izzy")
    client = client_for(world.senco_a)
    url = reverse("records:pupil_ctf", args=[pupil.pk])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Download a Common Transfer File" in text
    assert "EHC plan from 4 March 2024" in text and "Moderate learning difficulty (MLD), rank 2" in text
    assert 'name="source_estab"' in text and 'method="get"' in text
    assert AuditEvent.objects.filter(pupil_id=pupil.pk, action=AuditAction.VIEW).count() == 1

    before = AuditEvent.objects.count()
    response = client.get(url, {"source_estab": "860/2001", **TO_CEDAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="8602001_CTF_9312004_001.XML"'
    # One EXPORT event and nothing else for the pupil: the middleware adds no VIEW.
    new = AuditEvent.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert [(e.action, e.pupil_id, e.object_type) for e in new] == [
        (AuditAction.EXPORT, pupil.pk, "common transfer file")
    ]
    assert "Lee" not in new[0].description  # no names in the audit trail

    result = read_ctf(response.content, max_bytes=MAX)
    assert result.is_valid and not result.problems
    header = result.header
    assert (header.source.lea, header.source.estab, header.source.urn, header.source.name) == (
        "860", "2001", "100001", "Ash Primary School"
    )  # fmt: skip
    assert header.destination == School("931", "2004", "200001", "Cedar School")
    [read] = result.pupils
    held = pupil_record(pupil, on=timezone.localdate())
    assert read.sen_history == held.sen_history and len(held.sen_history) == 3  # N, K and E
    assert read.needs == held.needs and len(held.needs) == 2
    assert read.contacts[0] == held.contacts[0]
    # "Carer" is written as its CTF code: the rest of that contact is the same.
    assert read.contacts[1].relationship == "CAR" and read.contacts[1].phone == "01632 960555"
    assert (read.upn, read.preferred_first_name, read.year_group) == (pupil.upn, "Izzy", pupil.year_group())


def test_the_establishment_number_is_remembered_for_the_sitting(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    url = reverse("records:pupil_ctf", args=[world.p1.pk])
    assert 'value="2001"' not in client.get(url).content.decode()
    assert client.get(url, {"source_estab": "2001"}).status_code == 200
    assert 'value="2001"' in client.get(url).content.decode()
    # The next school not known: the spec's placeholders, in the name and the header.
    response = client.get(url, {"source_estab": "2001"})
    assert response["Content-Disposition"] == 'attachment; filename="8602001_CTF_MMMMMMM_001.XML"'
    assert read_ctf(response.content, max_bytes=MAX).header.destination is None


def test_a_pupil_without_a_upn_cannot_have_a_ctf(world: World, client_for: Any) -> None:
    pupil = make_pupil(world.setting_a, "Nova", "Noupn", upn=None)
    client = client_for(world.senco_a)
    url = reverse("records:pupil_ctf", args=[pupil.pk])
    page = client.get(url).content.decode()
    assert "needs the pupil&#x27;s UPN" in page and 'name="source_estab"' not in page
    refused = client.get(url, {"source_estab": "2001"})
    assert refused.status_code == 400 and exports_of(pupil) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your setting&#x27;s DfE establishment number"),
        ({"source_estab": "20"}, "Enter your establishment number as 4 digits"),
        ({"source_estab": "931/2001"}, "That DfE number is in another local authority (931)"),
        ({"source_estab": "2001", "to_dfe_number": "Cedar"}, "Enter the DfE number as a 3-digit"),
        ({"source_estab": "2001", "to_dfe_number": "931/2004", "to_urn": "12"}, "Enter the URN as 6 digits"),
        ({"source_estab": "2001", "to_name": "Cedar School"}, "Enter the new school&#x27;s DfE number too"),
    ],
)
def test_a_pupils_ctf_form_sends_bad_answers_back(
    world: World, client_for: Any, data: dict[str, str], message: str
) -> None:
    client = client_for(world.senco_a)
    response = client.get(reverse("records:pupil_ctf", args=[world.p1.pk]), {"download": "1", **data})
    assert response.status_code == 400
    assert message in response.content.decode() and "govuk-error-summary" in response.content.decode()
    assert exports_of(world.p1) == 0


def test_a_pupils_ctf_is_not_given_outside_the_record(world: World, client: Client) -> None:
    answers = {"source_estab": "2001"}
    client.force_login(world.senco_a)
    assert client.get(reverse("records:pupil_ctf", args=[world.p4.pk]), answers).status_code == 404  # another LA
    assert client.get(reverse("records:pupil_ctf", args=[world.p3.pk]), answers).status_code == 404  # setting B
    assert client.get(reverse("records:pupil_ctf", args=[999999]), answers).status_code == 404
    client.force_login(world.teacher_a)  # linked to P1, but may not read the whole record
    assert client.get(reverse("records:pupil_ctf", args=[world.p1.pk]), answers).status_code == 403
    assert exports_of(world.p1) == exports_of(world.p3) == exports_of(world.p4) == 0


# -- A group of leavers -------------------------------------------------------------------------------


def test_the_register_links_to_the_leavers_page_for_its_senco(world: World, client: Client) -> None:
    register = reverse("pupils:register", args=[world.setting_a.pk])
    client.force_login(world.senco_a)
    assert leavers_url(world) in client.get(register).content.decode()
    client.force_login(world.head_a)
    assert leavers_url(world) not in client.get(register).content.decode()


def test_the_senco_checks_who_is_in_the_file_then_downloads_it(world: World, client_for: Any) -> None:
    pupils = [leaver(world, serial) for serial in (1, 2)]
    no_upn = leaver(world, 3, upn=None)
    staying = leaver(world, 4, leaving=False)
    left = leaver(world, 5)
    Enrolment.objects.filter(pupil=left).update(end_date=timezone.localdate() - timedelta(days=1))
    client = client_for(world.senco_a)
    form = client.get(leavers_url(world))
    assert form.status_code == 200 and "Common Transfer File of leavers" in form.content.decode()

    answers = {**ends_between(timezone.localdate(), last_day()), "source_estab": "2001", **TO_CEDAR}
    checked = client.get(leavers_url(world), answers)
    page = checked.content.decode()
    assert checked.status_code == 200
    assert "2 pupils will be in the file" in page
    assert "1 pupil chosen has no UPN and will be left out" in page
    assert "download=1" in page
    assert sum(exports_of(p) for p in [*pupils, no_upn, staying, left]) == 0  # checking exports nothing

    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.get(leavers_url(world), {**answers, "download": "1"})
    content = streamed(response)
    assert response["Content-Disposition"] == 'attachment; filename="8602001_CTF_9312004_001.XML"'
    result = read_ctf(content, max_bytes=MAX)
    assert [record.upn for record in result.pupils] == [p.upn for p in pupils]
    assert result.pupils == [as_sent(pupil_record(p, on=timezone.localdate())) for p in pupils]
    # One EXPORT event for each pupil in the file, one for the file, and no VIEW of a pupil.
    new = AuditEvent.objects.filter(pk__gt=before)
    assert sorted(new.filter(action=AuditAction.EXPORT).values_list("pupil_id", flat=True), key=str) == sorted(
        [p.pk for p in pupils] + [None], key=str
    )
    assert not new.filter(action=AuditAction.VIEW, pupil_id__isnull=False).exists()
    file_event = new.get(pupil_id__isnull=True)
    assert file_event.description.startswith("Common Transfer File of 2 leavers (enrolment ending")
    assert file_event.description.endswith("to 931/2004")


def test_all_of_a_year_group_leave_in_one_file(world: World, client_for: Any) -> None:
    """Year 6 at the end of the summer term: the world's P1 and P2 (born 14 March 2016) are in
    Year 6 this school year; the leavers made here (born 9 February 2017) are in Year 5."""
    year_five = leaver(world, 1, leaving=False)
    client = client_for(world.senco_a)
    content = streamed(client.get(leavers_url(world), {"year": "6", "source_estab": "2001", "download": "1"}))
    result = read_ctf(content, max_bytes=MAX)
    assert [record.upn for record in result.pupils] == [world.p1.upn, world.p2.upn]  # by name: One, Two
    assert {record.year_group for record in result.pupils} == {6}
    page = client.get(leavers_url(world), {"year": "5", "source_estab": "2001"}).content.decode()
    assert "1 pupil will be in the file" in page and year_five.upn not in page  # counts, not names


def test_no_pupil_matching_is_said_plainly(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    answers = {"year": "10", "source_estab": "2001"}
    page = client.get(leavers_url(world), answers)
    assert page.status_code == 200 and "No pupils will be in the file" in page.content.decode()
    # Asking for the file anyway gives the same page, not an empty file.
    again = client.get(leavers_url(world), {**answers, "download": "1"})
    assert again.status_code == 200 and "No pupil on roll matches" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a year group, or the dates the pupils&#x27; enrolment ends between, or both"),
        ({"year": "99"}, "Choose a year group from the list"),
        ({"year": "six"}, "Choose a year group from the list"),
        ({"ends_to_0": "31", "ends_to_1": "2", "ends_to_2": "2027"}, "Enrolment ends on or before must be a real date"),
        ({"ends_from_0": "1", "ends_from_1": "13", "ends_from_2": "2027"}, "must be a real date"),
        ({"ends_from_0": "1", "ends_from_2": "2027"}, "Enrolment ends on or after must include a month"),
        ({"ends_to_0": "1", "ends_to_1": "1", "ends_to_2": "27"}, "Year must include 4 numbers"),
        ({"ends_to_0": "1", "ends_to_1": "1", "ends_to_2": "2020"}, "must be today or in the future"),
        ({**ends_between(date(2099, 7, 1), date(2099, 6, 1))}, "must be the same as or after the first date"),
        ({"year": "6", "source_estab": ""}, "Enter your setting&#x27;s DfE establishment number"),
        ({"year": "6", "to_urn": "200001"}, "Enter the new school&#x27;s DfE number too"),
    ],
)
def test_the_leavers_form_sends_bad_answers_back(
    world: World, client_for: Any, data: dict[str, str], message: str
) -> None:
    client = client_for(world.senco_a)
    answers = {"source_estab": "2001", **data, "download": "1"}
    response = client.get(leavers_url(world), answers)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "govuk-error-summary" in page
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_another_settings_leavers_are_not_reached(world: World, client: Client) -> None:
    answers = {"year": "6", "source_estab": "2001", "download": "1"}
    for user, setting in [(world.senco_a, world.setting_c), (world.senco_a, world.setting_b),
                          (world.senco_b, world.setting_a), (world.head_a, world.setting_a)]:  # fmt: skip
        client.force_login(user)
        assert client.get(reverse("records:leavers", args=[setting.pk]), answers).status_code == 404
    assert client.get("/records/settings/999999/leavers/", answers).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# -- Queries and memory -------------------------------------------------------------------------------


def _queries_for_leavers(world: World, client: Client, count: int) -> int:
    for serial in range(count):
        leaver(world, 100 + serial)
    answers = {**ends_between(timezone.localdate(), last_day()), "source_estab": "2001", "download": "1"}
    with CaptureQueriesContext(connection) as queries:
        content = streamed(client.get(leavers_url(world), answers))
    assert len(read_ctf(content, max_bytes=MAX).pupils) == count
    return len(queries)


@pytest.mark.parametrize("count", [3, 30])
def test_the_records_take_four_queries_for_3_or_30_pupils(
    world: World, count: int, django_assert_num_queries: Any
) -> None:
    pupils = [leaver(world, 100 + serial) for serial in range(count)]
    ids = [pupil.pk for pupil in pupils]
    # The pupils, their statuses, needs and contacts: four queries a batch, whatever the history.
    with django_assert_num_queries(4):
        records = list(pupil_records(ids, on=timezone.localdate()))
    assert len(records) == count and all(len(record.needs) == 2 for record in records)


def test_the_leavers_download_takes_the_same_queries_for_3_or_30_pupils(world: World, client_for: Any) -> None:
    client = client_for(world.senco_a)
    few = _queries_for_leavers(world, client, 3)
    Pupil.objects.filter(legal_last_name__startswith="Leaver").update(upn=None)  # out of the next file
    many = _queries_for_leavers(world, client, 30)
    assert few == many


def test_the_file_is_streamed_in_chunks_a_batch_at_a_time(world: World) -> None:
    pupils = [leaver(world, serial, leaving=False) for serial in range(12)]
    ids = [p.pk for p in sorted(pupils, key=lambda p: p.legal_last_name)]
    source = School("860", "2001")
    written = timezone.localtime()
    records = list(pupil_records(ids, on=written.date(), batch=5))  # three batches
    assert [r.upn for r in records] == [p.upn for p in sorted(pupils, key=lambda p: p.legal_last_name)]
    chunks = list(ctf_chunks(records, source=source, destination=None, generated_at=written))
    assert len(chunks) > 1  # sent as it is written, not built whole first
    assert b"".join(chunks) == write_ctf(records, source=source, destination=None, generated_at=written)


# -- Into another setting -----------------------------------------------------------------------------


def test_leavers_exported_here_and_imported_in_another_la_keep_their_sen_record(world: World, client: Client) -> None:
    """Setting A (Northshire, 860) sends its leavers' CTF to Cedar School (Southborough, 931), which
    imports it through its import pages: each pupil's SEN history, needs and contacts are as they were.

    Graduated refuses to import a UPN held by a pupil of another setting (the record would follow
    through a transfer instead), so the pupils are removed between the export and the import, as if
    Cedar School ran another installation of Graduated, or an MIS, that has never held them.
    """
    pupils = [leaver(world, serial, preferred_last_name="Known") for serial in (1, 2, 3)]
    client.force_login(world.senco_a)
    answers = {**ends_between(timezone.localdate(), last_day()), "source_estab": "2001", **TO_CEDAR}
    response = client.get(leavers_url(world), {**answers, "download": "1"})
    content = streamed(response)
    name = response["Content-Disposition"].split('"')[1]
    before = [pupil_record(p, on=timezone.localdate()) for p in pupils]
    Pupil.objects.filter(pk__in=[p.pk for p in pupils]).delete()

    client.force_login(world.senco_c)
    uploaded = client.post(reverse("records:import", args=[world.setting_c.pk]),
                           {"file": SimpleUploadedFile(name, content)})  # fmt: skip
    assert uploaded.status_code == 302
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None and (run.status, run.will_create, run.will_refuse) == (ImportStatus.CHECKED, 3, 0)
    assert run.details["source_school"] == "Ash Primary School"
    assert "This file is addressed to" not in client.get(uploaded["Location"]).content.decode()  # it is Cedar's
    assert client.post(reverse("records:start", args=[world.setting_c.pk, run.pk])).status_code == 302
    run.refresh_from_db()
    assert (run.status, run.created) == (ImportStatus.FINISHED, 3)

    for was in before:
        pupil = Pupil.objects.get(upn=was.upn)
        now: PupilRecord = pupil_record(pupil, on=timezone.localdate())
        assert now.sen_history == was.sen_history
        assert now.needs == was.needs
        assert now.contacts == as_sent(was).contacts
        assert (now.legal_first_name, now.legal_last_name, now.preferred_last_name, now.date_of_birth, now.sex,
                now.year_group) == (was.legal_first_name, was.legal_last_name, "Known", was.date_of_birth, was.sex,
                                    was.year_group)  # fmt: skip
        assert list(pupil.enrolments.values_list("setting", flat=True)) == [world.setting_c.pk]
