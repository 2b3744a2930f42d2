"""The guidance's Markdown subset: what it renders, and that no input escapes the allowed markup."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from graduated.lib.markup import ALLOWED_CLASSES, ALLOWED_TAGS, plain_text, render, safe_url


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment got through: {data!r}")

    def handle_decl(self, decl: str) -> None:
        raise AssertionError(f"a declaration got through: {decl!r}")

    def unknown_decl(self, data: str) -> None:
        raise AssertionError(f"a declaration got through: {data!r}")

    def handle_pi(self, data: str) -> None:
        raise AssertionError(f"a processing instruction got through: {data!r}")


def _parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    assert not collector.open, f"left open: {collector.open}"
    return collector


def test_headings_paragraphs_lists_and_emphasis_get_govuk_classes() -> None:
    html = render("## Support\n### In class\nOne line\nand the next.\n\n- a\n- **b**\n\n1. first\n2. *second*")
    assert html == (
        '<h2 class="govuk-heading-m">Support</h2>\n<h3 class="govuk-heading-s">In class</h3>\n'
        '<p class="govuk-body">One line and the next.</p>\n'
        '<ul class="govuk-list govuk-list--bullet"><li>a</li><li><strong>b</strong></li></ul>\n'
        '<ol class="govuk-list govuk-list--number"><li>first</li><li><em>second</em></li></ol>'
    )


def test_links_to_the_web_mail_and_this_site_only() -> None:
    html = render("[Code](https://www.gov.uk/x?a=1&b=2) [mail](mailto:send@example.org) [here](/guidance/n/)")
    assert '<a class="govuk-link" href="https://www.gov.uk/x?a=1&amp;b=2">Code</a>' in html
    assert '<a class="govuk-link" href="mailto:send@example.org">mail</a>' in html
    assert '<a class="govuk-link" href="/guidance/n/">here</a>' in html
    for bad in ["javascript:alert(1)", "JavaScript:x", "data:text/html,x", "//evil.example", "/\\evil.example",
                "vbscript:x", "../up", "https://"]:  # fmt: skip
        out = render(f"[click]({bad})")
        assert "<a" not in out and "click" in out, bad
        assert not safe_url(bad)


def test_raw_html_is_shown_as_text() -> None:
    html = render('<script>alert("x")</script> <img src=x onerror=alert(1)> **<b>bold</b>**')
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html


def test_a_quote_in_a_link_cannot_open_an_attribute() -> None:
    html = render('[x](https://a.example/"onmouseover="alert(1))')
    assert "<a" not in html and "&quot;onmouseover=&quot;" in html
    assert all(not attrs for tag, attrs in _parsed(html).tags if tag != "p")


def test_emphasis_is_always_well_nested() -> None:
    assert render("**a *b** c*") == '<p class="govuk-body"><strong>a *b</strong> c*</p>'
    assert render("snake_case_name stays") == '<p class="govuk-body">snake_case_name stays</p>'


def test_plain_text_drops_the_markup() -> None:
    assert plain_text("## Title\n- **bold** and [a link](https://x.example)") == "Title bold and a link"


MARKUP_PIECES = st.sampled_from(
    ["## ", "### ", "- ", "* ", "1. ", "**", "*", "_", "[", "]", "(", ")", "](", "https://", "http://", "mailto:",
     "javascript:", "/", "//", "\\", "<", ">", '"', "'", "&", "=", "\n", "\n\n", " ", "#", "a", "script", "onerror",
     "&lt;", "<!--", "<![CDATA[", "\x00", "é"]
)  # fmt: skip
INPUTS = st.one_of(st.text(), st.lists(st.one_of(MARKUP_PIECES, st.text(max_size=3)), max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(INPUTS)
def test_no_input_produces_a_tag_or_attribute_outside_the_allowed_set(text: str) -> None:
    parsed = _parsed(render(text))
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_TAGS[tag], (tag, name)
            if name == "class":
                assert value is not None and set(value.split()) <= ALLOWED_CLASSES, value
            if name == "href":
                assert value is not None and safe_url(value), value
