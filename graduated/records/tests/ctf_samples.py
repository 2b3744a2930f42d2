"""Helpers for the CTF tests: small files written inline, records, and the sample files' folder."""

from datetime import date
from pathlib import Path

from graduated.pupils.identifiers import check_letter
from graduated.records.record import ContactEntry, NeedEntry, PupilRecord, SENStatusEntry

FILES = Path(__file__).parent / "files"

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>{version}</CTFversion>
    <DateTime>2026-07-16T14:05:12</DateTime>
    <SourceSchool>
      <LEA>860</LEA>
      <Estab>2175</Estab>
    </SourceSchool>
  </Header>
  <CTFpupilData>
"""
FOOTER = """  </CTFpupilData>
</CTfile>
"""


def upn(serial: int, *, establishment: str = "2175", year: str = "19") -> str:
    body = f"860{establishment}{year}{serial:03d}"
    return check_letter(body) + body


def pupil_xml(inner: str = "", *, serial: int = 1, dob: str = "2015-03-14", basics: bool = True) -> str:
    """A <Pupil> with valid identifiers, then ``inner`` (SEN history, contacts …)."""
    identifiers = (
        f"<UPN>{upn(serial)}</UPN><Surname>Kowalski</Surname><Forename>Mateusz</Forename>"
        f"<DOB>{dob}</DOB><Gender>M</Gender>"
        if basics
        else ""
    )
    return f"    <Pupil>\n      {identifiers}\n{inner}\n    </Pupil>\n"


def ctf(*pupils: str, version: str = "20.0") -> bytes:
    return (HEADER.format(version=version) + "".join(pupils) + FOOTER).encode()


def sen(*entries: tuple[str, str], needs: str = "") -> str:
    """A SENhistory from (start date, provision) pairs, with ``needs`` as its SENneeds."""
    body = "".join(
        f"<SEN><StartDate>{start}</StartDate><SENprovision>{provision}</SENprovision></SEN>"
        for start, provision in entries
    )
    return f"<SENhistory>{body}{f'<SENneeds>{needs}</SENneeds>' if needs else ''}</SENhistory>"


def need(rank: str, sen_type: str, start: str = "", end: str = "") -> str:
    dates = (f"<NeedStartDate>{start}</NeedStartDate>" if start else "") + (
        f"<NeedEndDate>{end}</NeedEndDate>" if end else ""
    )
    return f"<SENneed>{dates}<SENtypeRank>{rank}</SENtypeRank><SENtype>{sen_type}</SENtype></SENneed>"


def sample_records() -> list[PupilRecord]:
    """Pupils with legacy codes, several contacts, and names that need escaping or are not ASCII."""
    return [
        PupilRecord(
            upn=upn(12),
            legal_first_name="Zoë",
            legal_last_name="O'Brien & Sons <Ltd>",
            date_of_birth=date(2009, 10, 3),
            sex="F",
            preferred_first_name="Zo",
            preferred_last_name="O’Brien",
            year_group=11,
            sen_history=(
                SENStatusEntry(date(2012, 1, 9), "A"),
                SENStatusEntry(date(2013, 5, 1), "P"),
                SENStatusEntry(date(2014, 2, 3), "S"),
                SENStatusEntry(date(2016, 9, 5), "E"),
            ),
            needs=(
                NeedEntry("SLCN", 1, date(2012, 1, 9)),
                NeedEntry("MLD", 2, date(2013, 5, 1), date(2018, 7, 20)),
            ),
            contacts=(
                ContactEntry("Siobhán", "O'Brien", "PAM", True, "siobhan@example.org", "07700 900412", 1),
                ContactEntry("Łukasz", "Nowak-Smith", "STF", False, "", "01632 960418", 2),
                ContactEntry("", "Brown & Co", "SWR", False, "duty@example.gov.uk", "", None),
            ),
        ),
        PupilRecord(
            upn=upn(27),
            legal_first_name="Mateusz",
            legal_last_name="Kowalski",
            date_of_birth=date(2015, 3, 14),
            sex="M",
            year_group=0,
        ),
        PupilRecord(
            upn=upn(33),
            legal_first_name="Chloé",
            legal_last_name="D'Arcy-Nguyễn",
            date_of_birth=date(2021, 12, 1),
            sex="F",
            year_group=-1,
            sen_history=(SENStatusEntry(date(2024, 9, 16), "K"),),
            needs=(NeedEntry("NSA", 1, date(2024, 9, 16)),),
            contacts=(ContactEntry("Jean", "D'Arcy", "CAR", True, "jean@example.com", "+44 7700 900733", 1),),
        ),
        PupilRecord(
            upn=upn(41),
            legal_first_name="Harvey",
            legal_last_name="Tait",
            date_of_birth=date(2008, 9, 8),
            sex="M",
            year_group=None,
            sen_history=(SENStatusEntry(date(2019, 1, 7), "K"), SENStatusEntry(date(2021, 7, 19), "N")),
            needs=(NeedEntry("SEMH", 1, date(2019, 1, 7), date(2021, 7, 18)),),
        ),
    ]
