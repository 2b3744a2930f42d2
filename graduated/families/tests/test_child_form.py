"""The child's own form: the SENCO makes a link (shown once), the pupil answers with smileys and a
few words without an account, and the answers appear in the review form. A new link stops the
old one; an old, wrong or finished link explains itself and changes nothing."""

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.models import ChildViewsForm, ViewsRequest
from graduated.families.tests.helpers import plan_for_p1
from graduated.lib.testing import World
from graduated.support.models import Cycle, CycleStatus


def make_link(client: Any, world: World) -> str:
    response = client.post(reverse("families:make_child_form", args=[world.p1.pk]))
    assert response.status_code == 200
    found = re.search(r'id="child-form-link"[^>]*>https?://[^/]+(/family/for-you/[^<]+/)<', response.content.decode())
    assert found is not None, "the page shows no link"
    return found.group(1)


def asked(world: World) -> Cycle:
    cycle = plan_for_p1(world, [])
    ViewsRequest.objects.create(cycle=cycle, requested_by=world.senco_a)
    return cycle


def test_the_pupil_answers_without_an_account_and_the_senco_sees_it_in_the_review(
    world: World, client_for: Any
) -> None:
    cycle = asked(world)
    outcome = cycle.outcomes.get()
    senco = client_for(world.senco_a)
    manage = senco.get(reverse("families:manage", args=[world.p1.pk])).content.decode()
    assert "Make a link for Priya's own form" in manage
    path = make_link(senco, world)
    stored = ChildViewsForm.objects.get()
    assert path.rstrip("/").rsplit("/", 1)[1] not in stored.token_digest  # only a digest is kept
    assert stored.expires_on == cycle.review_date

    pupil = Client()  # nobody signed in
    page = pupil.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "What do you think, Priya?" in text and "Read a short book on her own" in text
    assert "One" not in text.split("<main", 1)[1]  # the first name only, never the surname
    answered = pupil.post(path, {"feeling": "happy", f"outcome_{outcome.pk}": "ok", "hard": "Long words"})
    assert answered.status_code == 200 and "Thank you, Priya" in answered.content.decode()
    stored.refresh_from_db()
    assert (stored.feeling, stored.hard, stored.outcome_feelings) == ("happy", "Long words", {str(outcome.pk): "ok"})
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, object_type="families.childviewsform")
    assert (event.actor_id, event.actor_role, event.pupil_id) == (None, "pupil_form", world.p1.pk)
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, pupil_id=world.p1.pk, actor_role="pupil_form").exists()

    review = senco.get(reverse("support:review", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "Priya's own form" in review and "Feels happy about school" in review and "Long words" in review
    assert "Priya (own form): “OK”" in review


def test_an_empty_answer_is_a_clear_error_and_saves_nothing(world: World, client_for: Any) -> None:
    asked(world)
    path = make_link(client_for(world.senco_a), world)
    response = Client().post(path, {"hard": "   "})
    assert response.status_code == 400 and "Choose a face or write something" in response.content.decode()
    assert ChildViewsForm.objects.get().answered_at is None


def test_a_new_link_stops_the_old_one_and_old_or_wrong_links_explain_themselves(world: World, client_for: Any) -> None:
    cycle = asked(world)
    senco = client_for(world.senco_a)
    first = make_link(senco, world)
    second = make_link(senco, world)
    pupil = Client()
    gone = pupil.get(first)
    assert gone.status_code == 404 and "Ask your teacher for a new link" in gone.content.decode()
    assert pupil.get(second).status_code == 200
    assert pupil.get("/family/for-you/not-a-real-link-at-all-0123456789/").status_code == 404
    assert pupil.post(first, {"feeling": "happy"}).status_code == 404
    ChildViewsForm.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    assert pupil.get(second).status_code == 404
    ChildViewsForm.objects.update(expires_on=timezone.localdate() + timedelta(days=5))
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)  # the review has happened
    assert pupil.post(second, {"feeling": "happy"}).status_code == 404
    assert ChildViewsForm.objects.get().answered_at is None


def test_no_link_before_views_are_asked_for(world: World, client_for: Any) -> None:
    plan_for_p1(world, [])
    response = client_for(world.senco_a).post(reverse("families:make_child_form", args=[world.p1.pk]))
    assert response.status_code == 302 and not ChildViewsForm.objects.exists()
