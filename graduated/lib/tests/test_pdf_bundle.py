import io
import re
from datetime import date

import pypdf
import pytest
from django.template.loader import render_to_string

from graduated.lib.exports import Contents, Facts, Outline, Paragraphs, Section, render_pdf
from graduated.lib.pdf_bundle import Appendix, Bundle, render_bundle

# Long enough that the sections spread over several pages after the contents page.
REQUEST = Outline(
    title="Request for an EHC needs assessment: Priya One",
    subtitle="Ash Primary School to Northshire Council",
    produced_on=date(2026, 11, 23),
    sections=[
        Section("About Priya", [Facts([("Date of birth", "14 March 2016"), ("Year group", "Year 5")])]),
        Section(
            "What the school has done",
            [Paragraphs(["Pre-teaching, small-group phonics and a visual timetable. " * 30] * 3)],
        ),
        Section("Cycles of support", [Paragraphs(["Four cycles of assess, plan, do and review since 2024."])], level=3),
        Section("Views of Priya and her family", [Paragraphs(["Priya says reading makes her tired. " * 40] * 2)]),
    ],
)
LEVEL_2_HEADINGS = ["About Priya", "What the school has done", "Views of Priya and her family"]


def report(title: str, paragraphs: int) -> bytes:
    """A real PDF report to upload: one page per few paragraphs, with its own heading bookmark."""
    text = f"{title} finding. " * 45
    return render_pdf(
        Outline(title, "Specialist report", date(2026, 3, 3), [Section("Findings", [Paragraphs([text] * paragraphs)])])
    )


def encrypted(pdf: bytes, *, user_password: str, owner_password: str) -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf))
    writer.encrypt(user_password, owner_password)  # RC4, which pypdf opens without extra packages
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def no_pages() -> bytes:
    buffer = io.BytesIO()
    pypdf.PdfWriter().write(buffer)
    return buffer.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def contents_number(contents_text: str, label: str) -> int:
    """The page number that the contents page gives at the end of the line starting with this label."""
    match = re.search(rf"^{re.escape(label)}\s+(\d+)$", contents_text, flags=re.MULTILINE)
    assert match, f"{label!r} has no page number on the contents page:\n{contents_text}"
    return int(match.group(1))


def flatten(outline: list) -> list:
    items = []
    for item in outline:
        items.extend(flatten(item) if isinstance(item, list) else [item])
    return items


@pytest.fixture(scope="module")
def reports() -> dict[str, bytes]:
    psychology = report("Educational psychology", paragraphs=1)
    speech = report("Speech and language", paragraphs=4)
    return {
        "psychology": psychology,
        "speech": speech,
        "locked": encrypted(psychology, user_password="secret", owner_password="secret"),
        "restricted": encrypted(psychology, user_password="", owner_password="owner"),
        "no pages": no_pages(),
    }


