"""What reading a Common Transfer File gives back, and the CTF's own codes that are not census codes.

Element names and nesting follow the DfE's CTF specification (CTF 15 onwards), section 4 "XML
message structure": ``CTfile`` → ``Header`` and ``CTFpupilData`` → ``Pupil``. See ``reader.py``
for the elements read.
"""

from dataclasses import dataclass, field
from datetime import datetime

from graduated.records.record import PupilRecord

DOCUMENT_NAME = "Common Transfer File"
OLDEST_VERSION = 15  # SEN support (K) and EHC plans (E) arrived with the 2014 reforms; CTF 15 is 2015's

# The spec's placeholders in DestSchool for a CTF whose destination is not known (a group of
# leavers whose next school is not known) and for a destination outside the maintained sector.
UNKNOWN_DESTINATION = ("MMM", "MMMM")
OUTSIDE_MAINTAINED_SECTOR = ("XXX", "XXXX")

# NCyearActual as the census codes it, and the year group Graduated stores (see
# graduated/pupils/year_groups.py): E1 and E2 are the early-years groups below nursery, N1 and N2
# the two nursery years, R reception, 1–14 the NC years. X (not following the National Curriculum)
# has no year group: it is read as None, and None is written by leaving NCyearActual out.
YEAR_GROUP_OF_NC_YEAR: dict[str, int | None] = {
    "E1": -4,
    "E2": -3,
    "N1": -2,
    "N2": -1,
    "R": 0,
    **{str(year): year for year in range(1, 15)},
    "X": None,
}
NC_YEAR_OF_YEAR_GROUP: dict[int, str] = {year: code for code, year in YEAR_GROUP_OF_NC_YEAR.items() if year is not None}

# The CTF contact's relationship codes as MIS products show them, for display and for mapping the
# words an MIS export uses onto codes when writing. Reading checks a code's shape (three capital
# letters), not this list: a code this list lacks is not refused.
RELATIONSHIP_CODES = {
    "PAM": "Mother",
    "PAF": "Father",
    "STM": "Step-mother",
    "STF": "Step-father",
    "FOM": "Foster mother",
    "FOF": "Foster father",
    "CAR": "Carer",
    "FAM": "Other family member",
    "REL": "Other relative",
    "CHM": "Childminder",
    "SWR": "Social worker",
    "DOC": "Doctor",
    "OTH": "Other contact",
}


class CTFError(Exception):
    """The file as a whole cannot be read: nothing in it may be imported.

    ``str(error)`` is a sentence for the person who uploaded the file, naming the line and element.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class School:
    """A source or destination school as the header names it: LA code, establishment number, URN."""

    lea: str
    estab: str
    urn: str = ""
    name: str = ""

    @property
    def dfe_number(self) -> str:
        return f"{self.lea}{self.estab}"


@dataclass(frozen=True)
class CTFHeader:
    document_name: str
    ctf_version: str  # as written, e.g. "20.0"
    version: int  # its major number, e.g. 20
    generated_at: datetime
    source: School
    destination: School | None  # None: not known (MMM/MMMM) or not given
    document_qualifier: str = ""  # "full" or "partial"
    supplier_id: str = ""
    academic_year: str = ""  # the source school's, as the calendar year it began: "2025" for 2025/26


@dataclass(frozen=True)
class PupilProblem:
    """A pupil the file holds whose data cannot be imported as it stands, and why."""

    line: int  # of the pupil's <Pupil> element
    upn: str  # as written in the file, which may be the problem
    name: str
    messages: tuple[str, ...]

    def __str__(self) -> str:
        who = " ".join(part for part in (self.name, f"({self.upn})" if self.upn else "") if part)
        return f"{who or 'A pupil'} at line {self.line}: " + " ".join(self.messages)


@dataclass
class CTFResult:
    """A whole file read: the header, the pupils that can be imported, and those that cannot.

    A caller either refuses the file unless ``is_valid``, or imports ``pupils`` and lists
    ``problems`` for the person to put right.
    """

    header: CTFHeader
    pupils: list[PupilRecord] = field(default_factory=list)
    problems: list[PupilProblem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def pupil_count(self) -> int:
        return len(self.pupils) + len(self.problems)
