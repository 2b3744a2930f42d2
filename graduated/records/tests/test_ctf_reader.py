import io
import shutil
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graduated.records.ctf import CTFError, CTFReader, CTFResult, PupilProblem, School, read_ctf
from graduated.records.record import ContactEntry, NeedEntry, SENStatusEntry
from graduated.records.tests.ctf_samples import FILES, ctf, need, pupil_xml, sen, upn

LIMIT = 1_000_000


def read_file(name: str) -> CTFResult:
    with (FILES / name).open("rb") as stream:
        return read_ctf(stream, max_bytes=LIMIT)


def only_problem(data: bytes) -> PupilProblem:
    result = read_ctf(data, max_bytes=LIMIT)
    assert not result.pupils
    assert len(result.problems) == 1
    return result.problems[0]


def refusal(data: bytes, *, max_bytes: int = LIMIT) -> CTFError:
    with pytest.raises(CTFError) as raised:
        read_ctf(data, max_bytes=max_bytes)
    return raised.value


# The valid sample ------------------------------------------------------------------------------


def test_valid_sample_header() -> None:
    header = read_file("valid.ctf.xml").header
    assert header.document_name == "Common Transfer File"
    assert (header.ctf_version, header.version) == ("20.0", 20)
    assert header.generated_at == datetime(2026, 7, 16, 14, 5, 12)
    assert header.source == School(lea="860", estab="2175", urn="146377", name="Hollins Lane Primary School")
    assert header.destination == School(lea="860", estab="4027", urn="148731")
    assert (header.document_qualifier, header.supplier_id, header.academic_year) == ("full", "Example MIS", "2025")


def test_valid_sample_pupils() -> None:
    result = read_file("valid.ctf.xml")
    assert result.is_valid and result.pupil_count == 5
    amelia, mateusz, chloe, harvey, priya = result.pupils
    assert (amelia.upn, amelia.legal_first_name, amelia.legal_last_name) == ("A860217519012", "Amelia-Rose", "O'Connor")
    assert (amelia.date_of_birth, amelia.sex, amelia.year_group) == (date(2014, 11, 23), "F", 6)
    assert amelia.sen_history == (SENStatusEntry(date(2022, 1, 10), "K"),)
    assert amelia.needs == (NeedEntry("SPLD", 1, date(2022, 1, 10)),)
    assert amelia.source_line == 24
    # The mobile is the number to call, though the home number comes first; the title, address,
    # attendance and school history are passed over.
    assert amelia.contacts == (
        ContactEntry("Siobhán", "O'Connor", "PAM", True, "siobhan.oconnor@example.org", "07700 900412", 1),
        ContactEntry("Declan", "O'Connor", "PAF", True, "", "07700 900413", 2),
    )
    assert mateusz.preferred_first_name == "Mat"
    assert mateusz.current_provision == "E"
    assert [(n.sen_type, n.rank) for n in mateusz.needs] == [("ASD", 1), ("SLCN", 2)]
    assert chloe.legal_first_name == "Chloé" and chloe.needs[0].sen_type == "NSA"
    assert harvey.needs[0].end_date == date(2021, 7, 20)
    assert harvey.contacts[1] == ContactEntry("Stuart", "Whitfield", "STF", False, "", "", 2)
    assert priya.current_provision == "N"
    assert priya.contacts[1].phone == "01632 960999"  # a work number when it is the only one


def test_demo_file_is_the_valid_sample() -> None:
    demo = FILES.parent.parent / "demo_files" / "example.ctf.xml"
    assert demo.read_bytes() == (FILES / "valid.ctf.xml").read_bytes()


def test_streaming_reader_gives_pupils_one_at_a_time() -> None:
    with (FILES / "valid.ctf.xml").open("rb") as stream:
        reader = CTFReader(stream, max_bytes=LIMIT)
        items = iter(reader)
        first = next(items)
        assert reader.header.source.estab == "2175"
        assert first.upn == "A860217519012"
        assert len(list(items)) == 4


def test_header_is_unknown_before_reading() -> None:
    with pytest.raises(RuntimeError):
        _ = CTFReader(io.BytesIO(b""), max_bytes=LIMIT).header


