"""Read a rendered HTML table back as rows of cell text, so tests check what a reader sees in a
table (which figure sits in which row and column) rather than that a string occurs somewhere."""

from html.parser import HTMLParser


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []  # (caption, rows)
        self._caption: list[str] | None = None
        self._cell: list[str] | None = None
        self._rows: list[list[str]] | None = None
        self._depth = 0  # nested tables are read as text of the outer cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append(("", []))
                self._rows = self.tables[-1][1]
        elif self._depth == 1 and tag == "caption":
            self._caption = []
        elif self._depth == 1 and tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif self._depth == 1 and tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
        elif self._depth == 1 and tag == "caption" and self._caption is not None:
            self.tables[-1] = (_squash(self._caption), self.tables[-1][1])
            self._caption = None
        elif self._depth == 1 and tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append(_squash(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def _squash(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def table_rows(html: str, caption_contains: str) -> list[list[str]]:
    """The rows (header row first) of the first table whose caption contains ``caption_contains``."""
    reader = _TableReader()
    reader.feed(html)
    for caption, rows in reader.tables:
        if caption_contains in caption:
            return rows
    raise AssertionError(f"No table captioned {caption_contains!r}; captions: {[c for c, _ in reader.tables]}")
