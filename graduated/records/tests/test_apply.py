"""The import service (graduated/records/apply.py): what it plans, what it writes, what it refuses."""

from dataclasses import replace
from datetime import date

import pytest
from pytest_django import DjangoAssertNumQueries

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil, valid_upn
from graduated.pupils import services
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Contact, Enrolment, Need, Pupil, SENStatusPeriod
from graduated.records import apply as service
from graduated.records.apply import CTF_GIVES, EVERYTHING, Aspect, ImportOptions, Outcome
from graduated.records.changes import ELSEWHERE
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

TODAY = date(2026, 9, 14)
OPTIONS = ImportOptions(today=TODAY, gives=EVERYTHING)
ACTOR = Actor.system("test import")


def record(serial: int, **fields: object) -> PupilRecord:
    values: dict[str, object] = {
        "upn": valid_upn("860", "2290", f"{10 + serial // 1000:02d}", serial % 1000),
        "legal_first_name": "Ada",
        "legal_last_name": f"Pupil{serial}",
        "date_of_birth": date(2016, 5, 4),
        "sex": "F",
        "enrolment_date": date(2022, 9, 5),
        "sen_history": (SENStatusEntry(date(2024, 1, 8), "K"),),
        "needs": (NeedEntry("SLCN", 1),),
        "contacts": (ContactEntry("May", f"Pupil{serial}", "Mother", True, "may@example.com", "07700 900001", 1),),
        "source_line": serial + 1,
    }
    values.update(fields)
    return PupilRecord(**values)  # type: ignore[arg-type]


def pupil_of(upn: str) -> Pupil:
    return Pupil.objects.get(upn=upn)


def test_a_new_pupil_is_created_with_their_history_needs_and_contacts(world: World) -> None:
    new = record(
        1,
        sen_history=(SENStatusEntry(date(2023, 1, 9), "K"), SENStatusEntry(date(2025, 3, 3), "E")),
        needs=(NeedEntry("ASD", 1, date(2023, 1, 9)), NeedEntry("SLCN", 2)),
    )
    [planned] = service.plan(world.setting_a, [new], options=OPTIONS)
    assert planned.outcome == Outcome.CREATE and not Pupil.objects.filter(upn=new.upn).exists()

    summary = service.apply(ACTOR, world.setting_a, [new], options=OPTIONS)

    assert (summary.created, summary.updated, summary.refused) == (1, 0, 0)
    pupil = pupil_of(new.upn)
    assert pupil.legal_last_name == "Pupil1" and pupil.home_local_authority == world.la_north and pupil.version == 1
    assert Enrolment.objects.get(pupil=pupil).start_date == date(2022, 9, 5)
    periods = list(pupil.sen_statuses.order_by("start_date").values_list("status", "start_date", "end_date"))
    assert periods == [("K", date(2023, 1, 9), date(2025, 3, 2)), ("E", date(2025, 3, 3), None)]
    needs = list(pupil.needs.order_by("rank").values_list("sen_type", "rank", "start_date", "end_date"))
    # A need the file does not date starts with the current SEN provision.
    assert needs == [("ASD", 1, date(2023, 1, 9), None), ("SLCN", 2, date(2025, 3, 3), None)]
    assert list(pupil.contacts.values_list("first_name", "relationship", "parental_responsibility")) == [
        ("May", "Mother", True)
    ]
    kinds = sorted(pupil.chronology.values_list("kind", flat=True))
    assert kinds == sorted(["enrolled", "status_changed", "status_changed", "need_recorded", "need_recorded"])
    assert pupil in Pupil.objects.enrolled_in(world.setting_a)


def test_the_same_file_again_changes_nothing(world: World) -> None:
    records = [record(n) for n in range(1, 6)]
    service.apply(ACTOR, world.setting_a, records, options=OPTIONS)
    counts = (ChronologyEntry.objects.count(), AuditEvent.objects.count(), Contact.objects.count())
    versions = list(Pupil.objects.order_by("pk").values_list("version", "updated_at"))

    assert {o.outcome for o in service.plan(world.setting_a, records, options=OPTIONS)} == {Outcome.UNCHANGED}
    summary = service.apply(ACTOR, world.setting_a, records, options=OPTIONS)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 5)
    assert (ChronologyEntry.objects.count(), AuditEvent.objects.count() - 1, Contact.objects.count()) == counts
    assert list(Pupil.objects.order_by("pk").values_list("version", "updated_at")) == versions