# Broken sample files: one good pupil, one bad ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "bad_sen_type.ctf.xml",
            "Line 36, <SENtype>: “XYZ” is not a census SEN type (expected one of SPLD, MLD, SLD, PMLD, DS, SEMH, "
            "SLCN, ASD, HI, VI, MSI, PD, OTH, NSA).",
        ),
        ("bad_date.ctf.xml", "Line 26, <DOB>: “14/03/2015” is not a date in the form yyyy-mm-dd (e.g. 2019-09-04)."),
        (
            "rank2_without_rank1.ctf.xml",
            "Line 35, <SENtypeRank>: a secondary need (rank 2, SLCN) needs a primary need (rank 1) at the same time, "
            "and there is none.",
        ),
        (
            "nsa_with_ehc_plan.ctf.xml",
            "Line 36, <SENtype>: NSA is only valid with SEN support (K), but the pupil's SEN provision from "
            "05/10/2020 is E.",
        ),
    ],
)
def test_a_bad_pupil_is_listed_and_the_good_one_kept(name: str, expected: str) -> None:
    result = read_file(name)
    assert not result.is_valid
    assert [pupil.upn for pupil in result.pupils] == ["A860217519012"]
    (problem,) = result.problems
    assert (problem.line, problem.upn, problem.name) == (22, "J860217519027", "Mateusz Kowalski")
    assert problem.messages == (expected,)
    assert str(problem) == f"Mateusz Kowalski (J860217519027) at line 22: {expected}"


def test_malformed_xml_refuses_the_file() -> None:
    error = read_file_error("malformed.ctf.xml")
    assert error.line == 32
    assert str(error).startswith("Line 32, column 11, inside <SENprovision>: the file is not well-formed XML")
    assert "mismatched tag" in str(error)


@pytest.mark.parametrize("name", ["billion_laughs.ctf.xml", "external_entity.ctf.xml"])
def test_doctype_and_entities_refuse_the_file(name: str) -> None:
    error = read_file_error(name)
    assert error.line == 2
    assert "<!DOCTYPE CTfile>" in str(error) and "refused for safety" in str(error)


def read_file_error(name: str) -> CTFError:
    with pytest.raises(CTFError) as raised:
        read_file(name)
    return raised.value


# File-level refusals ---------------------------------------------------------------------------


def test_external_dtd_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE CTfile SYSTEM "http://127.0.0.1:9/ctf.dtd">\n<CTfile/>'
    assert "document type declaration" in str(refusal(data))


def test_an_entity_without_a_doctype_is_malformed() -> None:
    data = ctf(pupil_xml()).replace(b"Kowalski", b"&secret;")
    error = refusal(data)
    assert "undefined entity" in str(error) and "inside <Surname>" in str(error)


def test_entity_declaration_handler_refuses_even_if_reached() -> None:
    reader = CTFReader(io.BytesIO(b""), max_bytes=LIMIT)
    with pytest.raises(CTFError, match="entity declarations are refused"):
        reader._refuse_entity("lol")
    with pytest.raises(CTFError, match="external entity"):
        reader._refuse_external_entity("lol", None, "file:///etc/passwd", None)


def test_a_file_over_the_limit_is_refused() -> None:
    data = ctf(*(pupil_xml(serial=i) for i in range(1, 40)))
    assert len(data) > 5000
    error = refusal(data, max_bytes=5000)
    assert str(error).startswith("The file is larger than 5 kB, the most a Common Transfer File may be here.")


