"""One pupil's record as it comes in from, or goes out to, another system (an MIS CSV export, a
Common Transfer File, the API): plain data, checked, not yet saved. Importers build these; the
import service (graduated.records.apply) compares them with what is held and applies the change.
"""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class SENStatusEntry:
    """A row of the CTF's SENhistory: from ``start_date`` the pupil's census SEN provision was ``provision``."""

    start_date: date
    provision: str  # N, K or E (S, A, P accepted as legacy codes on import)


@dataclass(frozen=True, slots=True)
class NeedEntry:
    """A row of SENneeds: a census SEN type with its rank (1 primary, 2 secondary) and dates."""

    sen_type: str
    rank: int
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True, slots=True)
class ContactEntry:
    """A parent, carer or other contact as the MIS holds them."""

    first_name: str
    last_name: str
    relationship: str = ""  # the CTF's relationship code or the MIS's words, e.g. "Mother"
    parental_responsibility: bool = False
    email: str = ""
    phone: str = ""
    priority: int | None = None  # the MIS's contact order: 1 is called first


@dataclass(frozen=True, slots=True)
class PupilRecord:
    upn: str
    legal_first_name: str
    legal_last_name: str
    date_of_birth: date
    sex: str  # M or F (census gender)
    preferred_first_name: str = ""
    preferred_last_name: str = ""
    year_group: int | None = None  # NC year actual: 0 for reception, -1 nursery, 1-14
    enrolment_date: date | None = None
    sen_history: tuple[SENStatusEntry, ...] = ()  # oldest first
    needs: tuple[NeedEntry, ...] = ()
    contacts: tuple[ContactEntry, ...] = ()
    # Census indicators: the pupil is in a SEN unit / resourced provision of the setting.
    sen_unit: bool = False
    resourced_provision: bool = False
    # Where the record came from, for messages: a CSV row number or an XML line.
    source_line: int | None = field(default=None, compare=False)

    @property
    def current_provision(self) -> str:
        return self.sen_history[-1].provision if self.sen_history else "N"
