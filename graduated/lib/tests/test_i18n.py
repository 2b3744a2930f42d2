"""The product's words can be translated: a family's browser asking for Welsh, or the footer's
switch, gives the family pages in Welsh; English stays the default; the compiled catalogue is the
one the .po file says (a forgotten compilemessages fails here)."""

import gettext
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from graduated.families.tests.helpers import plan_for_p1
from graduated.lib.testing import World

LOCALE = Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES"


def parent(world: World, **headers: str) -> Client:
    client = Client(**headers)
    client.force_login(world.parent_p1)
    return client


def test_a_family_whose_browser_asks_for_welsh_reads_their_childs_page_in_welsh(world: World) -> None:
    plan_for_p1(world, [(1, "delivered"), (2, "delivered")])
    url = reverse("families:child", args=[world.p1.pk])
    welsh = parent(world, HTTP_ACCEPT_LANGUAGE="cy").get(url).content.decode()
    assert '<html lang="cy"' in welsh
    assert "Cymorth Priya" in welsh and "Beth rydyn ni’n gweithio tuag ato" in welsh
    assert "Hyd yma: <strong>2 sesiwn wedi’u rhoi</strong>" in welsh
    english = parent(world).get(url).content.decode()
    assert '<html lang="en-GB"' in english and "What we are working towards" in english
    # A browser that prefers another English keeps English.
    assert (
        "What we are working towards" in parent(world, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(url).content.decode()
    )


def test_the_footer_switch_works_without_javascript_and_keeps_the_page(world: World) -> None:
    client = parent(world)
    home = client.get(reverse("families:home") + "?x=1", follow=True)
    assert 'name="language" value="cy"' in home.content.decode()
    page = home.redirect_chain[-1][0] if home.redirect_chain else reverse("families:home")
    switched = client.post(reverse("set_language"), {"language": "cy", "next": page})
    assert switched.status_code == 302 and switched["Location"] == page
    assert "Cymorth Priya" in client.get(page).content.decode()
    back = client.post(reverse("set_language"), {"language": "en-gb", "next": page})
    assert back.status_code == 302
    assert "Priya's support" in client.get(page).content.decode()


def test_the_switch_is_there_before_signing_in_and_refuses_other_sites() -> None:
    visitor = Client()
    sign_in = visitor.get(reverse("accounts:login")).content.decode()
    assert 'lang="cy">Cymraeg</button>' in sign_in
    response = visitor.post(reverse("set_language"), {"language": "cy", "next": "https://elsewhere.example/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://elsewhere")


def _po_entries(text: str) -> dict[str, str]:
    """msgid -> msgstr (the first form, for plurals) of every translated entry of a .po file."""

    def unquote(block: str) -> str:
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
        return "".join(part.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\") for part in parts)

    found = {}
    for entry in text.split("\n\n")[1:]:
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', entry, re.M)
        if msgid and msgstr and unquote(msgstr.group(1)):
            found[unquote(msgid.group(1))] = unquote(msgstr.group(1))
    return found


def test_the_compiled_welsh_catalogue_matches_the_po_file() -> None:
    entries = _po_entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 100
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [msgid for msgid, msgstr in entries.items() if catalogue.gettext(msgid) != msgstr]
    assert not stale, f"run compilemessages: {stale[:3]}"
    with translation.override("cy"):
        assert translation.gettext("Your children") == "Eich plant"


def test_every_family_page_string_has_a_welsh_translation(settings: Any) -> None:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    untranslated = re.findall(r'^msgid "(.+)"\nmsgstr ""\n\n', text + "\n", re.M)
    assert not untranslated