def test_the_limit_is_checked_while_reading_not_after() -> None:
    class Endless(io.RawIOBase):
        reads = 0

        def read(self, size: int = -1) -> bytes:
            self.reads += 1
            return b"<CTfile>" if self.reads == 1 else b"<a/>" * (size // 4)

    stream = Endless()
    with pytest.raises(CTFError, match="larger than 1 MB"):
        read_ctf(stream, max_bytes=1_000_000)
    assert stream.reads < 30


@pytest.mark.parametrize(("limit", "words"), [(300, "300 bytes"), (5000, "5 kB"), (2_500_000, "2.5 MB")])
def test_the_limit_is_described_plainly(limit: int, words: str) -> None:
    assert f"larger than {words}," in str(refusal(b"<CTfile>" + b" " * limit, max_bytes=limit))


def test_the_root_element_must_be_ctfile() -> None:
    error = refusal(b'<?xml version="1.0"?>\n<ATfile><Header/></ATfile>')
    assert str(error) == (
        "Line 2, <ATfile>: this is not a Common Transfer File: its root element is <ATfile>, not <CTfile>."
    )


def test_a_cut_short_file_is_malformed() -> None:
    data = ctf(pupil_xml(), pupil_xml(serial=2))
    error = refusal(data[: len(data) // 2 + 40])
    assert "not well-formed XML" in str(error)


def test_an_empty_file_is_malformed() -> None:
    assert "no element found" in str(refusal(b""))


def test_a_file_without_header_is_refused() -> None:
    assert "has no <Header>" in str(refusal(b"<CTfile></CTfile>"))
    error = refusal(b"<CTfile><CTFpupilData><Pupil/></CTFpupilData></CTfile>")
    assert str(error) == "Line 1, <Pupil>: the pupils come before the <Header>."


@pytest.mark.parametrize("version", ["14.0", "9", "14"])
def test_a_ctf_before_version_15_is_refused(version: str) -> None:
    error = refusal(ctf(pupil_xml(), version=version))
    assert str(error).startswith(f"Line 5, <CTFversion>: this is a CTF {int(float(version))} file; Graduated reads")


@pytest.mark.parametrize("version", ["15.0", "17", "25.1"])
def test_versions_from_15_are_read(version: str) -> None:
    assert read_ctf(ctf(pupil_xml(), version=version), max_bytes=LIMIT).is_valid


@pytest.mark.parametrize("version", ["", "twenty", "20.0.1", "-20"])
def test_a_version_that_is_not_a_number_is_refused(version: str) -> None:
    assert "is not a CTF version number" in str(refusal(ctf(pupil_xml(), version=version)))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (b"<LEA>860</LEA>", b"<LEA>86</LEA>", "Line 8, <LEA>: “86” is not a local authority code (three digits)"),
        (b"<Estab>2175</Estab>", b"<Estab>MMMM</Estab>", "“MMMM” is not an establishment number"),
        (b"2026-07-16T14:05:12", b"16/07/2026 14:05", "Line 6, <DateTime>: “16/07/2026 14:05” is not a date and"),
        (b"<DocumentName>Common Transfer File</DocumentName>", b"", "Line 11, <Header>: the header has no"),
    ],
)
def test_a_bad_header_refuses_the_file(old: bytes, new: bytes, expected: str) -> None:
    assert expected in str(refusal(ctf(pupil_xml()).replace(old, new)))


def test_destination_placeholders() -> None:
    def destination(lea: str, estab: str) -> School | None:
        school = f"<DestSchool><LEA>{lea}</LEA><Estab>{estab}</Estab></DestSchool>"
        data = ctf(pupil_xml()).replace(b"</SourceSchool>", f"</SourceSchool>{school}".encode())
        return read_ctf(data, max_bytes=LIMIT).header.destination

    assert destination("MMM", "MMMM") is None
    assert destination("XXX", "XXXX") == School(lea="XXX", estab="XXXX")
    assert destination("931", "3005") == School(lea="931", estab="3005")
    assert read_ctf(ctf(pupil_xml()), max_bytes=LIMIT).header.destination is None


def test_elements_nested_absurdly_deep_are_refused() -> None:
    deep = "<a>" * 40 + "</a>" * 40
    assert "nest far deeper" in str(refusal(ctf(pupil_xml(f"<Attendance>{deep}</Attendance>"))))


def test_a_header_value_holding_an_element_is_refused() -> None:
    data = ctf(pupil_xml()).replace(b"<LEA>860</LEA>", b"<LEA><b>860</b></LEA>")
    assert "<LEA> holds an element where a value belongs" in str(refusal(data))


def test_an_encoding_expat_does_not_know_is_refused() -> None:
    data = ctf(pupil_xml()).replace(b'encoding="UTF-8"', b'encoding="x-unknown"')
    assert "the file's character encoding cannot be read (unknown encoding: x-unknown)" in str(refusal(data))


def test_latin_1_and_utf_16_files_are_read() -> None:
    text = ctf(pupil_xml()).decode().replace("Mateusz", "Zoë")
    latin = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    sixteen = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    for data in (latin, sixteen):
        (pupil,) = read_ctf(data, max_bytes=LIMIT).pupils
        assert pupil.legal_first_name == "Zoë"


# Pupil checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upn_text", "expected"),
    [
        ("A86021751900", "A UPN is 13 characters"),
        ("B860217519001", "check letter does not match"),
        ("", "Line 14, <UPN>: <UPN> is empty."),
    ],
)
def test_upn_is_checked(upn_text: str, expected: str) -> None:
    data = ctf(pupil_xml()).replace(upn(1).encode(), upn_text.encode())
    (message,) = only_problem(data).messages
    assert expected in message


