"""Reading a pupil CSV: encodings, column guesses, row checks, and files that are broken or hostile."""

import io
from datetime import date
from pathlib import Path

import pytest

from graduated.lib.testing import valid_upn
from graduated.records.apply import Aspect
from graduated.records.csv_import import (
    MAX_ROWS,
    CSVFileError,
    CSVReader,
    column_letter,
    gives,
    guess_mapping,
    parse_date,
    read_layout,
    safe_cell,
    split_name,
)
from graduated.records.ctf import PupilProblem
from graduated.records.record import PupilRecord

EXAMPLE = Path(__file__).parent.parent / "demo_files" / "example_pupils.csv"
TODAY = date(2026, 12, 2)
HEADER = "UPN,Surname,Forename,DOB,Gender,SEN Status,Primary Need,Secondary Need,Contact 1 Name,Contact 1 Email\r\n"


def read(data: bytes, *, max_bytes: int = 1_000_000) -> list[PupilRecord | PupilProblem]:
    stream = io.BytesIO(data)
    layout = read_layout(stream, max_bytes=max_bytes)
    return list(CSVReader(stream, layout, guess_mapping(layout.headers), today=TODAY))


def row(upn: str | None = None, **cells: str) -> str:
    values = {
        "upn": upn or valid_upn("860", "2290", "21"),
        "surname": "Smith",
        "forename": "Jo",
        "dob": "14/03/2016",
        "sex": "F",
        "sen": "K",
        "primary": "SLCN",
        "secondary": "",
        "contact": "Mrs Ann Smith",
        "email": "ann@example.com",
    } | cells
    return ",".join(values.values()) + "\r\n"


def problems(items: list[PupilRecord | PupilProblem]) -> list[str]:
    return [message for item in items if isinstance(item, PupilProblem) for message in item.messages]


def test_the_example_file_reads_cleanly_with_every_column_guessed() -> None:
    stream = EXAMPLE.open("rb")
    layout = read_layout(stream, max_bytes=1_000_000)
    mapping = guess_mapping(layout.headers)
    assert {
        "upn",
        "legal_first_name",
        "legal_last_name",
        "date_of_birth",
        "sex",
        "year_group",
        "enrolment_date",
        "sen_provision",
        "sen_start_date",
        "primary_need",
        "secondary_need",
        "contact1_email",
        "contact2_responsibility",
    } <= set(mapping)
    assert len(mapping) == len(layout.headers)  # every column of the example has a place
    assert gives(mapping) == frozenset(Aspect)
    records = list(CSVReader(stream, layout, mapping, today=TODAY))
    assert len(records) == 12 and all(isinstance(item, PupilRecord) for item in records)
    brennan = next(item for item in records if isinstance(item, PupilRecord) and item.legal_last_name == "Brennan")
    assert brennan.legal_first_name == "Siobhán" and brennan.current_provision == "E"
    assert [(n.sen_type, n.rank) for n in brennan.needs] == [("ASD", 1), ("SLCN", 2)]
    assert brennan.resourced_provision and not brennan.sen_unit and brennan.year_group == 6


def test_the_example_pupils_cannot_clash_with_the_demo_world() -> None:
    from graduated.demo.catalogue import LOCAL_AUTHORITIES, SETTINGS

    used = {setting.establishment for setting in SETTINGS} | {"2175"}  # and the example CTF's school
    used |= {school for la in LOCAL_AUTHORITIES for school in la.feeder_schools}
    upns = [line.split(",")[0] for line in EXAMPLE.read_text(encoding="utf-8").splitlines()[1:]]
    assert upns and all(upn[4:8] not in used for upn in upns)


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (("\ufeff" + HEADER + row(surname="Brontë")).encode("utf-8"), "utf-8-sig"),
        ((HEADER + row(surname="Brontë")).encode("utf-8"), "utf-8-sig"),
        ((HEADER + row(surname="Brontë")).encode("cp1252"), "cp1252"),
    ],
)
def test_utf8_with_or_without_a_bom_and_windows_1252_are_read(encoded: bytes, encoding: str) -> None:
    layout = read_layout(io.BytesIO(encoded), max_bytes=1_000_000)
    assert layout.encoding == encoding and layout.headers[0] == "UPN"
    [pupil] = read(encoded)
    assert isinstance(pupil, PupilRecord) and pupil.legal_last_name == "Brontë"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((HEADER + row()).encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04" + b"\x00" * 100, "spreadsheet"),
        (b"UPN,Name\x00,DOB\r\n" + row().encode(), "binary"),
        (HEADER.encode() + b"\x81\x8d\x8f\x90\x9d\xff\xfe", "cannot be read"),
        (b"", "empty"),
        (HEADER.encode(), "no pupils"),
        (b"just one line of text\nand another\n", "fewer than three columns"),
    ],
)
def test_files_that_are_not_a_csv_of_pupils_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(CSVFileError, match=message):
        read(data)


def test_a_file_over_the_size_limit_is_refused() -> None:
    data = (HEADER + row() * 200).encode()
    with pytest.raises(CSVFileError, match="larger than"):
        read(data, max_bytes=1000)


def test_a_quoted_value_that_never_closes_stops_the_file() -> None:
    data = (HEADER + row() + '"' + row(surname="Open") + "x" * 140_000).encode()
    with pytest.raises(CSVFileError, match="Row 3 cannot be read"):
        read(data)


