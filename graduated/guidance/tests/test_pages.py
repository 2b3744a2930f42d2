"""The guidance pages as the LA admin, an officer, a SENCO and an anonymous visitor meet them."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from graduated.guidance import services
from graduated.guidance.models import GuidancePage, PageVersion
from graduated.guidance.tests.factories import ACTOR, draft_page, published_page, site
from graduated.lib.testing import World

ClientFor = Callable[..., Client]


def _url(name: str, *args: Any) -> str:
    return reverse(f"guidance:{name}", args=args)


def test_the_admin_adds_a_page_saves_and_publishes_it(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    la = world.la_north.pk
    new = {"topic": "glossary", "audience": "settings", "title": "Glossary", "slug": "", "body": "**APDR**: a cycle."}
    response = client.post(_url("add_page", la), new)
    page = GuidancePage.objects.get(local_authority=world.la_north)
    assert response.status_code == 302 and response["Location"] == _url("draft", la, page.pk)
    assert page.slug == "glossary"
    draft = page.versions.get()
    form = {"title": "Glossary", "body": "## Words\n<script>x</script>", "change_note": "", "version": draft.version}
    assert client.post(_url("draft", la, page.pk), form).status_code == 302
    html = client.get(_url("draft", la, page.pk)).content.decode()
    assert '<h2 class="govuk-heading-m">Words</h2>' in html and "&lt;script&gt;x&lt;/script&gt;" in html  # preview
    draft.refresh_from_db()
    response = client.post(_url("publish", la, page.pk), {"effective_from_0": "1", "effective_from_1": "9",
                           "effective_from_2": "2025", "change_note": "First", "version": draft.version})  # fmt: skip
    assert response.status_code == 302
    html = client.get(_url("page", la, page.pk)).content.decode()
    assert "In force today: version 1, from 1 September 2025" in html and "by Ned Admin" in html


def test_a_stale_draft_save_is_refused_with_the_typing_kept(world: World, client_for: ClientFor) -> None:
    draft = draft_page(world.la_north, body="Original.")
    opened = draft.version
    services.save_draft(actor=ACTOR, version=draft, title="T", body="Saved by the other admin.", change_note="",
                        expected_version=opened)  # fmt: skip
    form = {"title": "T", "body": "My typing.", "change_note": "", "version": opened}
    response = client_for(world.la_admin_north).post(_url("draft", world.la_north.pk, draft.page_id), form)
    html = response.content.decode()
    assert response.status_code == 409 and "Someone else changed this draft" in html
    assert "My typing." in html and "Saved by the other admin." in html
    assert PageVersion.objects.get(pk=draft.pk).body == "Saved by the other admin."


def test_bad_input_gets_a_clear_message_and_changes_nothing(world: World, client_for: ClientFor) -> None:
    client = client_for(world.la_admin_north)
    la = world.la_north.pk
    draft = draft_page(world.la_north)
    url = _url("draft", la, draft.page_id)
    huge = {"title": "T", "body": "x" * 100_001, "change_note": "", "version": draft.version}
    response = client.post(url, huge)
    assert response.status_code == 400 and "The text must be 100,000 characters or fewer" in response.content.decode()
    response = client.post(url, {"title": "", "body": "b", "version": "nonsense"})
    assert response.status_code == 400 and "Enter the page&#x27;s title" in response.content.decode()
    bad_date = {"effective_from_0": "31", "effective_from_1": "2", "effective_from_2": "2026", "version": draft.version}
    response = client.post(_url("publish", la, draft.page_id), bad_date)
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    response = client.post(_url("add_page", la), {"topic": "made_up", "audience": "settings", "title": "T"})
    assert response.status_code == 400 and "Select what the page is about" in response.content.decode()
    response = client.post(_url("add_page", la), {"topic": "glossary", "audience": "settings", "title": "T",
                                                  "slug": "Not A Slug!"})  # fmt: skip
    assert response.status_code == 400 and "lower-case letters, numbers and hyphens" in response.content.decode()
    assert PageVersion.objects.get(pk=draft.pk).is_draft and GuidancePage.objects.count() == 1
    other = draft_page(world.la_south, slug="theirs")
    assert client.get(_url("draft", la, other.page_id)).status_code == 404  # another LA's page through this LA
    assert client.post(_url("site", la), {"slug": "la", "title": "T", "version": "0"}).status_code == 400


def test_an_officer_reads_the_draft_but_may_not_change_it(world: World, client_for: ClientFor) -> None:
    draft = draft_page(world.la_north, body="Draft words for officers.")
    client = client_for(world.officer_north)
    html = client.get(_url("version", world.la_north.pk, draft.page_id, 1)).content.decode()
    assert "Draft words for officers." in html and "not yet published" in html
    assert client.get(_url("draft", world.la_north.pk, draft.page_id)).status_code == 404


def test_the_public_reads_published_pages_without_signing_in(world: World) -> None:
    site(world.la_north)
    page = published_page(world.la_north, slug="sen-support", title="SEN support", body="Help in *class*.")
    published_page(world.la_north, slug="for-families", title="For families", topic="families_understanding",
                   audience="families")  # fmt: skip
    draft_page(world.la_north, slug="secret", title="Secret draft", body="Not yet.")
    published_page(world.la_north, date(2099, 1, 1), slug="later", title="Coming later")
    services.start_draft(actor=ACTOR, page=page.page)
    anonymous = Client()
    response = anonymous.get("/guidance/northshire/")
    html = response.content.decode()
    assert response.status_code == 200 and "Northshire SEND guidance" in html
    assert (
        html.index("For settings") < html.index("SEN support") < html.index("For parents") < html.index("For families")
    )
    assert "Secret draft" not in html and "Coming later" not in html
    assert "govuk-service-navigation__list" not in html  # no staff navigation
    html = anonymous.get("/guidance/northshire/sen-support/").content.decode()
    assert "Help in <em>class</em>." in html and "In force from 1 September 2025" in html
    assert "Ned Admin" not in html and "test" not in html.split("<main")[1].split("</main>")[0].lower()
    for missing in ["/guidance/northshire/secret/", "/guidance/northshire/later/", "/guidance/nowhere/",
                    "/guidance/nowhere/sen-support/", "/guidance/nowhere/search/?q=x"]:  # fmt: skip
        assert anonymous.get(missing).status_code == 404, missing


def test_signed_in_staff_see_the_public_page_without_their_navigation(world: World, client_for: ClientFor) -> None:
    site(world.la_north)
    published_page(world.la_north)
    html = client_for(world.senco_a).get("/guidance/northshire/").content.decode()
    assert "SEN support in schools" in html and "govuk-service-navigation__list" not in html


def test_public_search_finds_words_in_force_only(world: World) -> None:
    site(world.la_north)
    published_page(world.la_north, slug="funding", title="Funding", body="Ask for top-up funding early.")
    draft_page(world.la_north, slug="secret", title="Secret", body="Top-up plans in draft.")
    site(world.la_south, slug="southborough")
    published_page(world.la_south, slug="funding", title="Southborough money", body="Top-up in the south.")
    response = Client().get("/guidance/northshire/search/", {"q": "TOP-UP"})
    html = response.content.decode()
    assert response.status_code == 200 and "1 page found for “TOP-UP”" in html
    assert "Ask for <mark>top-up</mark> funding early." in html and "Secret" not in html and "south" not in html
    response = Client().get("/guidance/northshire/search/", {"q": "x" * 201})
    assert response.status_code == 400 and "Search for 200 characters or fewer" in response.content.decode()
    assert "No published page matches" in Client().get("/guidance/northshire/search/?q=zebra").content.decode()


def test_staff_find_the_guidance_from_their_la_and_setting(world: World, client_for: ClientFor) -> None:
    site(world.la_north)
    published_page(world.la_north)
    officer = client_for(world.officer_north)
    html = officer.get(_url("la_pages", world.la_north.pk)).content.decode()
    assert "SEN support in schools" in html and "/guidance/northshire/" in html and "Add a page" not in html
    assert f'href="{_url("la_pages", world.la_north.pk)}"' in html  # "Guidance" in the LA's navigation
    assert (
        "SEN support in schools" in officer.get(_url("la_search", world.la_north.pk), {"q": "support"}).content.decode()
    )
    senco = client_for(world.senco_a)
    assert (
        _url("setting", world.setting_a.pk)
        in senco.get(reverse("pupils:register", args=[world.setting_a.pk])).content.decode()
    )
    html = senco.get(_url("setting", world.setting_a.pk)).content.decode()
    assert "Northshire's guidance" in html and "/guidance/northshire/sen-support/" in html
