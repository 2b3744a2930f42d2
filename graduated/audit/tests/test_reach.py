"""Audit by construction (graduated.audit.reach): a page that opens a pupil through an access lookup
writes one VIEW event for them, unless it wrote its own; a redirect or a refusal writes none."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc.tests import factories
from graduated.lib.testing import World

ClientFor = Callable[..., Client]


def _events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since).order_by("pk"))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_a_page_without_its_own_audit_call_gets_one_view_event_named_after_it(
    world: World, client_for: ClientFor
) -> None:
    # The EHC action forms write no event themselves: the case lookup notes the pupil.
    case = factories.received(world.p1)
    since = _last()

    response = client_for(world.officer_north).get(
        reverse("ehc:decide_assessment", args=[case.local_authority_id, case.pk])
    )

    assert response.status_code == 200
    [event] = _events(since)
    assert (event.action, event.pupil_id, event.actor_id) == (AuditAction.VIEW, world.p1.pk, world.officer_north.pk)
    assert (event.object_type, event.object_id) == ("ehc: decide assessment", str(case.pk))
    assert (event.actor_role, event.local_authority_id) == ("la_officer", world.la_north.pk)


def test_a_page_that_names_what_it_showed_writes_only_its_own_event(world: World, client_for: ClientFor) -> None:
    since = _last()

    response = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk]))

    assert response.status_code == 200
    [event] = _events(since)
    assert (event.action, event.pupil_id, event.object_type) == (AuditAction.VIEW, world.p1.pk, "pupil record")
    assert (event.actor_role, event.setting_id) == ("senco", world.setting_a.pk)


def test_a_refusal_or_a_redirect_writes_no_view_event(world: World, client_for: ClientFor) -> None:
    since = _last()
    teacher = client_for(world.teacher_a)

    assert teacher.get(reverse("pupils:chronology", args=[world.p1.pk])).status_code == 403
    assert client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p4.pk])).status_code == 404

    assert not [e for e in _events(since) if e.pupil_id is not None]


def test_a_change_that_redirects_writes_its_change_and_no_view(world: World, client_for: ClientFor) -> None:
    case = factories.assessing(world.p1)
    since = _last()
    url = reverse("ehc:request_advice", args=[case.local_authority_id, case.pk])
    today = timezone.localdate()

    response = client_for(world.officer_north).post(
        url, {"adviser_kind": "ep", "adviser": "Northshire EPS", "asked_on_0": today.day, "asked_on_1": today.month,
              "asked_on_2": today.year},
    )  # fmt: skip

    assert response.status_code == 302
    actions = [e.action for e in _events(since) if e.pupil_id == world.p1.pk]
    assert actions == [AuditAction.CREATE]