def test_upn_is_normalised() -> None:
    data = ctf(pupil_xml()).replace(upn(1).encode(), upn(1).lower().encode())
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].upn == upn(1)


def test_a_pupil_given_twice_is_a_problem() -> None:
    result = read_ctf(ctf(pupil_xml(), pupil_xml()), max_bytes=LIMIT)
    assert len(result.pupils) == 1
    assert result.problems[0].messages == (f"Line 18, <UPN>: “{upn(1)}” is also the UPN of the pupil at line 13.",)


def test_missing_identifiers_are_each_named() -> None:
    problem = only_problem(ctf(pupil_xml(basics=False)))
    assert problem.messages == (
        "Line 13, <Pupil>: <UPN> is missing.",
        "Line 13, <Pupil>: <Surname> is missing.",
        "Line 13, <Pupil>: <Forename> is missing.",
        "Line 13, <Pupil>: <DOB> is missing.",
        "Line 13, <Pupil>: <Gender> is missing.",
    )
    assert (problem.upn, problem.name) == ("", "")
    assert str(problem).startswith("A pupil at line 13: Line 13, <Pupil>: <UPN> is missing.")


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        ("2015-02-30", "“2015-02-30” is not a date in the form yyyy-mm-dd"),
        ("2015-3-14", "“2015-3-14” is not a date"),
        ("2015-03-14Z", "“2015-03-14Z” is not a date"),
        ("2027-01-01", "the date of birth 01/01/2027 is after the date of the file."),
    ],
)
def test_date_of_birth_is_checked(dob: str, expected: str) -> None:
    (message,) = only_problem(ctf(pupil_xml(dob=dob))).messages
    assert message.startswith("Line 14, <DOB>: ") and expected in message


@pytest.mark.parametrize("sex", ["U", "m", "Male", ""])
def test_gender_is_m_or_f(sex: str) -> None:
    data = ctf(pupil_xml()).replace(b"<Gender>M</Gender>", f"<Gender>{sex}</Gender>".encode())
    (message,) = only_problem(data).messages
    assert message.startswith("Line 14, <Gender>:")


def test_sex_is_read_where_a_newer_ctf_names_it_so() -> None:
    data = ctf(pupil_xml()).replace(b"<Gender>M</Gender>", b"<Sex>F</Sex>")
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].sex == "F"


@pytest.mark.parametrize(
    ("code", "year_group"),
    [("E1", -4), ("E2", -3), ("N1", -2), ("N2", -1), ("R", 0), ("1", 1), ("6", 6), ("14", 14), ("X", None)],
)
def test_nc_year_actual(code: str, year_group: int | None) -> None:
    data = ctf(pupil_xml(f"<BasicDetails><NCyearActual>{code}</NCyearActual></BasicDetails>"))
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].year_group == year_group


@pytest.mark.parametrize("code", ["15", "0", "Y6", "r"])
def test_nc_year_outside_the_code_list(code: str) -> None:
    data = ctf(pupil_xml(f"<BasicDetails><NCyearActual>{code}</NCyearActual></BasicDetails>"))
    (message,) = only_problem(data).messages
    assert message.startswith(f"Line 15, <NCyearActual>: “{code}” is not an NC year (expected one of E1, E2, N1")


def test_preferred_names() -> None:
    basics = "<BasicDetails><PreferredSurname>Kowal</PreferredSurname><PreferredForename>Mat</PreferredForename>"
    (pupil,) = read_ctf(ctf(pupil_xml(basics + "</BasicDetails>")), max_bytes=LIMIT).pupils
    assert (pupil.preferred_first_name, pupil.preferred_last_name) == ("Mat", "Kowal")


