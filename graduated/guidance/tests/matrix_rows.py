"""The guidance's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The LA's officers and admins read its pages, drafts included; only its admins change them
(MANAGE_GUIDANCE). A setting's SENCO and senior leaders find their LA's guidance from the setting.
The public pages are open to everyone, signed in or not, for every LA's site.
"""

from typing import Any

from graduated.guidance import services
from graduated.guidance.models import PageVersion
from graduated.guidance.tests.factories import ACTOR, published_page, site
from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import EVERYONE, Row, personas

LA_READERS = personas("officer_north", "la_admin_north")
LA_ADMIN = personas("la_admin_north")
FOREIGN_OFFICER = personas("officer_south")
LEADERS_A = personas("senco_a", "head_a")


def _la(world: World, side: str) -> Any:
    return world.la_north if side == "own" else world.la_south


def _site(world: World, side: str) -> list[Any]:
    made = site(_la(world, side), slug=f"guidance-{side}", title=f"Guidance ({side})")
    published_page(_la(world, side))
    return [made.slug]


def _public_page(world: World, side: str) -> list[Any]:
    made = site(_la(world, side), slug=f"guidance-{side}", title=f"Guidance ({side})")
    version = published_page(_la(world, side))
    return [made.slug, version.page.slug]


def _page(world: World, side: str) -> list[Any]:
    """A page with a published version and a draft of the next."""
    version = published_page(_la(world, side))
    services.start_draft(actor=ACTOR, page=version.page)
    return [version.page.local_authority_id, version.page_id]


def _version(world: World, side: str) -> list[Any]:
    version = published_page(_la(world, side))
    return [version.page.local_authority_id, version.page_id, version.number]


def _draft_version(args: list[Any]) -> int:
    return PageVersion.objects.get(page_id=args[1], status="draft").version


def _site_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"slug": f"matrix-{side}", "title": "SEND guidance", "intro": "", "version": "0"}


def _new_page(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"topic": "glossary", "audience": "settings", "title": "Glossary", "slug": "", "body": "Words."}


def _draft_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"title": "SEN support", "body": "Changed.", "change_note": "", "version": _draft_version(args)}


def _publish(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"effective_from_0": "1", "effective_from_1": "9", "effective_from_2": "2026", "change_note": "First",
            "version": _draft_version(args)}  # fmt: skip


TARGETS = {
    "guidance_site": _site, "guidance_public_page": _public_page, "guidance_page": _page,
    "guidance_version": _version,
}  # fmt: skip

ROWS = [
    Row("guidance:la_pages", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("guidance:la_search", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("guidance:site", "GET", "la", own=LA_ADMIN),
    Row("guidance:site", "POST", "la", own=LA_ADMIN, data=_site_form),
    Row("guidance:add_page", "GET", "la", own=LA_ADMIN),
    Row("guidance:add_page", "POST", "la", own=LA_ADMIN, data=_new_page),
    Row("guidance:page", "GET", "guidance_page", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("guidance:version", "GET", "guidance_version", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("guidance:start_draft", "POST", "guidance_page", own=LA_ADMIN),
    Row("guidance:draft", "GET", "guidance_page", own=LA_ADMIN),
    Row("guidance:draft", "POST", "guidance_page", own=LA_ADMIN, data=_draft_form),
    Row("guidance:publish", "POST", "guidance_page", own=LA_ADMIN, data=_publish),
    Row("guidance:setting", "GET", "setting", own=LEADERS_A, foreign=personas("senco_c")),
    Row("guidance:public_index", "GET", "guidance_site", own=EVERYONE, foreign=EVERYONE, public=True),
    Row("guidance:public_search", "GET", "guidance_site", own=EVERYONE, foreign=EVERYONE, public=True),
    Row("guidance:public_page", "GET", "guidance_public_page", own=EVERYONE, foreign=EVERYONE, public=True),
]
