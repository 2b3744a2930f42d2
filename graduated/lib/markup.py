"""A small Markdown subset for text an LA writes (its guidance), rendered to GOV.UK-styled HTML that
is safe by construction.

What it understands, line by line: ``## Heading`` and ``### Heading``; lines starting ``- `` or
``* `` (a bulleted list) or ``1. `` (a numbered list); blank lines between paragraphs. Within a
line: ``**bold**``, ``*italic*`` or ``_italic_``, and links ``[text](https://...)``.

Safe by construction: the text is escaped before anything is added to it, and the only markup in
the output is what this module writes (the tags and classes in ``ALLOWED_TAGS``), so no HTML a
writer types passes through. A link's address must be ``http://``, ``https://``, ``mailto:`` or a
path on this site (``/...``, not ``//...``); any other (``javascript:``, ``data:``, a relative
``../x``) is shown as the plain text that was typed. ``tests/test_markup.py`` checks with
Hypothesis that no input produces a tag or attribute outside the allowed set.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe

# The tags the renderer writes, each with the attributes it may carry.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "h2": frozenset({"class"}),
    "h3": frozenset({"class"}),
    "p": frozenset({"class"}),
    "ul": frozenset({"class"}),
    "ol": frozenset({"class"}),
    "li": frozenset(),
    "strong": frozenset(),
    "em": frozenset(),
    "a": frozenset({"class", "href"}),
}
ALLOWED_CLASSES = frozenset(
    {"govuk-heading-m", "govuk-heading-s", "govuk-body", "govuk-list", "govuk-list--bullet", "govuk-list--number",
     "govuk-link"}
)  # fmt: skip

_HEADING = re.compile(r"^(#{2,3})\s+(.*\S)\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*\S)\s*$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*\S)\s*$")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(([^()\s<>\"']+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*]+?)(?<=\S)\*(?![*\w])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![_\w])_(?=[^\s_])([^_]+?)(?<=\S)_(?![_\w])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(url: str) -> bool:
    """Whether a link may point at ``url``: http(s), mailto, or a path on this site."""
    if _CONTROL.search(url) or "\\" in url:
        return False
    lowered = url.lower()
    for scheme in ("https://", "http://", "mailto:"):
        if lowered.startswith(scheme):
            return len(url) > len(scheme)
    return url.startswith("/") and not url.startswith("//")


def _marked(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
    """Mark the runs of the first pattern, then (inside and between them) the next ones: each tag
    closes inside the run it opened in, so the output is always well nested."""
    if not patterns:
        return text
    (pattern, tag), rest = patterns[0], patterns[1:]
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(_marked(text[position : match.start()], rest))
        out.append(f"<{tag}>{_marked(match.group(1), rest)}</{tag}>")
        position = match.end()
    out.append(_marked(text[position:], rest))
    return "".join(out)


def _emphasis(text: str) -> str:
    """Escape ``text``, then mark its bold and italic runs (escaping leaves ``*`` and ``_`` alone)."""
    return _marked(html.escape(text, quote=True), [(_BOLD, "strong"), (_ITALIC_STAR, "em"), (_ITALIC_UNDERSCORE, "em")])


def _inline(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _LINK.finditer(text):
        out.append(_emphasis(text[position : match.start()]))
        label, url = match.group(1), match.group(2)
        if safe_url(url):
            out.append(f'<a class="govuk-link" href="{html.escape(url, quote=True)}">{_emphasis(label)}</a>')
        else:
            out.append(html.escape(match.group(0), quote=True))  # shown as typed, not as a link
        position = match.end()
    out.append(_emphasis(text[position:]))
    return "".join(out)


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """The text as (kind, lines) blocks: "h2", "h3", "p", "ul", "ol"."""
    blocks: list[tuple[str, list[str]]] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            blocks.append(("", []))
            continue
        if heading := _HEADING.match(line):
            blocks.append(("h2" if len(heading.group(1)) == 2 else "h3", [heading.group(2)]))
            continue
        kind, content = "p", line.strip()
        if bullet := _BULLET.match(line):
            kind, content = "ul", bullet.group(1)
        elif numbered := _NUMBERED.match(line):
            kind, content = "ol", numbered.group(1)
        if blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(content)
        else:
            blocks.append((kind, [content]))
    return [block for block in blocks if block[0]]


def render(text: str) -> SafeString:
    """``text`` in the subset, as HTML with GOV.UK classes."""
    parts: list[str] = []
    for kind, lines in _blocks(text):
        if kind == "h2":
            parts.append(f'<h2 class="govuk-heading-m">{_inline(lines[0])}</h2>')
        elif kind == "h3":
            parts.append(f'<h3 class="govuk-heading-s">{_inline(lines[0])}</h3>')
        elif kind == "p":
            parts.append(f'<p class="govuk-body">{_inline(" ".join(lines))}</p>')
        else:
            modifier = "bullet" if kind == "ul" else "number"
            items = "".join(f"<li>{_inline(line)}</li>" for line in lines)
            parts.append(f'<{kind} class="govuk-list govuk-list--{modifier}">{items}</{kind}>')
    return mark_safe("\n".join(parts))


def plain_text(text: str) -> str:
    """``text`` without its markup, one space between words: for search snippets."""
    words: list[str] = []
    for _, lines in _blocks(text):
        for line in lines:
            line = _LINK.sub(lambda m: m.group(1), line)
            words.append(re.sub(r"\*\*|(?<!\w)[*_]|[*_](?!\w)", "", line))
    return " ".join(" ".join(words).split())