def test_a_changed_file_changes_what_changed_like_a_change_by_hand(world: World) -> None:
    first = record(1)
    service.apply(ACTOR, world.setting_a, [first], options=OPTIONS)
    pupil = pupil_of(first.upn)
    changed = replace(
        first,
        preferred_first_name="Addie",
        sen_history=(*first.sen_history, SENStatusEntry(date(2026, 9, 1), "E")),
        needs=(NeedEntry("ASD", 1),),
        contacts=(ContactEntry("Joe", "Pupil1", "Father", True, "joe@example.com", "", 1),),
    )

    [planned] = service.plan(world.setting_a, [changed], options=OPTIONS)
    assert planned.outcome == Outcome.UPDATE and planned.pupil_id == pupil.pk
    assert planned.changes == (
        "preferred first name",
        "SEN provision: SEN support to EHC plan from 1 September 2026",
        "needs: SLCN (rank 1) ended, ASD (rank 1) recorded",
        "contacts (1)",
    )
    service.apply(ACTOR, world.setting_a, [changed], options=OPTIONS)

    pupil.refresh_from_db()
    assert pupil.preferred_first_name == "Addie" and pupil.version == 2
    periods = list(pupil.sen_statuses.order_by("start_date").values_list("status", "start_date", "end_date"))
    assert periods == [("K", date(2024, 1, 8), date(2026, 8, 31)), ("E", date(2026, 9, 1), None)]
    # The new need starts with the change it comes with; the one it replaces ends the day before.
    assert list(pupil.needs.current().values_list("sen_type", "start_date")) == [("ASD", date(2026, 9, 1))]
    assert pupil.needs.get(sen_type="SLCN").end_date == date(2026, 8, 31)
    assert list(pupil.contacts.values_list("first_name", flat=True)) == ["Joe"]
    entry = pupil.chronology.get(kind=ChronologyKind.STATUS_CHANGED, occurred_on=date(2026, 9, 1))
    assert entry.summary == "SEN status changed from SEN support to EHC plan (import)"
    event = AuditEvent.objects.filter(pupil_id=pupil.pk, action=AuditAction.CHANGE).get()
    assert event.changed_fields == ["contacts", "needs", "preferred_first_name", "sen_status"]
    assert "Ada" not in event.description and "Pupil1" not in event.description


