import io
from datetime import date

import docx
import pypdf

from graduated.lib.exports import Facts, Outline, Paragraphs, Section, Table, render_docx, render_pdf

OUTLINE = Outline(
    title="SEN support plan: Priya One",
    subtitle="Ash Primary School, cycle 2",
    produced_on=date(2026, 11, 23),
    sections=[
        Section("About Priya", [Facts([("Date of birth", "14 March 2016"), ("Year group", "Year 5")])]),
        Section("What we will do", [Paragraphs(["Pre-teach new vocabulary before each science lesson."])]),
        Section(
            "Outcomes",
            [Table("Outcomes and targets", ["Outcome", "Target"], [["Read 20 high-frequency words", "20 words"]])],
        ),
    ],
)


def test_the_pdf_is_tagged_and_holds_the_outline() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(OUTLINE)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged for screen readers
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == "SEN support plan: Priya One"
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "SEN support plan: Priya One",
        "14 March 2016",
        "Pre-teach new vocabulary",
        "Read 20 high-frequency",
    ):
        assert expected in text


def test_the_word_file_holds_the_same_outline() -> None:
    document = docx.Document(io.BytesIO(render_docx(OUTLINE)))
    headings = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings == ["SEN support plan: Priya One", "About Priya", "What we will do", "Outcomes"]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "14 March 2016" in cells and "Read 20 high-frequency words" in cells
    assert OUTLINE.filename("docx") == "sen-support-plan-priya-one-2026-11-23.docx"
