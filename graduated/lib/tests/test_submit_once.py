"""A form sent twice saves once (graduated/lib/submit_once.py), shown on the early years funding
award form, whose rows have no natural key that could refuse a second copy."""

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import graduated
from graduated.audit.models import AuditEvent
from graduated.funding.models import FundingAward
from graduated.lib import submit_once
from graduated.lib.models import SubmissionClaim
from graduated.lib.testing import PASSWORD, World

ClientFor = Callable[..., Client]

AWARD = {
    "kind": "sen_inclusion_fund", "amount": "1200", "period_from_0": "1", "period_from_1": "9",
    "period_from_2": "2024", "period_to_0": "19", "period_to_1": "12", "period_to_2": "2024",
    "awarded_on_0": "20", "awarded_on_1": "9", "awarded_on_2": "2024", "note": "",
}  # fmt: skip
_TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')


def _award_url(world: World) -> str:
    return reverse("funding:new_award", args=[world.p1.pk])


def _token_on(page: str) -> str:
    """The token of the page's own form (the header's sign-out and the footer's language forms have one too)."""
    tokens = _TOKEN.findall(page.split("<main", 1)[-1].split("</main>", 1)[0])
    assert len(tokens) == 1, tokens
    return tokens[0]


def _form_token(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _token_on(response.content.decode())


def test_an_award_sent_twice_is_saved_once_and_the_second_answer_says_so(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = _award_url(world)
    data = {**AWARD, "form_token": _form_token(client, url)}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("funding:pupil", args=[world.p1.pk])
    assert FundingAward.objects.filter(pupil=world.p1).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "This form had already been sent; nothing was saved twice." in page
    # The table holds a digest, never the token itself.
    claim = SubmissionClaim.objects.get()
    assert claim.location == first["Location"] and data["form_token"] not in claim.digest


def test_a_second_copy_while_the_first_is_being_saved_gets_409_and_writes_nothing(
    world: World, client_for: ClientFor, settings: Any
) -> None:
    settings.SUBMIT_ONCE_WAIT_SECONDS = 0
    client = client_for(world.senco_a)
    url = _award_url(world)
    token = _form_token(client, url)
    # The first request has claimed the token and not answered yet.
    SubmissionClaim.objects.create(digest=submit_once._digest(token, world.senco_a.pk))
    events = AuditEvent.objects.count()
    response = client.post(url, {**AWARD, "form_token": token})
    assert response.status_code == 409
    page = response.content.decode()
    assert "This form is still being sent" in page and "it will not be saved twice" in page
    assert not FundingAward.objects.exists() and AuditEvent.objects.count() == events
    assert SubmissionClaim.objects.get().location == ""  # still the first request's


def test_a_second_copy_waits_for_the_first_answer(
    world: World, client_for: ClientFor, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SUBMIT_ONCE_WAIT_SECONDS = 5
    client = client_for(world.senco_a)
    url = _award_url(world)
    token = _form_token(client, url)
    claim = SubmissionClaim.objects.create(digest=submit_once._digest(token, world.senco_a.pk))
    done = reverse("funding:pupil", args=[world.p1.pk])
    # The first request answers while the second waits.
    monkeypatch.setattr(
        submit_once, "_pause", lambda: SubmissionClaim.objects.filter(pk=claim.pk).update(location=done)
    )
    response = client.post(url, {**AWARD, "form_token": token})
    assert response.status_code == 302 and response["Location"] == done
    assert not FundingAward.objects.exists()


def test_a_copy_whose_first_was_sent_back_is_saved(
    world: World, client_for: ClientFor, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SUBMIT_ONCE_WAIT_SECONDS = 5
    client = client_for(world.senco_a)
    url = _award_url(world)
    token = _form_token(client, url)
    SubmissionClaim.objects.create(digest=submit_once._digest(token, world.senco_a.pk))
    # The first request was refused (bad input, say) while the second waited: it saved nothing.
    monkeypatch.setattr(submit_once, "_pause", lambda: SubmissionClaim.objects.all().delete())
    assert client.post(url, {**AWARD, "form_token": token}).status_code == 302
    assert FundingAward.objects.count() == 1


def test_of_many_copies_arriving_together_exactly_one_claims_the_token(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the test database here is one in-memory connection")
    digest = submit_once._digest("t" * 43, 1)
    start = threading.Barrier(8)

    def attempt(_: int) -> bool:
        start.wait()
        try:
            return submit_once._claimed(digest)
        finally:
            connection.close()  # each thread has a connection of its own

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(8)))
    assert results.count(True) == 1 and SubmissionClaim.objects.count() == 1


def test_a_post_without_a_token_still_works(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    assert client.post(_award_url(world), AWARD).status_code == 302
    assert FundingAward.objects.count() == 1 and not SubmissionClaim.objects.exists()


def test_a_token_not_made_here_is_ignored(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    assert client.post(_award_url(world), {**AWARD, "form_token": "x" * 500}).status_code == 302
    assert FundingAward.objects.count() == 1 and not SubmissionClaim.objects.exists()


def test_a_form_sent_back_with_errors_has_a_new_token_and_can_be_corrected(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = _award_url(world)
    token = _form_token(client, url)
    refused = client.post(url, {**AWARD, "amount": "lots", "form_token": token})
    assert refused.status_code == 400 and "must be an amount in pounds" in refused.content.decode()
    fresh = _token_on(refused.content.decode())
    assert fresh != token
    assert not SubmissionClaim.objects.exists()  # released: nothing was saved
    assert client.post(url, {**AWARD, "form_token": fresh}).status_code == 302
    # The old page, sent again from the browser's history, is a second copy of the same award.
    assert client.post(url, {**AWARD, "form_token": token}).status_code == 302
    assert FundingAward.objects.count() == 2


def test_tokens_are_per_person(world: World, client_for: ClientFor) -> None:
    url = _award_url(world)
    token = _form_token(client_for(world.senco_a), url)
    assert client_for(world.senco_a).post(url, {**AWARD, "form_token": token}).status_code == 302
    # Someone else holding the same string neither reads the first answer nor is refused by it.
    other = Client()
    other.force_login(world.head_a)
    assert other.post(url, {**AWARD, "form_token": token}).status_code == 302
    assert FundingAward.objects.count() == 2


def test_the_sign_in_pages_spend_no_token(world: World) -> None:
    client = Client()
    token = _form_token(client, reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"), {"username": world.senco_a.email, "password": PASSWORD, "form_token": token}
    )
    assert response.status_code == 302 and not SubmissionClaim.objects.exists()


def test_the_tag_draws_the_csrf_input_and_a_new_token_each_time() -> None:
    template = Template("{% form_token %}")
    first, second = (template.render(Context({"csrf_token": "abc"})) for _ in range(2))
    assert first.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="abc">')
    assert _token_on(first) != _token_on(second)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", _token_on(first))


def test_purge_expired_forgets_tokens_spent_more_than_a_day_ago(db: None) -> None:
    now = timezone.now()
    old = SubmissionClaim.objects.create(digest="a" * 64, claimed_at=now - timedelta(days=1, minutes=1))
    recent = SubmissionClaim.objects.create(digest="b" * 64, claimed_at=now - timedelta(hours=23))
    out = StringIO()
    call_command("purge_expired", dry_run=True, stdout=out)
    assert "1 spent form tokens would be removed" in out.getvalue() and SubmissionClaim.objects.count() == 2
    call_command("purge_expired", stdout=out)
    assert "1 spent form tokens removed" in out.getvalue()
    assert list(SubmissionClaim.objects.all()) == [recent] and not SubmissionClaim.objects.filter(pk=old.pk).exists()


# -- Every form carries the token --------------------------------------------------------------------

_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)


def _templates() -> list[Path]:
    root = Path(graduated.__file__).parent
    return sorted(path for path in root.rglob("templates/**/*.html"))


def test_every_post_form_in_every_template_carries_the_token() -> None:
    """A new page cannot forget it: a POST form without ``{% form_token %}`` fails here."""
    forms, missing = 0, []
    for path in _templates():
        text = path.read_text()
        assert "{% csrf_token %}" not in text, f"{path}: use {{% form_token %}} instead of {{% csrf_token %}}"
        for match in _FORM.finditer(text):
            if not _POST.search(match.group(0)):
                continue
            forms += 1
            end = text.find("</form>", match.end())
            body = text[match.end() : end if end != -1 else len(text)]
            if "{% form_token %}" not in body:
                line = text.count("\n", 0, match.start()) + 1
                missing.append(f"{path}:{line}")
    assert forms > 50  # the scan found the forms
    assert missing == [], "POST forms without {% form_token %}: " + ", ".join(missing)
