"""The documents app's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py)."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.documents import services
from graduated.documents.content_types import PDF
from graduated.documents.tests.files import PDF_BYTES, upload
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas

READERS = personas("senco_a", "head_a")  # the whole-record roles at setting A
UPLOADERS = personas("senco_a")
FOREIGN_SENCO = personas("senco_c")


def _document(world: World, side: str) -> list[Any]:
    pupil = world.p1 if side == "own" else world.p4
    document = services.add_document(
        actor=Actor.system("test"), pupil=pupil, upload=upload("report.pdf", PDF_BYTES), file_type=PDF,
        title="Speech and language report", kind="report", dated=date(2026, 10, 1),
    )  # fmt: skip
    return [pupil.pk, document.pk]


def _upload_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "file": upload("observation.pdf", PDF_BYTES), "title": "Classroom observation", "kind": "assessment",
        "dated_0": "2", "dated_1": "10", "dated_2": "2026",
    }  # fmt: skip


TARGETS = {"document": _document}
ROWS = [
    Row("documents:list", "GET", "pupil", own=READERS, foreign=FOREIGN_SENCO, forbidden=personas("teacher_a", "ta_a")),
    Row("documents:list", "POST", "pupil", own=UPLOADERS, foreign=FOREIGN_SENCO,
        forbidden=personas("teacher_a", "ta_a", "head_a"), data=_upload_form),
    Row("documents:download", "GET", "document", own=READERS, foreign=FOREIGN_SENCO,
        forbidden=personas("teacher_a", "ta_a")),
    Row("documents:remove", "GET", "document", own=UPLOADERS, foreign=FOREIGN_SENCO,
        forbidden=personas("teacher_a", "ta_a", "head_a")),
    Row("documents:remove", "POST", "document", own=UPLOADERS, foreign=FOREIGN_SENCO,
        forbidden=personas("teacher_a", "ta_a", "head_a")),
]  # fmt: skip