@pytest.fixture(scope="module")
def bundle(reports: dict[str, bytes]) -> Bundle:
    return render_bundle(
        REQUEST,
        [
            Appendix("Educational psychology report, 3 March 2026", reports["psychology"]),
            Appendix("Photo of the reading record", b"not a pdf"),
            Appendix("Speech and language therapy report", reports["speech"]),
            Appendix("Paediatric letter", b""),
            Appendix("Occupational therapy report", reports["speech"][: len(reports["speech"]) // 2]),
            Appendix("CAMHS letter", reports["locked"]),
            Appendix("Hearing test results", reports["restricted"]),
            Appendix("Blank scan", reports["no pages"]),
        ],
    )


def test_the_contents_page_gives_each_section_and_appendix_its_page(bundle: Bundle, reports: dict[str, bytes]) -> None:
    texts = page_texts(bundle.pdf)
    contents = texts[0]
    assert "Contents" in contents
    # Each level-2 section's number is the page its heading is on; parts of sections are not listed.
    for heading in LEVEL_2_HEADINGS:
        on_page = next(number for number, text in enumerate(texts[1:], start=2) if heading in text.splitlines())
        assert contents_number(contents, heading) == on_page
    assert "Cycles of support" not in contents
    # The appendices come after the main part, in the order uploaded, numbered as uploaded.
    psychology_pages, speech_pages = page_count(reports["psychology"]), page_count(reports["speech"])
    assert speech_pages > 1
    main_pages = len(texts) - 2 * psychology_pages - speech_pages
    assert contents_number(contents, "Appendix 1: Educational psychology report, 3 March 2026") == main_pages + 1
    assert contents_number(contents, "Appendix 3: Speech and language therapy report") == main_pages + 2
    assert contents_number(contents, "Appendix 7: Hearing test results") == main_pages + 2 + speech_pages
    # ...and each starts where the contents page says, whole.
    assert texts[main_pages].startswith("Educational psychology")
    assert "Request for an EHC needs assessment" not in texts[main_pages]
    speech_text = texts[main_pages + 1 : main_pages + 1 + speech_pages]
    assert speech_text == page_texts(reports["speech"])
    assert texts[-1].startswith("Educational psychology")
    # The main part's footer counts the whole file, as the contents page and PDF viewers do.
    assert f"Page 1 of {len(texts)}" in contents
    assert f"Page {main_pages} of {len(texts)}" in texts[main_pages - 1]


def test_files_that_cannot_be_read_are_left_out_and_named_with_the_reason(bundle: Bundle) -> None:
    assert bundle.appended == [
        "Educational psychology report, 3 March 2026",
        "Speech and language therapy report",
        "Hearing test results",  # only restricts printing or copying: it opens without a password
    ]
    assert bundle.not_appended == [
        ("Photo of the reading record", "the file is not a PDF"),
        ("Paediatric letter", "the file is empty"),
        ("Occupational therapy report", "the file is damaged and could not be read"),
        ("CAMHS letter", "the file is protected with a password"),
        ("Blank scan", "the file has no pages"),
    ]
    contents = " ".join(page_texts(bundle.pdf)[0].split())
    for number, (title, reason) in zip([2, 4, 5, 6, 8], bundle.not_appended, strict=True):
        assert f"Appendix {number}: {title} not included: {reason}" in contents


def test_bookmarks_lead_to_each_section_and_each_appendix(bundle: Bundle) -> None:
    reader = pypdf.PdfReader(io.BytesIO(bundle.pdf))
    texts = [page.extract_text() for page in reader.pages]
    items = flatten(reader.outline)
    pages = {item.title: reader.get_destination_page_number(item) for item in items}
    for heading in LEVEL_2_HEADINGS:
        assert heading in texts[pages[heading]].splitlines()
    assert "Cycles of support" in pages  # WeasyPrint bookmarks h3 too
    contents = texts[0]
    for label in (
        "Appendix 1: Educational psychology report, 3 March 2026",
        "Appendix 3: Speech and language therapy report",
        "Appendix 7: Hearing test results",
    ):
        assert pages[label] + 1 == contents_number(contents, label)
    assert not any("not a pdf" in title.lower() or "Appendix 2" in title for title in pages)
    # The appendices are top-level bookmarks, after the request's own, with their own bookmarks inside.
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level == [
        "Request for an EHC needs assessment: Priya One",
        "Appendix 1: Educational psychology report, 3 March 2026",
        "Appendix 3: Speech and language therapy report",
        "Appendix 7: Hearing test results",
    ]
    after = {
        item.title: reader.outline[index + 1]
        for index, item in enumerate(reader.outline[:-1])
        if not isinstance(item, list)
    }
    speech_report_bookmarks = after["Appendix 3: Speech and language therapy report"]
    assert [item.title for item in flatten(speech_report_bookmarks)] == ["Speech and language", "Findings"]


def test_the_request_stays_tagged_but_the_bundle_no_longer_claims_pdf_ua(bundle: Bundle) -> None:
    reader = pypdf.PdfReader(io.BytesIO(bundle.pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == REQUEST.title
    # The appended reports are not tagged in our structure tree, so the file does not say it is PDF/UA.
    assert b"pdfuaid" not in root["/Metadata"].get_object().get_data().replace(b'xmlns:pdfuaid="', b"")
    # The blank pages held for the reports while the request was laid out are gone, tags and all.
    pages = {page.indirect_reference.idnum for page in reader.pages if page.indirect_reference is not None}
    tagged_pages = set()
    stack = [root["/StructTreeRoot"].get_object()]
    while stack:
        element = stack.pop()
        if "/Pg" in element:
            tagged_pages.add(element.raw_get("/Pg").idnum)
        kids = element.get("/K")
        kids = kids.get_object() if kids is not None else []
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid.get_object(), pypdf.generic.DictionaryObject):
                stack.append(kid.get_object())
    assert tagged_pages and tagged_pages <= pages


def test_a_bundle_without_appendices_is_the_request_with_a_contents_page() -> None:
    bundle = render_bundle(REQUEST, [])
    assert bundle.appended == [] and bundle.not_appended == []
    reader = pypdf.PdfReader(io.BytesIO(bundle.pdf))
    texts = [page.extract_text() for page in reader.pages]
    assert "Contents" in texts[0] and "Appendix" not in texts[0]
    assert contents_number(texts[0], "About Priya") == 2
    assert f"Page 1 of {len(texts)}" in texts[0]
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()  # all of it is the tagged request


def test_documents_without_a_contents_page_are_unchanged() -> None:
    html = render_to_string("lib/export.html", {"outline": REQUEST})
    assert "Contents" not in html and 'id="section-' not in html and "<nav" not in html
    with_contents = render_to_string("lib/export.html", {"outline": REQUEST, "contents": Contents()})
    assert '<h2 id="section-1">About Priya</h2>' in with_contents


def test_links_in_an_appended_report_are_not_tied_to_the_requests_tags() -> None:
    # A report with a contents page of its own: its links carry /StructParent numbers from its own tags.
    tiny = Outline("Earlier request", "Sent in 2025", date(2025, 6, 1), [Section("About Priya", [])])
    earlier = render_pdf(tiny, contents=Contents())
    bundle = render_bundle(tiny, [Appendix("Earlier request", earlier)])
    reader = pypdf.PdfReader(io.BytesIO(bundle.pdf))
    main_pages = len(reader.pages) - page_count(earlier)

    def links(pages: list[pypdf.PageObject]) -> list[pypdf.generic.DictionaryObject]:
        return [annotation.get_object() for page in pages for annotation in page.get("/Annots", [])]

    assert links(reader.pages[:main_pages]) and all(
        "/StructParent" in link for link in links(reader.pages[:main_pages])
    )
    assert links(reader.pages[main_pages:]) and not any(
        "/StructParent" in link for link in links(reader.pages[main_pages:])
    )
