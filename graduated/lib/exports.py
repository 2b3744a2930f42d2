"""Documents people are sent or edit: one outline, rendered as a tagged PDF or as a Word file.

A feature builds an ``Outline`` (headings, facts, paragraphs, tables) from its records once; this
module turns it into a PDF/UA (tagged, so screen readers can follow it) with WeasyPrint and into
an editable .docx with python-docx. Keeping one outline means the two never disagree.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ExportUnavailableError(Exception):
    """The PDF library cannot run here (Pango missing): the page explains it instead of failing."""


@dataclass(frozen=True)
class Facts:
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Paragraphs:
    texts: list[str]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


Block = Facts | Paragraphs | Table


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    level: int = 2  # 2 for a section, 3 for a part of one


@dataclass
class Outline:
    title: str
    subtitle: str
    produced_on: date
    sections: list[Section] = field(default_factory=list)

    def filename(self, extension: str) -> str:
        return f"{slugify(self.title)}-{self.produced_on.isoformat()}.{extension}"


@dataclass(frozen=True)
class ContentsLine:
    """A contents-page line for something outside the outline, such as a report appended after it.

    ``reserve`` blank pages are laid out at the end of the document in its place, so that WeasyPrint
    numbers it (and every page after it, and "of N" in the footer) in the one layout; whoever appends
    the real pages replaces the blank ones (``RenderedPdf.reserved_from``)."""

    label: str  # "Appendix 1: Educational psychology report, 3 March 2026"
    reserve: int = 0  # its number of pages; 0 when it is not included
    note: str = ""  # why it is not included, in plain words


@dataclass(frozen=True)
class Contents:
    """Asks ``render_pdf`` for a contents page after the title block: level-2 sections, then these lines."""

    lines: list[ContentsLine] = field(default_factory=list)

    @property
    def reserved_pages(self) -> int:
        return sum(line.reserve for line in self.lines)

    @property
    def entries(self) -> list[tuple[ContentsLine, str]]:
        """Each line with the anchor of its first reserved page ("reserved-3"), or "" when it has none."""
        entries, next_page = [], 1
        for line in self.lines:
            entries.append((line, f"reserved-{next_page}" if line.reserve else ""))
            next_page += line.reserve
        return entries

    @property
    def placeholders(self) -> list[str]:
        """One id per reserved page: the line's anchor on its first page, "" on the others."""
        anchors = {anchor for _, anchor in self.entries if anchor}
        return [f"reserved-{n}" if f"reserved-{n}" in anchors else "" for n in range(1, self.reserved_pages + 1)]


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int
    reserved_from: int  # the index of the first reserved page (== page_count when none is)


# The anchor of the first reserved page: what a bundle checks to find where the document ends.
RESERVED_ANCHOR = "reserved-1"


def render_pdf(outline: Outline, *, contents: Contents | None = None) -> bytes:
    return render_pdf_pages(outline, contents=contents).pdf


def render_pdf_pages(outline: Outline, *, contents: Contents | None = None) -> RenderedPdf:
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise ExportUnavailableError(
            "PDF export needs the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from error
    html = render_to_string("lib/export.html", {"outline": outline, "contents": contents})
    stylesheet = finders.find("exports/document.css")
    assert isinstance(stylesheet, str), "graduated/lib/static/exports/document.css is missing"
    options = {"stylesheets": [CSS(filename=stylesheet)], "pdf_variant": "pdf/ua-1"}
    # One layout: the page count and the reserved pages are read from it, then it is written.
    document = HTML(string=html).render(**options)
    page_count = len(document.pages)
    reserved_from = next(
        (index for index, page in enumerate(document.pages) if RESERVED_ANCHOR in page.anchors), page_count
    )
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return RenderedPdf(pdf, page_count, reserved_from)


def render_docx(outline: Outline) -> bytes:
    from docx import Document

    document = Document()
    document.core_properties.title = outline.title
    document.core_properties.subject = outline.subtitle
    document.add_heading(outline.title, level=0)
    document.add_paragraph(outline.subtitle)
    for section in outline.sections:
        document.add_heading(section.heading, level=section.level - 1)
        for block in section.blocks:
            if isinstance(block, Facts):
                table = document.add_table(rows=0, cols=2)
                table.style = "Table Grid"
                for label, value in block.rows:
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text = label, value
            elif isinstance(block, Paragraphs):
                for text in block.texts:
                    document.add_paragraph(text)
            else:
                table = document.add_table(rows=1, cols=len(block.headers))
                table.style = "Table Grid"
                for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
                    cell.text = header
                for row in block.rows:
                    for cell, value in zip(table.add_row().cells, row, strict=True):
                        cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