def test_whitespace_around_values_is_not_kept() -> None:
    data = ctf(pupil_xml()).replace(b"<Surname>Kowalski</Surname>", b"<Surname>\n  Kowalski  \n</Surname>")
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].legal_last_name == "Kowalski"


def test_a_long_name_is_a_problem() -> None:
    data = ctf(pupil_xml()).replace(b"Kowalski", b"K" * 101)
    (message,) = only_problem(data).messages
    assert message == "Line 14, <Surname>: the name is longer than 100 characters."


def test_a_huge_value_is_cut_and_reported() -> None:
    data = ctf(pupil_xml()).replace(b"Kowalski", b"K" * 50_000)
    messages = only_problem(data).messages
    assert "Line 14, <Surname>: the value is longer than 2000 characters." in messages


def test_an_element_given_twice_is_a_problem() -> None:
    data = ctf(pupil_xml("<DOB>2015-03-15</DOB>"))
    (message,) = only_problem(data).messages
    assert message == "Line 15, <DOB>: <DOB> appears twice in one <Pupil> (first at line 14)."


def test_a_value_holding_an_element_is_a_problem() -> None:
    data = ctf(pupil_xml()).replace(b"<Surname>Kowalski</Surname>", b"<Surname><b>Kowalski</b></Surname>")
    assert only_problem(data).messages == (
        "Line 14, <b>: <Surname> holds an element where a value belongs.",
        "Line 13, <Pupil>: <Surname> is missing.",
    )


def test_a_problem_lists_every_message_of_the_pupil() -> None:
    inner = sen(("2020-10-05", "Q"), needs=need("3", "XYZ"))
    data = ctf(pupil_xml(inner, dob="14/03/2015"))
    messages = only_problem(data).messages
    assert len(messages) == 4
    assert [message.split(">")[0] for message in messages] == [
        "Line 14, <DOB",
        "Line 15, <SENprovision",
        "Line 15, <SENtype",
        "Line 15, <SENtypeRank",
    ]


# SEN -------------------------------------------------------------------------------------------


def test_sen_history_is_sorted_oldest_first() -> None:
    inner = sen(("2023-03-20", "E"), ("2012-01-09", "A"), ("2020-10-05", "K"))
    data = ctf(pupil_xml(inner, dob="2008-03-14"))
    (pupil,) = read_ctf(data, max_bytes=LIMIT).pupils
    assert [entry.provision for entry in pupil.sen_history] == ["A", "K", "E"]


@pytest.mark.parametrize("code", ["S", "A", "P", "N", "K", "E"])
def test_current_and_legacy_provision_codes_are_accepted(code: str) -> None:
    data = ctf(pupil_xml(sen(("2016-01-04", code))))
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].sen_history[0].provision == code


@pytest.mark.parametrize("code", ["k", "X", "EHC", ""])
def test_provision_outside_the_code_list(code: str) -> None:
    (message,) = only_problem(ctf(pupil_xml(sen(("2016-01-04", code))))).messages
    assert message.startswith("Line 15, <SENprovision>:")
    if code:
        assert message.endswith(f"“{code}” is not a census SEN provision (expected one of N, K, E, S, P, A).")


def test_sen_needs_a_start_date() -> None:
    inner = "<SENhistory><SEN><SENprovision>K</SENprovision></SEN></SENhistory>"
    assert only_problem(ctf(pupil_xml(inner))).messages == ("Line 15, <SEN>: <StartDate> is missing.",)


def test_two_provisions_starting_the_same_day() -> None:
    (message,) = only_problem(ctf(pupil_xml(sen(("2020-10-05", "K"), ("2020-10-05", "E"))))).messages
    assert "another <SEN> (line 15) starts on the same day, 05/10/2020" in message


def test_provision_before_birth() -> None:
    (message,) = only_problem(ctf(pupil_xml(sen(("2014-10-05", "K"))))).messages
    assert message == "Line 15, <StartDate>: the SEN provision starts on 05/10/2014, before the date of birth."


