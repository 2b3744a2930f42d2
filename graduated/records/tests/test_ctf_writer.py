import dataclasses
import tracemalloc
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graduated.records.ctf import CTFReader, School, file_name, read_ctf, relationship_code, write_ctf, write_ctf_to
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry
from graduated.records.tests.ctf_samples import sample_records, upn

SOURCE = School(lea="860", estab="2175", urn="146377", name="Hollins Lane Primary School")
DESTINATION = School(lea="860", estab="4027", urn="148731", name="Ravensmoor Academy")
WRITTEN_AT = datetime(2026, 7, 17, 15, 30, 5, 123456)


def round_trip(records: list[PupilRecord], destination: School | None = DESTINATION) -> list[PupilRecord]:
    data = write_ctf(records, source=SOURCE, destination=destination, generated_at=WRITTEN_AT)
    result = read_ctf(data, max_bytes=10_000_000)
    assert result.problems == []
    return result.pupils


def test_round_trip_equals_field_by_field() -> None:
    records = sample_records()
    back = round_trip(records)
    assert len(back) == len(records)
    for written, read in zip(records, back, strict=True):
        for field in dataclasses.fields(PupilRecord):
            if field.compare:
                assert getattr(read, field.name) == getattr(written, field.name), field.name
    assert back == records


def test_header_round_trip() -> None:
    data = write_ctf([], source=SOURCE, destination=DESTINATION, generated_at=WRITTEN_AT, ctf_version="21.0")
    header = read_ctf(data, max_bytes=100_000).header
    assert header.source == SOURCE
    assert header.destination == School(lea="860", estab="4027", urn="148731", name="Ravensmoor Academy")
    assert header.generated_at == datetime(2026, 7, 17, 15, 30, 5)
    assert (header.ctf_version, header.version, header.document_qualifier) == ("21.0", 21, "partial")
    assert (header.supplier_id, header.academic_year) == ("Graduated", "2025")


def test_a_group_of_leavers_with_no_known_destination() -> None:
    data = write_ctf(sample_records(), source=SOURCE, destination=None, generated_at=WRITTEN_AT)
    assert b"<DestSchool>\n      <LEA>MMM</LEA>\n      <Estab>MMMM</Estab>\n    </DestSchool>" in data
    assert read_ctf(data, max_bytes=100_000).header.destination is None


def test_output_is_utf8_and_escaped() -> None:
    data = write_ctf(sample_records()[:1], source=SOURCE, destination=None, generated_at=WRITTEN_AT)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n  <Header>\n')
    text = data.decode("utf-8")
    assert "<Surname>O'Brien &amp; Sons &lt;Ltd&gt;</Surname>" in text
    assert "<Forename>Zoë</Forename>" in text
    assert "<Surname>Brown &amp; Co</Surname>" in text


def test_elements_follow_the_spec_order() -> None:
    text = write_ctf(sample_records()[:1], source=SOURCE, destination=None, generated_at=WRITTEN_AT).decode()
    order = ["<UPN>", "<Surname>", "<Forename>", "<DOB>", "<Gender>", "<BasicDetails>", "<SENhistory>", "<Contacts>"]
    positions = [text.index(tag, text.index("<Pupil>")) for tag in order]
    assert positions == sorted(positions)
    assert "<NCyearActual>11</NCyearActual>" in text
    assert "<SENtypeRank>1</SENtypeRank>" in text and "<NeedEndDate>2018-07-20</NeedEndDate>" in text


def test_a_record_without_optional_parts_writes_only_identifiers() -> None:
    record = PupilRecord(upn=upn(5), legal_first_name="A", legal_last_name="B", date_of_birth=date(2015, 1, 1), sex="M")
    text = write_ctf([record], source=SOURCE, destination=None, generated_at=WRITTEN_AT).decode()
    pupil = text[text.index("<Pupil>") : text.index("</Pupil>")]
    assert "BasicDetails" not in pupil and "SENhistory" not in pupil and "Contacts" not in pupil
    assert round_trip([record]) == [record]


def test_history_is_written_oldest_first() -> None:
    record = dataclasses.replace(sample_records()[3], sen_history=tuple(reversed(sample_records()[3].sen_history)))
    assert round_trip([record])[0].sen_history == sample_records()[3].sen_history


def test_what_a_ctf_does_not_carry_is_not_written() -> None:
    record = dataclasses.replace(
        sample_records()[2], enrolment_date=date(2026, 9, 3), sen_unit=True, resourced_provision=True
    )
    (back,) = round_trip([record])
    assert (back.enrolment_date, back.sen_unit, back.resourced_provision) == (None, False, False)


