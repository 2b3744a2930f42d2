"""The family's pages: their choice of e-mails (audited; bad input a 400 changing nothing; staff a
404), and the timeline of what changed on the child's page and on its own page."""

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.models import FamilyLink, FamilyRole
from graduated.family_notices.models import Frequency, NoticePreference
from graduated.lib.testing import World
from graduated.pupils.models import ChronologyEntry, ChronologyKind

PREFERENCES = reverse("family_notices:preferences")


def entries(world: World, kinds: list[str], start: date) -> None:
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(pupil=world.p1, kind=kind, occurred_on=start + timedelta(days=n), summary="Staff wording")
        for n, kind in enumerate(kinds)
    )


def test_the_choices_start_as_it_happens_in_full_and_are_saved_and_audited(world: World, client_for: Any) -> None:
    parent = client_for(world.parent_p1)
    page = parent.get(PREFERENCES, {"child": world.p1.pk}).content.decode()
    assert 'value="as_it_happens" checked' in page and 'name="short"' in page
    assert f'name="child" value="{world.p1.pk}"' in page
    response = parent.post(PREFERENCES, {"frequency": "weekly", "short": "on", "child": world.p1.pk})
    assert response.status_code == 302 and response["Location"] == reverse("families:child", args=[world.p1.pk])
    saved = NoticePreference.objects.get(user=world.parent_p1)
    assert (saved.frequency, saved.short) == (Frequency.WEEKLY, True)
    event = AuditEvent.objects.filter(action=AuditAction.CHANGE, actor_id=world.parent_p1.pk).get()
    assert sorted(event.changed_fields) == ["frequency", "short"] and event.actor_role == "family"
    # The same again changes nothing and audits nothing.
    assert parent.post(PREFERENCES, {"frequency": "weekly", "short": "on"}).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, actor_id=world.parent_p1.pk).count() == 1


def test_bad_input_is_a_400_with_a_message_and_changes_nothing(world: World, client_for: Any) -> None:
    parent = client_for(world.parent_p1)
    for data, message in [
        ({"frequency": "hourly"}, "Choose one of the answers: each time, once a week, or no e-mails"),
        ({}, "Choose how often we should e-mail you"),
        ({"frequency": "never", "child": world.p4.pk}, "That child is not one you can see, so nothing was changed"),
        ({"frequency": "never", "child": "abc"}, "That child is not one you can see, so nothing was changed"),
    ]:
        response = parent.post(PREFERENCES, data)
        assert response.status_code == 400 and message in response.content.decode()
    assert not NoticePreference.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE, actor_id=world.parent_p1.pk).exists()


def test_staff_and_those_whose_links_ended_get_404(world: World, client_for: Any) -> None:
    assert client_for(world.senco_a).get(PREFERENCES).status_code == 404
    assert client_for(world.senco_a).post(PREFERENCES, {"frequency": "never"}).status_code == 404
    FamilyLink.objects.filter(user=world.parent_p2).update(ended_at=timezone.now())
    assert client_for(world.parent_p2).get(PREFERENCES).status_code == 404
    assert client_for(world.senco_a).get(reverse("family_notices:timeline", args=[world.p1.pk])).status_code == 404


def test_the_child_page_shows_the_last_ten_changes_in_plain_words_and_links_to_the_rest(
    world: World, client_for: Any
) -> None:
    parent = client_for(world.parent_p1)
    child_url = reverse("families:child", args=[world.p1.pk])
    page = parent.get(child_url).content.decode()
    assert "Nothing has changed yet" in page and f"{PREFERENCES}?child={world.p1.pk}" in page
    entries(world, [ChronologyKind.CONCERN_RAISED, ChronologyKind.PLAN_AGREED], date(2026, 1, 5))
    entries(world, [ChronologyKind.PROFILE_UPDATED] * 10, date(2026, 2, 1))
    page = parent.get(child_url).content.decode()
    assert "<strong>10 February 2026</strong>: Priya&#x27;s one-page profile was updated." in page
    assert page.index("10 February 2026") < page.index("1 February 2026")  # newest first
    assert "new plan was agreed" not in page  # the eleventh, on the page of all of them
    assert "Staff wording" not in page and "concern" not in page.lower()
    all_url = reverse("family_notices:timeline", args=[world.p1.pk])
    assert all_url in page

    everything = parent.get(all_url)
    assert everything.status_code == 200
    text = everything.content.decode()
    assert "<strong>6 January 2026</strong>: Priya&#x27;s new plan was agreed." in text
    assert "concern" not in text.lower() and text.count("<li><strong>") == 11
    view = AuditEvent.objects.filter(action=AuditAction.VIEW, pupil_id=world.p1.pk, actor_id=world.parent_p1.pk)
    assert view.count() == 3  # each page a family member opens names the child


def test_the_timeline_costs_the_same_queries_whatever_its_length(world: World, client_for: Any) -> None:
    parent = client_for(world.parent_p1)
    url = reverse("families:child", args=[world.p1.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert parent.get(url).status_code == 200
        return len(captured.captured_queries)

    entries(world, [ChronologyKind.PLAN_AGREED], date(2026, 1, 5))
    parent.get(url)
    few = queries()
    entries(world, [ChronologyKind.REVIEW_RECORDED, ChronologyKind.MEETING_SHARED] * 20, date(2026, 2, 1))
    assert queries() == few


def test_a_young_person_reads_about_their_own_changes(world: World, client_for: Any) -> None:
    FamilyLink.objects.filter(user=world.parent_p1).update(role=FamilyRole.YOUNG_PERSON)
    entries(world, [ChronologyKind.MEETING_SHARED], date(2026, 3, 2))
    page = client_for(world.parent_p1).get(reverse("families:child", args=[world.p1.pk])).content.decode()
    assert "The notes of a meeting about you were shared with you." in page