def test_needs_with_dates() -> None:
    needs = need("1", "SLCN", "2020-10-05", "2022-07-20") + need("1", "ASD", "2022-07-21") + need("2", "SPLD")
    (pupil,) = read_ctf(ctf(pupil_xml(sen(("2020-10-05", "K"), needs=needs))), max_bytes=LIMIT).pupils
    assert pupil.needs == (
        NeedEntry("SLCN", 1, date(2020, 10, 5), date(2022, 7, 20)),
        NeedEntry("ASD", 1, date(2022, 7, 21)),
        NeedEntry("SPLD", 2),
    )


def test_sen_needs_directly_under_pupil_are_read() -> None:
    inner = sen(("2020-10-05", "K")) + f"<SENneeds>{need('1', 'DS')}</SENneeds>"
    (pupil,) = read_ctf(ctf(pupil_xml(inner)), max_bytes=LIMIT).pupils
    assert pupil.needs == (NeedEntry("DS", 1),)


@pytest.mark.parametrize("rank", ["0", "3", "99", "first"])
def test_ranks_other_than_1_and_2(rank: str) -> None:
    (message,) = only_problem(ctf(pupil_xml(sen(("2020-10-05", "K"), needs=need(rank, "MLD"))))).messages
    assert message == (
        f"Line 15, <SENtypeRank>: “{rank}” is not a rank the census takes: 1 (primary need) or 2 (secondary need)."
    )


def test_a_secondary_need_needs_a_primary_one_at_the_same_time() -> None:
    needs = need("1", "SLCN", "2020-10-05", "2021-07-20") + need("2", "MLD", "2021-09-06")
    (message,) = only_problem(ctf(pupil_xml(sen(("2020-10-05", "K"), needs=needs)))).messages
    assert "a secondary need (rank 2, MLD) needs a primary need (rank 1) at the same time" in message
    overlapping = need("1", "SLCN", "2020-10-05", "2021-09-06") + need("2", "MLD", "2021-09-06")
    assert read_ctf(ctf(pupil_xml(sen(("2020-10-05", "K"), needs=overlapping))), max_bytes=LIMIT).is_valid


def test_a_need_ending_before_it_starts() -> None:
    (message,) = only_problem(
        ctf(pupil_xml(sen(("2020-10-05", "K"), needs=need("1", "HI", "2021-01-04", "2020-12-31"))))
    ).messages
    assert message == "Line 15, <NeedEndDate>: the need ends on 31/12/2020, before it starts."


@pytest.mark.parametrize(
    ("history", "need_dates", "valid"),
    [
        ((("2020-10-05", "K"),), ("", ""), True),
        ((("2020-10-05", "K"), ("2023-03-20", "E")), ("2020-10-05", "2023-03-19"), True),  # ended before the E
        ((("2020-10-05", "K"), ("2023-03-20", "E")), ("2020-10-05", "2023-03-20"), False),  # the E's first day
        ((("2020-10-05", "K"), ("2023-03-20", "E")), ("", ""), False),  # still open under the E
        ((("2020-10-05", "K"),), ("2020-09-28", ""), True),  # recorded a week before the provision: no fault
        ((("2020-10-05", "K"), ("2022-07-20", "N")), ("2020-10-05", ""), False),  # open after removal
        ((), ("", ""), False),  # no SEN provision at all
    ],
)
def test_nsa_only_with_sen_support(history: tuple, need_dates: tuple[str, str], valid: bool) -> None:
    inner = sen(*history, needs=need("1", "NSA", *need_dates))
    result = read_ctf(ctf(pupil_xml(inner)), max_bytes=LIMIT)
    assert result.is_valid is valid
    if not valid:
        assert "NSA is only valid with SEN support (K)" in result.problems[0].messages[0]


# Contacts --------------------------------------------------------------------------------------


def contact(body: str) -> bytes:
    return ctf(pupil_xml(f"<Contacts><Contact>{body}</Contact></Contacts>"))