def test_a_status_change_with_no_date_happens_on_the_day_of_the_import(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Bo", "Held", sen_status="K")
    services.record_need(actor=ACTOR, pupil=pupil, sen_type="SPLD", rank=1, start_date=date(2024, 2, 1))
    # What a CSV without a start date column gives: the provision, dated the day of the import.
    change = record(
        1,
        upn=pupil.upn,
        legal_first_name="Bo",
        legal_last_name="Held",
        sex="F",
        date_of_birth=pupil.date_of_birth,
        enrolment_date=None,
        sen_history=(SENStatusEntry(TODAY, "N"),),
        needs=(),
        contacts=(),
    )

    service.apply(ACTOR, world.setting_a, [change], options=OPTIONS)

    current = pupil.sen_statuses.get(end_date__isnull=True)
    assert (current.status, current.start_date) == ("N", TODAY)
    # Coming off the register ends the needs, as it does by hand.
    assert not pupil.needs.current().exists()
    assert pupil.needs.get().end_date == date(2026, 9, 13)


def test_a_pupil_enrolled_at_another_setting_is_refused_and_left_alone(world: World) -> None:
    p4 = world.p4  # at setting C, in another LA
    other = record(1, upn=p4.upn, legal_first_name="Changed")

    [planned] = service.plan(world.setting_a, [other], options=OPTIONS)
    summary = service.apply(ACTOR, world.setting_a, [other], options=OPTIONS)

    assert planned.outcome == Outcome.REFUSE and summary.refused == 1
    assert "their SEN record can follow them when the other setting agrees" in planned.reasons[0].replace(
        "Their", "their"
    )
    p4.refresh_from_db()
    assert p4.legal_first_name == "Piotr" and not p4.enrolments.filter(setting=world.setting_a).exists()


def test_a_pupil_who_was_enrolled_elsewhere_before_is_refused_too(world: World) -> None:
    p3 = world.p3  # at setting B
    p3.enrolments.update(end_date=date(2025, 7, 22))
    [planned] = service.plan(world.setting_a, [record(1, upn=p3.upn)], options=OPTIONS)
    assert planned.outcome == Outcome.REFUSE and planned.reasons == (ELSEWHERE,)


def test_a_pupil_who_left_this_setting_and_came_back_is_enrolled_again(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Cy", "Returner")
    pupil.enrolments.update(end_date=date(2025, 7, 22))
    back = record(
        1,
        upn=pupil.upn,
        legal_first_name="Cy",
        legal_last_name="Returner",
        enrolment_date=date(2026, 9, 7),
        date_of_birth=pupil.date_of_birth,
        sen_history=(),
        needs=(),
        contacts=(),
    )

    [planned] = service.plan(world.setting_a, [back], options=OPTIONS)
    assert planned.outcome == Outcome.UPDATE and planned.changes == ("enrolled again from 7 September 2026",)
    service.apply(ACTOR, world.setting_a, [back], options=OPTIONS)
    assert list(pupil.enrolments.order_by("start_date").values_list("end_date", flat=True)) == [date(2025, 7, 22), None]


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"sen_history": (SENStatusEntry(date(2024, 1, 8), "N"),)}, "needs are recorded only for pupils"),
        ({"needs": (NeedEntry("SLCN", 2),)}, "a secondary need (rank 2) but no primary need"),
        ({"needs": (NeedEntry("SLCN", 1), NeedEntry("ASD", 1))}, "two current needs with the same rank"),
        ({"sen_history": (SENStatusEntry(date(2024, 1, 8), "E"),), "needs": (NeedEntry("NSA", 1),)}, "NSA"),
        ({"sen_history": (SENStatusEntry(date(2013, 1, 8), "S"),), "needs": ()}, "a code from before 2014"),
    ],
)
def test_the_census_rules_refuse_a_record(world: World, fields: dict[str, object], reason: str) -> None:
    [planned] = service.plan(world.setting_a, [record(1, **fields)], options=OPTIONS)
    assert planned.outcome == Outcome.REFUSE
    assert reason in " ".join(planned.reasons)


def test_a_change_dated_before_the_status_held_is_refused(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Di", "Dated", sen_status="K")  # K from 8 January 2024
    earlier = record(
        1,
        upn=pupil.upn,
        legal_first_name="Di",
        legal_last_name="Dated",
        date_of_birth=pupil.date_of_birth,
        sen_history=(SENStatusEntry(date(2023, 5, 1), "E"),),
        needs=(),
        contacts=(),
    )
    [planned] = service.plan(world.setting_a, [earlier], options=OPTIONS)
    assert planned.outcome == Outcome.REFUSE
    assert "a change must start after the current status" in planned.reasons[0]


def test_what_the_file_does_not_give_is_left_alone(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Ed", "Kept", sen_status="K", preferred_first_name="Eddie")
    Contact.objects.create(pupil=pupil, last_name="Kept", first_name="Ma", priority=1)
    details_only = record(
        1,
        upn=pupil.upn,
        legal_first_name="Ed",
        legal_last_name="Kept",
        date_of_birth=pupil.date_of_birth,
        sen_history=(SENStatusEntry(TODAY, "N"),),
        needs=(),
        contacts=(ContactEntry("Pa", "Kept"),),
    )
    gives = frozenset({Aspect.ENROLMENT_DATE})  # names, date of birth and sex only (and an empty enrolment date)
    [planned] = service.plan(
        world.setting_a, [replace(details_only, enrolment_date=None)], options=replace(OPTIONS, gives=gives)
    )
    assert planned.outcome == Outcome.UNCHANGED


def test_year_groups_are_held_only_when_they_differ_from_the_date_of_birth(world: World) -> None:
    usual = record(1, year_group=6)  # born May 2016: Year 6 in 2026/27
    held_back = record(2, year_group=5)
    service.apply(ACTOR, world.setting_a, [usual, held_back], options=OPTIONS)
    assert pupil_of(usual.upn).year_group_override is None
    assert pupil_of(held_back.upn).year_group_override == 5


def test_audit_one_event_per_pupil_and_one_for_the_run(world: World) -> None:
    since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    options = replace(OPTIONS, audit_object=("records.importrun", "77"), source="import 77")
    service.apply(ACTOR, world.setting_a, [record(1), record(2), record(1, upn=world.p4.upn)], options=options)
    events = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "pupils.pupil"),
        ("create", "pupils.pupil"),
        ("change", "records.importrun"),
    ]
    assert events.last().description.endswith("2 created, 0 changed, 0 unchanged, 1 refused")  # type: ignore[union-attr]
    assert all("Ada" not in e.description and "Pupil1" not in e.description for e in events)


