"""One evidence bundle PDF: a generated document with a contents page, then uploaded reports as appendices.

An EHC needs assessment request goes to the local authority as one file: the request built from the
pupil's record (an ``Outline``, rendered by ``exports.render_pdf`` with a contents page), then the
specialists' reports that the school uploaded, each appended whole with a bookmark of its own.

Uploads are untrusted: a file that is not a PDF, is damaged, has no pages or needs a password is left
out and named on the contents page with the reason, so the reader knows to ask for it; it never stops
the bundle being made.
"""

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import pypdf
from pypdf.errors import DependencyError

from graduated.lib.exports import Contents, ContentsLine, Outline, render_pdf_pages

logger = logging.getLogger(__name__)

# WeasyPrint's XMP claim that the file conforms to PDF/UA. Appended reports keep their text but not
# their tags (pypdf cannot merge structure trees), so a bundle with appendices must not claim it.
PDF_UA_CLAIM = b'<rdf:Description rdf:about="" pdfuaid:part="1" />'


@dataclass(frozen=True)
class Appendix:
    title: str  # "Educational psychology report, 3 March 2026"
    content: bytes  # the uploaded file, which should be a PDF


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    appended: list[str]  # titles of the appendices in the file, in order
    not_appended: list[tuple[str, str]]  # (title, why it was left out, in plain words)


class UnreadableError(Exception):
    """An upload that cannot go in the bundle; the message is the reason, shown to people."""


@dataclass(frozen=True)
class _Upload:
    label: str  # "Appendix 2: <title>": numbered as uploaded, so a left-out file leaves a visible gap
    appendix: Appendix
    reader: pypdf.PdfReader | None  # None: left out, for the reason
    reason: str = ""


def render_bundle(outline: Outline, appendices: list[Appendix]) -> Bundle:
    """The outline with a contents page, then each readable appendix; ExportUnavailableError as render_pdf."""
    uploads = []
    for number, appendix in enumerate(appendices, start=1):
        label = f"Appendix {number}: {appendix.title}"
        try:
            uploads.append(_Upload(label, appendix, _read(appendix.content)))
        except UnreadableError as error:
            uploads.append(_Upload(label, appendix, None, str(error)))

    # The appendices' first pages follow from the main part's length, known only once it is laid out:
    # blank pages are reserved in their place at its end, so one layout numbers everything (the
    # contents page, and "Page N of M" in the footer), and the blank pages are swapped for the reports.
    contents = Contents(
        [ContentsLine(u.label, len(u.reader.pages)) if u.reader else ContentsLine(u.label, 0, u.reason)
         for u in uploads]
    )  # fmt: skip
    rendered = render_pdf_pages(outline, contents=contents)
    if rendered.page_count - rendered.reserved_from != contents.reserved_pages:
        logger.warning("Bundle: %d pages reserved, %d laid out", contents.reserved_pages,
                       rendered.page_count - rendered.reserved_from)  # fmt: skip

    # clone_from keeps the main part whole: its tags, language, metadata and WeasyPrint's bookmarks.
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(rendered.pdf))
    reserved = {writer.pages[index].indirect_reference for index in range(rendered.reserved_from, rendered.page_count)}
    for index in reversed(range(rendered.reserved_from, rendered.page_count)):
        writer.remove_page(index, clean=True)
    _forget_pages(writer, {ref.idnum for ref in reserved if ref is not None})
    appended = []
    for upload in uploads:
        if upload.reader is not None:
            first_new_page = len(writer.pages)
            writer.append(upload.reader, outline_item=upload.label)  # the upload's own bookmarks go inside
            _forget_structure(writer.pages[first_new_page:])
            appended.append(upload)
    if appended:
        _drop_pdf_ua_claim(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return Bundle(
        pdf=buffer.getvalue(),
        appended=[upload.appendix.title for upload in appended],
        not_appended=[(upload.appendix.title, upload.reason) for upload in uploads if upload.reader is None],
    )


def _read(content: bytes) -> pypdf.PdfReader:
    """The upload as a clean PDF, copied once through pypdf, or UnreadableError saying why not."""
    if not content or content.isspace():
        raise UnreadableError("the file is empty")
    if b"%PDF-" not in content[:1024]:  # where the PDF standard allows the header to be
        raise UnreadableError("the file is not a PDF")
    # A damaged file can fail in pypdf in many ways (its own errors, but also KeyError, ValueError,
    # RecursionError...), when opened or only when its pages are copied: an upload must never stop the
    # bundle, so any failure here means "damaged", and copying it whole now means it cannot fail later.
    try:
        reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
        # Files that only restrict printing or copying open with an empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableError("the file is protected with a password")
        if len(reader.pages) == 0:
            raise UnreadableError("the file has no pages")
        copy = pypdf.PdfWriter()
        copy.append(reader)
        buffer = io.BytesIO()
        copy.write(buffer)
        clean = pypdf.PdfReader(io.BytesIO(buffer.getvalue()))
        if len(clean.pages) == 0:
            raise UnreadableError("the file has no pages")
        return clean
    except UnreadableError:
        raise
    except DependencyError as error:  # AES encryption needs the cryptography package, which we do not ship
        raise UnreadableError("the file is encrypted in a way that could not be opened") from error
    except Exception as error:
        logger.info("Upload left out of a bundle: %s: %s", type(error).__name__, error)
        raise UnreadableError("the file is damaged and could not be read") from error


def _forget_structure(pages: Sequence[pypdf.PageObject]) -> None:
    """Unlink appended links from the main part's structure tree: their numbers index the upload's own tree.

    pypdf already drops the pages' /StructParents; links keep /StructParent, which would otherwise point
    a screen reader at the wrong element of the main part.
    """
    for page in pages:
        annotations = page.get("/Annots")
        if annotations is None:
            continue
        for annotation in annotations.get_object():
            annotation.get_object().pop("/StructParent", None)


def _forget_pages(writer: pypdf.PdfWriter, removed: set[int]) -> None:
    """Take the blank reserved pages' (empty) elements out of the structure tree, so that no tag points
    at a page that is no longer there."""
    if not removed or "/StructTreeRoot" not in writer.root_object:
        return
    root = writer.root_object["/StructTreeRoot"].get_object()
    assert isinstance(root, pypdf.generic.DictionaryObject)
    stack: list[pypdf.generic.DictionaryObject] = [root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        if not isinstance(kids, pypdf.generic.ArrayObject):
            kids = pypdf.generic.ArrayObject([kids])
        kept = pypdf.generic.ArrayObject()
        for kid in kids:
            element = kid.get_object()
            if isinstance(element, pypdf.generic.DictionaryObject):
                page = element.raw_get("/Pg") if "/Pg" in element else None
                if isinstance(page, pypdf.generic.IndirectObject) and page.idnum in removed:
                    continue
                stack.append(element)
            kept.append(kid)
        node[pypdf.generic.NameObject("/K")] = kept


def _drop_pdf_ua_claim(writer: pypdf.PdfWriter) -> None:
    metadata = writer.root_object.get("/Metadata")
    if metadata is None:
        return
    stream = metadata.get_object()
    data = stream.get_data()
    if PDF_UA_CLAIM in data:
        stream.set_data(data.replace(PDF_UA_CLAIM, b""))
