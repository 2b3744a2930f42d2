"""The DfE Common Transfer File (CTF 15 onwards): reading one safely and writing one.

``read_ctf`` reads a whole file and checks every pupil; ``CTFReader`` gives the pupils one at a
time for a caller that streams; ``write_ctf`` writes a file for one leaver or a group of leavers,
``ctf_chunks`` the same as a stream of chunks for a download.
Pure code: nothing here touches the database.
"""

from graduated.records.ctf.model import (
    NC_YEAR_OF_YEAR_GROUP,
    RELATIONSHIP_CODES,
    YEAR_GROUP_OF_NC_YEAR,
    CTFError,
    CTFHeader,
    CTFResult,
    PupilProblem,
    School,
)
from graduated.records.ctf.reader import CTFReader, read_ctf
from graduated.records.ctf.writer import ctf_chunks, file_name, relationship_code, write_ctf, write_ctf_to, xml_safe

__all__ = [
    "NC_YEAR_OF_YEAR_GROUP",
    "RELATIONSHIP_CODES",
    "YEAR_GROUP_OF_NC_YEAR",
    "CTFError",
    "CTFHeader",
    "CTFReader",
    "CTFResult",
    "PupilProblem",
    "School",
    "ctf_chunks",
    "file_name",
    "read_ctf",
    "relationship_code",
    "write_ctf",
    "write_ctf_to",
    "xml_safe",
]
