"""Pages of one long list among several on a page: each list (a section) has its own ``?<name>=``
page number, so paging one leaves the others where they were. The count stays that of the whole
list; the links are GOV.UK pagination (``lib/_section_pagination.html``), plain links that work
without JavaScript, each ending in the section's anchor so the reader lands back on that list.

(A page of hundreds of rows takes a couple of hundred milliseconds to draw: a section shows 50.)
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the ellipsis between far-apart numbers
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Section:
    """One page of a list: ``items`` to draw, ``count`` of the whole list, and the links to the others."""

    items: list[Any]
    count: int
    page: Page
    label: str  # names the navigation landmark: "Pages of {label}"
    links: list[PageLink]
    previous_url: str
    next_url: str

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Any:
        return iter(self.items)


def section(
    request: HttpRequest, items: Sequence[Any], *, param: str, label: str, anchor: str, size: int | None = None
) -> Section:
    """This request's page of ``items`` (``?param=``, out of range or not a number: the nearest page)."""
    page = Paginator(items, size or PAGE_SIZE).get_page(request.GET.get(param))

    def url(number: int) -> str:
        query = request.GET.copy()
        if number == 1:
            query.pop(param, None)
        else:
            query[param] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}#{anchor}" if encoded else f"{request.path}#{anchor}"

    links: list[PageLink] = []
    last = page.paginator.num_pages
    if last > 1:
        for number in page.paginator.page_range:
            if number in (1, last) or abs(number - page.number) <= 2:
                links.append(PageLink(number, url(number), number == page.number))
            elif number in (2, last - 1):
                links.append(PageLink(None))
    return Section(
        items=list(page.object_list),
        count=page.paginator.count,
        page=page,
        label=label,
        links=links,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
    )
