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


def render_pdf(outline: Outline) -> bytes:
    try:
        from weasyprint import CSS, HTML
    except OSError as error:  # WeasyPrint loads Pango when imported
        raise ExportUnavailableError(
            "PDF export needs the Pango library (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from error
    html = render_to_string("lib/export.html", {"outline": outline})
    stylesheet = finders.find("exports/document.css")
    assert isinstance(stylesheet, str), "graduated/lib/static/exports/document.css is missing"
    document = HTML(string=html)
    pdf = document.write_pdf(stylesheets=[CSS(filename=stylesheet)], pdf_variant="pdf/ua-1")
    assert pdf is not None
    return pdf


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
