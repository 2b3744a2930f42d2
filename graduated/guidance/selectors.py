"""Reads of an LA's guidance, each in a fixed number of queries (an LA has a few dozen pages)."""

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from graduated.guidance.models import TOPIC_ORDER, Audience, GuidancePage, GuidanceSite, PageVersion, VersionStatus
from graduated.lib.markup import plain_text
from graduated.organisations.models import LocalAuthority

SNIPPET_CHARACTERS = 90  # either side of the first match


def site_for(local_authority: LocalAuthority | int) -> GuidanceSite | None:
    return GuidanceSite.objects.filter(local_authority=local_authority).first()


def public_site(slug: str) -> GuidanceSite | None:
    return GuidanceSite.objects.filter(slug=slug).select_related("local_authority").first()


def _order(version: PageVersion) -> tuple[int, str]:
    return TOPIC_ORDER.get(version.page.topic, len(TOPIC_ORDER)), version.title.lower()


def in_force(local_authority: LocalAuthority | int, on: date) -> list[PageVersion]:
    """Each page's version in force on ``on`` (the latest published whose date has come), in the
    index's order; pages with none are left out. One query."""
    published = (
        PageVersion.objects.filter(
            page__local_authority=local_authority, status=VersionStatus.PUBLISHED, effective_from__lte=on
        )
        .select_related("page")
        .order_by("page_id", "-effective_from", "-number")
    )
    current: dict[int, PageVersion] = {}
    for version in published:
        current.setdefault(version.page_id, version)
    return sorted(current.values(), key=_order)


def by_audience(versions: list[PageVersion]) -> list[tuple[str, list[PageVersion]]]:
    """(audience label, its pages) for each audience with pages, settings first."""
    groups = [(label, [v for v in versions if v.page.audience == value]) for value, label in Audience.choices]
    return [(label, pages) for label, pages in groups if pages]


def in_force_page(local_authority: LocalAuthority | int, slug: str, on: date) -> PageVersion | None:
    return (
        PageVersion.objects.filter(
            page__local_authority=local_authority, page__slug=slug, status=VersionStatus.PUBLISHED,
            effective_from__lte=on,
        )
        .select_related("page")
        .order_by("-effective_from", "-number")
        .first()
    )  # fmt: skip


@dataclass(frozen=True)
class SearchResult:
    version: PageVersion
    snippet: SafeString


def _snippet(version: PageVersion, query: str) -> SafeString:
    """The words around the first match in the body, the match marked; the body's opening if the
    match is only in the title."""
    text = plain_text(version.body)
    found = text.lower().find(query.lower())
    if found < 0:
        opening = text[: SNIPPET_CHARACTERS * 2]
        return SafeString(escape(opening + ("…" if len(text) > len(opening) else "")))
    start, end = max(0, found - SNIPPET_CHARACTERS), min(len(text), found + len(query) + SNIPPET_CHARACTERS)
    # Whole words at the edges.
    space = text.find(" ", start, found)
    if start > 0 and space >= 0:
        start = space + 1
    space = text.rfind(" ", found + len(query), end)
    if end < len(text) and space >= 0:
        end = space
    return format_html(
        "{}{}<mark>{}</mark>{}{}",
        "…" if start > 0 else "", text[start:found], text[found : found + len(query)], text[found + len(query) : end],
        "…" if end < len(text) else "",
    )  # fmt: skip


def normalise_query(query: str) -> str:
    return re.sub(r"\s+", " ", query).strip()


def search(local_authority: LocalAuthority | int, query: str, on: date) -> list[SearchResult]:
    """The pages in force on ``on`` whose title or body contains ``query`` (any case), titles first.
    Two queries: the versions in force, then the matches among them."""
    query = normalise_query(query)
    if not query:
        return []
    current = {version.pk: version for version in in_force(local_authority, on)}
    matching = set(
        PageVersion.objects.filter(pk__in=list(current))
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .values_list("pk", flat=True)
    )
    found = [version for pk, version in current.items() if pk in matching]
    found.sort(key=lambda v: (query.lower() not in v.title.lower(), *_order(v)))
    return [SearchResult(version, _snippet(version, query)) for version in found]


@dataclass(frozen=True)
class PageSummary:
    """A page as the LA's staff list it: the version in force, a coming one, the draft."""

    page: GuidancePage
    current: PageVersion | None
    coming: PageVersion | None
    draft: PageVersion | None

    @property
    def title(self) -> str:
        shown = self.current or self.coming or self.draft
        return shown.title if shown else self.page.slug


def pages_for_staff(local_authority: LocalAuthority | int, on: date) -> list[PageSummary]:
    """Every page of the LA with its versions' state (two queries)."""
    pages = list(GuidancePage.objects.filter(local_authority=local_authority))
    versions = PageVersion.objects.filter(page__in=pages).order_by("page_id", "-effective_from", "-number")
    by_page: dict[int, list[PageVersion]] = {}
    for version in versions.defer("body"):
        by_page.setdefault(version.page_id, []).append(version)
    summaries = []
    for page in pages:
        own = by_page.get(page.pk, [])
        published = [v for v in own if not v.is_draft]
        summaries.append(
            PageSummary(
                page=page,
                current=next((v for v in published if v.effective_from and v.effective_from <= on), None),
                coming=next((v for v in published if v.effective_from and v.effective_from > on), None),
                draft=next((v for v in own if v.is_draft), None),
            )
        )
    summaries.sort(key=lambda s: (TOPIC_ORDER.get(s.page.topic, len(TOPIC_ORDER)), s.title.lower()))
    return summaries


def page_of(local_authority: LocalAuthority | int, page_id: int) -> GuidancePage | None:
    return GuidancePage.objects.filter(local_authority=local_authority, pk=page_id).first()


def history(page: GuidancePage) -> list[PageVersion]:
    """Every version of the page, newest first, with who started and who published it (one query)."""
    return list(page.versions.select_related("created_by", "published_by").order_by("-number"))


def draft(page: GuidancePage) -> PageVersion | None:
    return page.versions.filter(status=VersionStatus.DRAFT).select_related("created_by").first()


def latest_published(page: GuidancePage) -> PageVersion | None:
    return page.versions.filter(status=VersionStatus.PUBLISHED).order_by("-effective_from", "-number").first()


def version(page: GuidancePage, number: int) -> PageVersion | None:
    return page.versions.filter(number=number).select_related("created_by", "published_by").first()