def test_ragged_rows() -> None:
    long = row().rstrip("\r\n") + ",extra,values\r\n"
    short = ",".join(row().split(",")[:5]) + "\r\n"  # no SEN or contact columns: read as empty
    trailing = row().rstrip("\r\n") + ",,\r\n"  # empty cells past the header's last column are nothing
    items = read((HEADER + long + short + trailing).encode())
    assert isinstance(items[0], PupilProblem)
    assert "Row 2 has 12 values but the header row names 10 columns" in items[0].messages[0]
    assert isinstance(items[1], PupilRecord) and items[1].current_provision == "N" and not items[1].contacts
    assert isinstance(items[2], PupilRecord)


def test_formula_cells_are_data_and_are_quoted_when_written_out() -> None:
    [pupil] = read((HEADER + row(surname='=HYPERLINK("http://x")', forename="+1")).encode().replace(b'""', b""))
    assert isinstance(pupil, PupilRecord) and pupil.legal_last_name.startswith("=HYPERLINK")
    assert safe_cell("=1+2") == "'=1+2" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("Smith") == "Smith"


def test_semicolon_and_tab_separated_files() -> None:
    for delimiter in (";", "\t"):
        data = (HEADER + row()).replace(",", delimiter).encode()
        [pupil] = read(data)
        assert isinstance(pupil, PupilRecord), delimiter


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"upn": "A123"}, "Row 2, column ‘UPN’ (A): “A123”: A UPN is 13 characters"),
        ({"upn": "B860229021001"}, "check letter"),
        ({"surname": ""}, "column ‘Surname’ (B): legal surname is missing."),
        ({"dob": "31/02/2016"}, "column ‘DOB’ (D): “31/02/2016” is not a real date"),
        ({"dob": "14/03/16"}, "gives the year in two digits"),
        ({"dob": "next week"}, "is not a date. Give it as day/month/year"),
        ({"dob": "14/03/2030"}, "is in the future"),
        ({"sex": "X"}, "column ‘Gender’ (E): “X” is not M or F"),
        ({"sen": "Q"}, "is not an SEN provision"),
        ({"primary": "XYZ"}, "is not a census SEN type"),
        ({"primary": "", "secondary": "ASD"}, "a secondary need is given but no primary need"),
        ({"secondary": "SLCN"}, "the secondary need is the same as the primary need"),
        ({"sen": "N"}, "needs are given but the SEN provision is N"),
        ({"sen": "E", "primary": "NSA"}, "NSA (no specialist assessment) is only valid with SEN support"),
        ({"email": "not-an-address"}, "column ‘Contact 1 Email’ (J): “not-an-address” is not an e-mail address"),
        ({"contact": "", "email": "orphan@example.com"}, "contact 1 has details but no surname"),
        ({"forename": "Jo\x07"}, "control character"),
    ],
)
def test_each_problem_names_the_row_and_column(cells: dict[str, str], message: str) -> None:
    items = read((HEADER + row(**cells)).encode())
    assert any(message in text for text in problems(items)), problems(items)


def test_a_upn_given_twice_is_refused_the_second_time() -> None:
    upn = valid_upn("860", "2290", "21")
    items = read((HEADER + row(upn) + row(upn, forename="Other")).encode())
    assert isinstance(items[0], PupilRecord)
    assert problems(items) == [
        f"Row 3, column ‘UPN’ (A): {upn} is also the UPN in row 2: each pupil may be in the file once."
    ]


def test_values_mis_exports_write() -> None:
    data = (
        HEADER.replace("SEN Status", "SEN Status").encode()
        + row(sen="SEN Support", primary="Autistic spectrum disorder", dob="2016-03-14 00:00:00").encode()
    )
    [pupil] = read(data)
    assert isinstance(pupil, PupilRecord)
    assert (
        pupil.current_provision == "K" and pupil.needs[0].sen_type == "ASD" and pupil.date_of_birth == date(2016, 3, 14)
    )
    assert pupil.sen_history[0].start_date == TODAY  # no start date column: the day of the import
    assert pupil.contacts[0].first_name == "Ann" and pupil.contacts[0].last_name == "Smith"


def test_dates_and_names() -> None:
    assert parse_date("4/3/2016") == date(2016, 3, 4)
    assert parse_date("04.03.2016") == date(2016, 3, 4)
    assert parse_date("4-Mar-2016") == date(2016, 3, 4)
    assert parse_date("2016-03-04T00:00:00") == date(2016, 3, 4)
    assert split_name("Mrs Jane Ann Smith") == ("Jane Ann", "Smith")
    assert split_name("Smith, Jane") == ("Jane", "Smith")
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(26) == "AA"


def test_column_guesses_from_other_mis_headings() -> None:
    headers = [
        "Unique Pupil Number",
        "Legal Surname",
        "Legal Forename",
        "Date of Birth",
        "Sex",
        "NC Year",
        "Date of Admission",
        "SEN Provision",
        "SEN Type Rank 1",
        "SEN Type Rank 2",
        "Parent 1 Forename",
        "Parent 1 Surname",
        "Parent 1 Email Address",
        "Carer 2 Mobile",
        "Notes",
    ]
    mapping = guess_mapping(headers)
    assert mapping == {
        "upn": 0,
        "legal_last_name": 1,
        "legal_first_name": 2,
        "date_of_birth": 3,
        "sex": 4,
        "year_group": 5,
        "enrolment_date": 6,
        "sen_provision": 7,
        "primary_need": 8,
        "secondary_need": 9,
        "contact1_first_name": 10,
        "contact1_last_name": 11,
        "contact1_email": 12,
        "contact2_phone": 13,
    }


def test_more_rows_than_an_import_may_have(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("graduated.records.csv_import.MAX_ROWS", 3)
    with pytest.raises(CSVFileError, match="more than 3 rows"):
        read((HEADER + "".join(row(valid_upn("860", "2290", "21")) for _ in range(4))).encode())
    assert MAX_ROWS == 250_000