def _import_queries(world: World, count: int, start: int, assert_queries: DjangoAssertNumQueries) -> int:
    records = [record(n) for n in range(start, start + count)]
    with assert_queries(100) as captured:
        service.apply(ACTOR, world.setting_a, records, options=OPTIONS, chunk_size=2000)
    return len(captured.captured_queries)


def test_queries_do_not_grow_with_the_pupils_in_a_chunk(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    few = _import_queries(world, 20, 1000, django_assert_max_num_queries)
    many = _import_queries(world, 2000, 3000, django_assert_max_num_queries)
    assert few == many
    # And changing them: every record in the file changes (a new surname, a new status).
    changed = [
        record(
            n,
            legal_last_name=f"Renamed{n}",
            sen_history=(SENStatusEntry(date(2024, 1, 8), "K"), SENStatusEntry(TODAY, "E")),
        )
        for n in range(3000, 5000)
    ]
    with django_assert_max_num_queries(100) as updating:
        summary = service.apply(ACTOR, world.setting_a, changed, options=OPTIONS, chunk_size=2000)
    assert summary.updated == 2000
    assert len(updating.captured_queries) <= many + 6


def test_a_file_is_applied_in_chunks_each_committed_with_its_progress(world: World) -> None:
    seen = []
    service.apply(
        ACTOR,
        world.setting_a,
        [record(n) for n in range(1, 6)],
        options=OPTIONS,
        chunk_size=2,
        progress=lambda outcomes, summary: seen.append((len(outcomes), summary.total)),
    )
    assert seen == [(2, 2), (2, 4), (1, 5)]


def test_a_ctf_gives_no_enrolment_date_or_census_indicators(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Fi", "Unit", sen_status="K", sen_unit=True)
    from_ctf = record(
        1,
        upn=pupil.upn,
        legal_first_name="Fi",
        legal_last_name="Unit",
        date_of_birth=pupil.date_of_birth,
        enrolment_date=None,
        sen_history=(SENStatusEntry(date(2024, 1, 8), "K"),),
        needs=(),
        contacts=(),
    )
    [planned] = service.plan(world.setting_a, [from_ctf], options=replace(OPTIONS, gives=CTF_GIVES))
    assert planned.outcome == Outcome.UNCHANGED  # sen_unit stays True: a CTF does not say
    assert SENStatusPeriod.objects.filter(pupil=pupil).count() == 2 and Need.objects.filter(pupil=pupil).count() == 0


def test_a_change_on_the_day_the_status_held_began_replaces_it(world: World) -> None:
    first = record(1, sen_history=(SENStatusEntry(TODAY, "K"),))  # a CSV with no dates, imported today
    service.apply(ACTOR, world.setting_a, [first], options=OPTIONS)
    corrected = replace(first, sen_history=(SENStatusEntry(TODAY, "E"),))  # the MIS put right, imported again
    [planned] = service.plan(world.setting_a, [corrected], options=OPTIONS)
    assert planned.outcome == Outcome.UPDATE and "replaces it" in planned.changes[0]
    service.apply(ACTOR, world.setting_a, [corrected], options=OPTIONS)
    pupil = pupil_of(first.upn)
    assert list(pupil.sen_statuses.values_list("status", "start_date", "end_date")) == [("E", TODAY, None)]
    assert pupil.chronology.filter(summary="SEN status changed from SEN support to EHC plan (import)").exists()