def test_a_contact_with_only_a_surname() -> None:
    (pupil,) = read_ctf(contact("<Title>Mrs</Title><Surname>Smith</Surname>"), max_bytes=LIMIT).pupils
    assert pupil.contacts == (ContactEntry("", "Smith"),)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<Forename>Ann</Forename>", "Line 15, <Contact>: <Surname> is missing."),
        ("<Surname>Smith</Surname><Relationship>Mother</Relationship>", "“Mother” is not a relationship code"),
        ("<Surname>Smith</Surname><Responsibility>Yes</Responsibility>", "“Yes” is not true or false."),
        ("<Surname>Smith</Surname><Email>ann at example.org</Email>", "“ann at example.org” is not an e-mail address."),
        ("<Surname>Smith</Surname><Order>first</Order>", "“first” is not a contact order"),
        ("<Surname>Smith</Surname><Order>0</Order>", "“0” is not a contact order"),
        (
            "<Surname>Smith</Surname><Phones><Phone><TelephoneType>H</TelephoneType><PhoneNo>call me</PhoneNo>"
            "</Phone></Phones>",
            "Line 15, <PhoneNo>: “call me” is not a telephone number.",
        ),
    ],
)
def test_contact_checks(body: str, expected: str) -> None:
    (message,) = only_problem(contact(body)).messages
    assert expected in message


@pytest.mark.parametrize(("text", "flag"), [("true", True), ("1", True), ("false", False), ("0", False)])
def test_parental_responsibility(text: str, flag: bool) -> None:
    data = contact(f"<Surname>Smith</Surname><Responsibility>{text}</Responsibility>")
    assert read_ctf(data, max_bytes=LIMIT).pupils[0].contacts[0].parental_responsibility is flag


def test_many_pupils_are_read_in_order() -> None:
    data = ctf(*(pupil_xml(serial=i) for i in range(1, 201)))
    result = read_ctf(data, max_bytes=LIMIT)
    assert [pupil.upn for pupil in result.pupils] == [upn(i) for i in range(1, 201)]


def test_reading_from_a_file_on_disk(tmp_path: Path) -> None:
    target = tmp_path / "copy.xml"
    shutil.copy(FILES / "valid.ctf.xml", target)
    with target.open("rb") as stream:
        assert read_ctf(stream, max_bytes=LIMIT).pupil_count == 5


def test_a_pupil_with_absurdly_many_entries_is_a_problem() -> None:
    needs = need("1", "SLCN") * 250
    phones = "<Phone><PhoneNo>07700 900123</PhoneNo></Phone>" * 250
    inner = sen(("2020-10-05", "K"), needs=needs) + f"<Contacts><Contact><Surname>S</Surname><Phones>{phones}"
    problem = only_problem(ctf(pupil_xml(inner + "</Phones></Contact></Contacts>")))
    assert problem.messages == (
        "Line 15, <SENneed>: the pupil has more than 200 <SENneed> elements.",
        "Line 15, <Phone>: the pupil has more than 200 <Phone> elements.",
    )


_LEAVES = ["UPN", "Surname", "Forename", "DOB", "Gender", "NCyearActual", "StartDate", "SENprovision",
           "NeedStartDate", "NeedEndDate", "SENtypeRank", "SENtype", "Order", "Relationship", "Responsibility",
           "Email", "PhoneNo", "TelephoneType", "CTFversion", "DateTime", "LEA", "Estab"]  # fmt: skip


@given(st.sampled_from(_LEAVES), st.text(max_size=30))
def test_any_value_gives_a_record_a_problem_or_a_refusal(element: str, value: str) -> None:
    inner = sen(("2020-10-05", "K"), needs=need("1", "SLCN", "2020-10-05", "2021-01-01")) + (
        "<BasicDetails><NCyearActual>6</NCyearActual></BasicDetails><Contacts><Contact><Order>1</Order>"
        "<Surname>S</Surname><Relationship>PAM</Relationship><Responsibility>true</Responsibility>"
        "<Email>a@example.org</Email><Phones><Phone><TelephoneType>M</TelephoneType><PhoneNo>07700 900123</PhoneNo>"
        "</Phone></Phones></Contact></Contacts>"
    )
    data = ctf(pupil_xml(inner)).decode()
    assert read_ctf(data.encode(), max_bytes=LIMIT).is_valid
    start = data.index(f"<{element}>") + len(element) + 2
    changed = data[:start] + escape(value) + data[data.index(f"</{element}>", start) :]
    try:
        result = read_ctf(changed.encode("utf-8", "surrogatepass"), max_bytes=LIMIT)
    except CTFError as error:
        assert str(error).startswith("Line ")
    else:
        assert result.pupil_count == 1
        for problem in result.problems:
            assert all(message.startswith("Line ") for message in problem.messages)
