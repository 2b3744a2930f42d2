"""The guidance's versions: drafts, publishing, the version in force by date, stale edits, refusals."""

from datetime import date

import pytest

from graduated.audit.models import AuditEvent
from graduated.guidance import selectors, services
from graduated.guidance.models import MAX_BODY_CHARACTERS, PageVersion
from graduated.guidance.tests.factories import ACTOR, draft_page, publish, published_page, site
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError


def test_the_version_in_force_is_the_latest_published_whose_date_has_come(world: World) -> None:
    first = published_page(world.la_north, date(2025, 9, 1), body="First words.")
    second, made = services.start_draft(actor=ACTOR, page=first.page)
    assert made and second.number == 2 and second.body == "First words."  # copied from the latest
    second = services.save_draft(actor=ACTOR, version=second, title="SEN support", body="Second words.",
                                 change_note="Rewritten", expected_version=second.version)  # fmt: skip
    publish(second, date(2026, 1, 5))
    [before] = selectors.in_force(world.la_north, date(2025, 12, 31))
    [after] = selectors.in_force(world.la_north, date(2026, 1, 5))
    assert (before.number, before.body, after.number, after.body) == (1, "First words.", 2, "Second words.")
    assert selectors.in_force(world.la_north, date(2025, 8, 31)) == []
    first.refresh_from_db()
    assert first.body == "First words." and not first.is_draft  # the published version is kept as it was


def test_one_draft_per_page_and_publishing_records_who_and_when(world: World) -> None:
    draft = draft_page(world.la_north)
    again, made = services.start_draft(actor=ACTOR, page=draft.page)
    assert (again.pk, made) == (draft.pk, False)
    done = publish(draft)
    assert done.published_at is not None and done.effective_from == date(2025, 9, 1)
    assert done.published_by == ACTOR.user  # the system actor: no one
    assert AuditEvent.objects.filter(object_type="guidance.pageversion", object_id=str(done.pk)).count() == 1


def test_a_published_version_cannot_be_changed_or_published_again(world: World) -> None:
    done = published_page(world.la_north)
    with pytest.raises(services.GuidanceError, match="has been published"):
        services.save_draft(actor=ACTOR, version=done, title="x", body="y", change_note="",
                            expected_version=done.version)  # fmt: skip
    with pytest.raises(services.GuidanceError, match="has been published"):
        publish(done)


def test_a_stale_save_is_refused_and_changes_nothing(world: World) -> None:
    draft = draft_page(world.la_north, body="Original.")
    opened = draft.version
    services.save_draft(actor=ACTOR, version=draft, title="T", body="First admin.", change_note="",
                        expected_version=opened)  # fmt: skip
    stale = PageVersion.objects.get(pk=draft.pk)
    with pytest.raises(StaleEditError) as error:
        services.save_draft(actor=ACTOR, version=stale, title="T", body="Second admin.", change_note="",
                            expected_version=opened)  # fmt: skip
    assert "Someone else changed this draft" in error.value.message
    assert PageVersion.objects.get(pk=draft.pk).body == "First admin."


def test_a_date_before_the_previous_versions_is_refused(world: World) -> None:
    first = published_page(world.la_north, date(2026, 1, 5))
    second, _ = services.start_draft(actor=ACTOR, page=first.page)
    with pytest.raises(services.GuidanceError, match="on or after 5 January 2026"):
        publish(second, date(2025, 12, 1))
    assert PageVersion.objects.get(pk=second.pk).is_draft


def test_refusals_oversized_text_taken_addresses(world: World) -> None:
    with pytest.raises(services.GuidanceError, match="100,000 characters or fewer"):
        draft_page(world.la_north, body="x" * (MAX_BODY_CHARACTERS + 1))
    draft_page(world.la_north, slug="glossary")
    with pytest.raises(services.GuidanceError, match="already has the web address"):
        draft_page(world.la_north, slug="glossary")
    draft_page(world.la_south, slug="glossary")  # another LA may use the same page address
    with pytest.raises(services.GuidanceError, match="kept for the search page"):
        draft_page(world.la_north, slug="search")
    site(world.la_north, slug="northshire")
    with pytest.raises(services.GuidanceError, match="already used by another local authority"):
        site(world.la_south, slug="northshire")
    with pytest.raises(services.GuidanceError, match="kept for the service's own pages"):
        site(world.la_south, slug="la")


def test_the_site_is_edited_with_a_version(world: World) -> None:
    made = site(world.la_north)
    changed = services.save_site(actor=ACTOR, local_authority=world.la_north, slug="north", title="New",
                                 intro="Hello", expected_version=made.version)  # fmt: skip
    assert (changed.slug, changed.version) == ("north", made.version + 1)
    with pytest.raises(StaleEditError):
        services.save_site(actor=ACTOR, local_authority=world.la_north, slug="n2", title="Old", intro="",
                           expected_version=made.version)  # fmt: skip
    with pytest.raises(StaleEditError):  # "none yet" when one was made meanwhile
        services.save_site(actor=ACTOR, local_authority=world.la_north, slug="n3", title="x", intro="",
                           expected_version=0)  # fmt: skip


def test_search_finds_pages_in_force_by_title_or_body_in_any_case(world: World) -> None:
    published_page(world.la_north, slug="funding", title="Funding", body="Top-up from the High Needs block.")
    published_page(world.la_north, slug="glossary", title="Glossary", body="APDR: assess, plan, do, review.")
    published_page(world.la_north, date(2099, 1, 1), slug="future", title="Future funding", body="Later.")
    draft_page(world.la_north, slug="draft", title="Draft funding", body="Secret funding plans.")
    published_page(world.la_south, slug="funding", title="Southborough funding", body="Theirs.")
    results = selectors.search(world.la_north, "  FUNDING ", date(2026, 3, 1))
    assert [r.version.title for r in results] == ["Funding"]
    [body_match] = selectors.search(world.la_north, "high needs", date(2026, 3, 1))
    assert body_match.snippet == "Top-up from the <mark>High Needs</mark> block."
    assert selectors.search(world.la_north, "", date(2026, 3, 1)) == []
