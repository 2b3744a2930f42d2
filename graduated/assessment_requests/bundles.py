"""The request's documents: the evidence bundle (PDF: the request with a contents page and
bookmarks, then each specialist's PDF report of the last 12 months) and the request form (Word).

A request in preparation is drawn from the record as it is now. A sent one is drawn from what it
held at the moment it was sent (``SentContent``, kept by ``services.submit``): the bundle is made
from that in the background (``make_bundle``, run by ``tasks.build_bundle``) and stored
(``PreparedRequest.bundle``), so the school and the LA read the same file, however long after the
sending it was made."""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from graduated.assessment_requests import services
from graduated.assessment_requests.content import is_pdf, reports, request_outline
from graduated.assessment_requests.models import BundleStatus, PreparedRequest, SentContent
from graduated.assessment_requests.services import deciding_la
from graduated.documents.models import Document
from graduated.lib.exports import Block, ExportUnavailableError, Facts, Outline, Paragraphs, Section, Table
from graduated.lib.pdf_bundle import Appendix, Bundle, render_bundle
from graduated.organisations.models import Setting
from graduated.pupils.models import Pupil
from graduated.rulepacks.models import Step
from graduated.rulepacks.readiness import RuleResult, readiness

logger = logging.getLogger(__name__)

UNAVAILABLE = "The PDF could not be made on this server: {reason} Tell your administrator, then try again."
FAILED = (
    "Something went wrong while the evidence bundle was being made. Try again, and if it keeps happening tell "
    "your administrator. The request itself was sent."
)


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
    except (FileNotFoundError, OSError, ValueError):
        return b""  # a lost file is reported in the bundle as not appended, never an error page


def _appendix_title(document: Document) -> str:
    return f"{document.title} ({document.dated:%-d %B %Y})"


def evidence_bundle(prepared: PreparedRequest, on: date) -> tuple[Outline, Bundle]:
    """The bundle of a request in preparation, drawn from the record as it is on ``on``."""
    outline = request_documents(prepared, on).outline
    appendices = [
        Appendix(_appendix_title(document), _read(document.file))
        for document in reports(prepared.pupil, on)
        if is_pdf(document)
    ]
    return outline, render_bundle(outline, appendices)


# -- What was sent ------------------------------------------------------------------------------------
# The outline is plain data (strings, a date), kept as JSON: {"title", "subtitle", "produced_on",
# "sections": [{"heading", "level", "blocks": [{"facts": [[label, value], ...]} | {"paragraphs": [...]}
# | {"table": {"caption", "headers", "rows"}}]}]}.


def _block_data(block: Block) -> dict[str, Any]:
    if isinstance(block, Facts):
        return {"facts": [[str(label), str(value)] for label, value in block.rows]}
    if isinstance(block, Paragraphs):
        return {"paragraphs": [str(text) for text in block.texts]}
    return {"table": {"caption": str(block.caption), "headers": [str(h) for h in block.headers],
                      "rows": [[str(value) for value in row] for row in block.rows]}}  # fmt: skip


def _block(data: dict[str, Any]) -> Block:
    if "facts" in data:
        return Facts([(label, value) for label, value in data["facts"]])
    if "paragraphs" in data:
        return Paragraphs(list(data["paragraphs"]))
    table = data["table"]
    return Table(table["caption"], list(table["headers"]), [list(row) for row in table["rows"]])


def outline_data(outline: Outline) -> dict[str, Any]:
    return {
        "title": outline.title, "subtitle": outline.subtitle, "produced_on": outline.produced_on.isoformat(),
        "sections": [{"heading": str(s.heading), "level": s.level, "blocks": [_block_data(b) for b in s.blocks]}
                     for s in outline.sections],
    }  # fmt: skip


def outline_from(data: dict[str, Any]) -> Outline:
    return Outline(
        title=data["title"], subtitle=data["subtitle"], produced_on=date.fromisoformat(data["produced_on"]),
        sections=[Section(s["heading"], [_block(b) for b in s["blocks"]], level=s["level"]) for s in data["sections"]],
    )  # fmt: skip


def sent_content(prepared: PreparedRequest) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What a request being sent holds, as data: its outline drawn from the record on the day it is sent
    (``submitted_on``), and the PDF reports to append, named by document. Called inside the sending
    transaction, once the request is marked sent (so the bundle says "submitted" on that day)."""
    on = prepared.submitted_on
    assert on is not None, "only a request being sent is kept"
    outline = request_documents(prepared, on).outline
    appendices = [{"document": document.pk, "title": _appendix_title(document)}
                  for document in reports(prepared.pupil, on) if is_pdf(document)]  # fmt: skip
    return outline_data(outline), appendices


def sent_outline(prepared: PreparedRequest) -> Outline | None:
    """The outline of a sent request as it was sent; None for one sent before what was sent was kept."""
    content = SentContent.objects.filter(prepared=prepared).only("outline").first()
    return outline_from(content.outline) if content is not None else None


def _sent_appendices(prepared: PreparedRequest, listed: list[dict[str, Any]]) -> list[Appendix]:
    """The reports named when the request was sent. Uploaded files never change; one removed from the
    record since (a report filed against the wrong child, say) is named in the bundle as not appended."""
    documents = Document.objects.filter(pupil=prepared.pupil_id, pk__in=[item["document"] for item in listed])
    files = {document.pk: document.file for document in documents}
    return [Appendix(item["title"], _read(files[item["document"]]) if item["document"] in files else b"")
            for item in listed]  # fmt: skip


def make_bundle(prepared_id: int) -> None:
    """Make a sent request's evidence bundle from what it held when it was sent, and store it.

    Run by the background task; does nothing unless the bundle is waiting to be made. Any failure
    is kept on the request (``bundle_error``), for the SENCO to read and try again; the request
    itself, already sent, is never touched."""
    prepared = (
        PreparedRequest.objects.select_related("sent_content")
        .filter(pk=prepared_id, bundle_status=BundleStatus.BUILDING)
        .first()
    )
    if prepared is None:
        return  # made already, or not sent
    attempt = services.start_bundle(prepared)
    try:
        content = prepared.sent_content
        bundle = render_bundle(outline_from(content.outline), _sent_appendices(prepared, content.appendices))
    except ExportUnavailableError as error:
        logger.error("Evidence bundle of request %s could not be made: %s", prepared_id, error)
        services.bundle_failed(prepared, attempt=attempt, message=UNAVAILABLE.format(reason=error))
        return
    except Exception:
        logger.exception("Evidence bundle of request %s could not be made", prepared_id)
        services.bundle_failed(prepared, attempt=attempt, message=FAILED)
        raise  # the task's result records the failure too
    services.store_bundle(prepared, pdf=bundle.pdf, appended=len(bundle.appended), left_out=len(bundle.not_appended))
