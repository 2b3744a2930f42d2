"""The request's documents: the evidence bundle (PDF: the request with a contents page and
bookmarks, then each specialist's PDF report of the last 12 months) and the request form (Word).

A request in preparation is drawn from the record as it is now; a submitted one is the bundle kept
when it was sent (``PreparedRequest.bundle``), so the school and the LA read the same file."""

from dataclasses import dataclass
from datetime import date

from graduated.assessment_requests.content import is_pdf, reports, request_outline
from graduated.assessment_requests.models import PreparedRequest
from graduated.assessment_requests.services import deciding_la
from graduated.lib.exports import Outline
from graduated.lib.pdf_bundle import Appendix, Bundle, render_bundle
from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil
from graduated.rulepacks.models import Step
from graduated.rulepacks.readiness import RuleResult, readiness


@dataclass(frozen=True)
class RequestDocuments:
    outline: Outline
    results: list[RuleResult]


def request_readiness(pupil: Pupil, setting: Setting, on: date) -> list[RuleResult]:
    """The deciding LA's local rules checked before a request, met or not on ``on``."""
    return readiness(pupil, step=Step.REQUEST, on=on, local_authority=deciding_la(pupil, setting))


def request_documents(prepared: PreparedRequest, on: date) -> RequestDocuments:
    results = request_readiness(prepared.pupil, prepared.setting, on)
    return RequestDocuments(request_outline(prepared, on, results), results)


def _read(document_file: object) -> bytes:
    try:
        with document_file.open("rb") as handle:  # type: ignore[attr-defined]
            return handle.read()
    except (FileNotFoundError, OSError):
        return b""  # a lost file is reported in the bundle as not appended, never an error page


def evidence_bundle(prepared: PreparedRequest, on: date) -> tuple[Outline, Bundle]:
    outline = request_documents(prepared, on).outline
    appendices = [
        Appendix(f"{document.title} ({document.dated:%-d %B %Y})", _read(document.file))
        for document in reports(prepared.pupil, on)
        if is_pdf(document)
    ]
    return outline, render_bundle(outline, appendices)