@pytest.mark.parametrize("year_group", [-5, 15])
def test_a_year_group_without_an_nc_year_is_left_out(year_group: int) -> None:
    record = dataclasses.replace(sample_records()[1], year_group=year_group)
    assert round_trip([record])[0].year_group is None


def test_a_character_xml_cannot_hold_is_refused() -> None:
    record = dataclasses.replace(sample_records()[1], legal_last_name="Kowal\x00ski")
    with pytest.raises(ValueError, match=r"U\+0000"):
        write_ctf([record], source=SOURCE, destination=None, generated_at=WRITTEN_AT)


@pytest.mark.parametrize(
    ("words", "code"),
    [("PAM", "PAM"), ("Mother", "PAM"), ("father", "PAF"), ("Step-father", "STF"), ("Stepmother", "STM"),
     ("Carer", "CAR"), ("Grandmother", "FAM"), ("Neighbour", "OTH"), ("", "")],
)  # fmt: skip
def test_relationship_words_become_codes(words: str, code: str) -> None:
    assert relationship_code(words) == code


def test_contact_words_are_written_as_codes() -> None:
    record = dataclasses.replace(sample_records()[1], contacts=(ContactEntry("Ann", "Kowalska", "Mother", True),))
    assert round_trip([record])[0].contacts == (ContactEntry("Ann", "Kowalska", "PAM", True),)


def test_file_name() -> None:
    assert file_name(SOURCE, DESTINATION) == "8602175_CTF_8604027_001.XML"
    assert file_name(SOURCE, None, sequence=12) == "8602175_CTF_MMMMMMM_012.XML"


_names = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
_days = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 7, 1))


@st.composite
def _records(draw: st.DrawFn) -> PupilRecord:
    born = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2004, 12, 31)))
    starts = sorted(draw(st.sets(_days, max_size=3)))
    history = tuple(SENStatusEntry(start, draw(st.sampled_from("NKE"))) for start in starts)
    provision_k = bool(history) and all(entry.provision == "K" for entry in history)
    needs = [NeedEntry(draw(st.sampled_from(["SLCN", "ASD", "MLD", "DS", "OTH"])), 1, draw(st.none() | _days))]
    if draw(st.booleans()):
        needs.append(NeedEntry(draw(st.sampled_from(["HI", "VI", "SEMH"])), 2))
    if provision_k and draw(st.booleans()):
        needs.append(NeedEntry("NSA", 1))
    contacts = tuple(
        ContactEntry(
            first_name=draw(_names),
            last_name=draw(_names),
            relationship=draw(st.sampled_from(["", "PAM", "PAF", "CAR"])),
            parental_responsibility=draw(st.booleans()),
            email=draw(st.sampled_from(["", "a.b@example.org"])),
            phone=draw(st.sampled_from(["", "07700 900123", "+44 (0)1632 960000"])),
            priority=draw(st.none() | st.integers(min_value=1, max_value=9)),
        )
        for _ in range(draw(st.integers(min_value=0, max_value=3)))
    )
    return PupilRecord(
        upn=upn(draw(st.integers(min_value=0, max_value=999))),
        legal_first_name=draw(_names),
        legal_last_name=draw(_names),
        date_of_birth=born,
        sex=draw(st.sampled_from("MF")),
        preferred_first_name=draw(st.just("") | _names),
        preferred_last_name=draw(st.just("") | _names),
        year_group=draw(st.none() | st.integers(min_value=-4, max_value=14)),
        sen_history=history,
        needs=tuple(needs) if history else (),
        contacts=contacts,
    )


@given(_records())
def test_round_trip_property(record: PupilRecord) -> None:
    assert round_trip([record]) == [record]


# Size ------------------------------------------------------------------------------------------


def _leavers(count: int) -> Iterator[PupilRecord]:
    template = sample_records()[2]  # one SEN provision, one need, one contact
    for i in range(count):
        yield dataclasses.replace(template, upn=upn(i % 1000, year=f"{10 + i // 1000:02d}"), legal_first_name=f"P{i}")


def test_a_large_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """20,000 pupils (about 24 MB): streaming through them holds one pupil at a time, so the peak
    stays far below the file's size and would stay there for 130,000 pupils. (How long it takes is
    the benchmarks' business, not a unit test's: on a loaded machine a time limit here only flakes.)"""
    path = tmp_path / "leavers.xml"
    with path.open("wb") as stream:
        write_ctf_to(stream, _leavers(20_000), source=SOURCE, destination=None, generated_at=WRITTEN_AT)
    assert path.stat().st_size > 20_000_000
    seen = problems = 0
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            for item in CTFReader(stream, max_bytes=300_000_000):
                seen += 1
                problems += not isinstance(item, PupilRecord)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (seen, problems) == (20_000, 0)
    assert peak < 10_000_000, f"peak {peak / 1e6:.1f} MB"
