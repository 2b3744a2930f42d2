"""A record written out as a CTF and imported elsewhere comes back the same, field by field."""

from datetime import date, datetime

from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.pupils import services
from graduated.pupils.models import Contact, Pupil
from graduated.records import apply as service
from graduated.records.apply import CTF_GIVES, ImportOptions, Outcome
from graduated.records.ctf import School, read_ctf, write_ctf
from graduated.records.exports import pupil_record
from graduated.records.record import PupilRecord

ACTOR = Actor.system("test")
WRITTEN = datetime(2026, 9, 14, 10, 30)


def held_record(pupil: Pupil) -> PupilRecord:
    """What Graduated holds of a pupil, as the record a CTF carries (the export's own function)."""
    return pupil_record(pupil, on=WRITTEN.date())


def _history(world: World) -> list[Pupil]:
    """Two pupils of setting A with some history, recorded by hand."""
    ehc = make_pupil(world.setting_a, "Iris", "Moved", start_date=date(2021, 9, 1), date_of_birth=date(2016, 2, 9),
                     preferred_first_name="Izzy")  # fmt: skip
    services.change_sen_status(actor=ACTOR, pupil=ehc, status="K", start_date=date(2022, 1, 10))
    services.record_need(actor=ACTOR, pupil=ehc, sen_type="SLCN", rank=1, start_date=date(2022, 1, 10))
    mld = services.record_need(actor=ACTOR, pupil=ehc, sen_type="MLD", rank=2, start_date=date(2022, 3, 1))
    services.end_need(actor=ACTOR, need=mld, end_date=date(2023, 7, 20))
    services.change_sen_status(actor=ACTOR, pupil=ehc, status="E", start_date=date(2024, 3, 4))
    Contact.objects.create(
        pupil=ehc,
        first_name="Rosa",
        last_name="Moved",
        relationship="PAM",
        parental_responsibility=True,
        email="rosa@example.com",
        phone="07700 900555",
        priority=1,
    )
    Contact.objects.create(pupil=ehc, first_name="Tom", last_name="Moved", relationship="PAF",
                           parental_responsibility=True, phone="01632 960555", priority=2)  # fmt: skip
    off = make_pupil(world.setting_a, "Otto", "Off", start_date=date(2020, 9, 3), date_of_birth=date(2015, 6, 30),
                     sen_status="K")  # fmt: skip
    services.record_need(actor=ACTOR, pupil=off, sen_type="SEMH", rank=1, start_date=date(2024, 1, 8))
    services.change_sen_status(actor=ACTOR, pupil=off, status="N", start_date=date(2025, 7, 21))
    return [ehc, off]


def test_a_ctf_written_here_and_imported_elsewhere_gives_the_same_record(world: World) -> None:
    pupils = _history(world)
    before = [held_record(pupil) for pupil in pupils]
    ctf = write_ctf(before, source=School("860", "2001", world.setting_a.urn or ""), destination=None,
                    generated_at=WRITTEN)  # fmt: skip
    # Another installation: the pupils are not held there.
    Pupil.objects.filter(pk__in=[pupil.pk for pupil in pupils]).delete()

    result = read_ctf(ctf, max_bytes=1_000_000)
    assert result.is_valid
    options = ImportOptions(today=date(2026, 9, 15), gives=CTF_GIVES, year_groups_on=WRITTEN.date())
    assert [o.outcome for o in service.plan(world.setting_b, result.pupils, options=options)] == [Outcome.CREATE] * 2
    summary = service.apply(ACTOR, world.setting_b, result.pupils, options=options)

    assert summary.created == 2
    after = [held_record(Pupil.objects.get(upn=record.upn)) for record in before]
    for was, now in zip(before, after, strict=True):
        assert now.sen_history == was.sen_history
        assert now.needs == was.needs
        assert now.contacts == was.contacts
        assert now == was
    assert list(Pupil.objects.get(upn=before[0].upn).enrolments.values_list("setting", flat=True)) == [
        world.setting_b.pk
    ]
