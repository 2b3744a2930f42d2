"""A professional's reach to a pupil: live grants only, checked afresh on every request, with scopes."""

from collections.abc import Callable
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.professionals.models import ProfessionalGrant
from graduated.professionals.tests.factories import p1_grant
from graduated.profiles.models import ProfileContent
from graduated.profiles.services import save_profile
from graduated.pupils.models import Enrolment
from graduated.support import services as support_services
from graduated.support.tests.factories import ACTOR, agreed_cycle, outcome_data, provision_data

ClientFor = Callable[..., Client]
PROFESSIONAL_PAGES = ("professionals:pupil", "professionals:advice", "professionals:report")


def _statuses(client: Client, pupil_id: int) -> list[int]:
    return [client.get(reverse(name, args=[pupil_id])).status_code for name in PROFESSIONAL_PAGES]


def test_a_live_grant_opens_the_professionals_pages_and_nothing_else(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    assert _statuses(client, world.p1.pk) == [200, 200, 200]
    assert _statuses(client, world.p2.pk) == [404, 404, 404]  # same setting, no grant
    assert _statuses(client, world.p4.pk) == [404, 404, 404]
    assert client.get(reverse("professionals:pupil", args=[999999])).status_code == 404
    # The staff pages of the very pupil they may read stay closed: a grant gives no PupilPermission.
    for name in ("pupils:detail", "documents:list", "profiles:profile", "support:cycles"):
        assert client.get(reverse(name, args=[world.p1.pk])).status_code == 404, name


def test_revoking_ends_access_on_the_next_request_mid_session(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    assert _statuses(client, world.p1.pk) == [200, 200, 200]
    ProfessionalGrant.objects.filter(user=world.professional_p1).update(revoked_at=timezone.now())
    assert _statuses(client, world.p1.pk) == [404, 404, 404]  # same session, next request
    assert world.p1.display_name not in client.get(reverse("professionals:my_pupils")).content.decode()


def test_expiry_ends_access_on_the_next_request(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    grant = p1_grant(world)
    grant.expires_on = timezone.localdate()  # the last day is still included
    grant.save()
    assert _statuses(client, world.p1.pk) == [200, 200, 200]
    ProfessionalGrant.objects.filter(pk=grant.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert _statuses(client, world.p1.pk) == [404, 404, 404]


def test_an_expired_grant_is_404_everywhere_and_the_list_says_access_has_ended(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.professional_expired)
    assert _statuses(client, world.p1.pk) == [404, 404, 404]
    page = client.get(reverse("professionals:my_pupils")).content.decode()
    assert "You have no access to any pupil" in page and world.p1.display_name not in page


def test_the_pupil_leaving_the_setting_ends_its_grants(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    Enrolment.objects.filter(pupil=world.p1).update(end_date=timezone.localdate() - timedelta(days=1))
    assert _statuses(client, world.p1.pk) == [404, 404, 404]


def test_a_page_outside_the_grants_scope_is_403(world: World, client_for: ClientFor) -> None:
    """The professional knows the pupil (it is on their list), so a 403 hides nothing."""
    ProfessionalGrant.objects.filter(pk=p1_grant(world).pk).update(can_advise=False, can_upload_report=False)
    client = client_for(world.professional_p1)
    assert _statuses(client, world.p1.pk) == [200, 403, 403]
    posted = client.post(reverse("professionals:advice", args=[world.p1.pk]), {"advice": "x"})
    assert posted.status_code == 403 and not world.p1.professional_advice.exists()
    ProfessionalGrant.objects.filter(pk=p1_grant(world).pk).update(can_read_plan=False, can_advise=True)
    assert _statuses(client, world.p1.pk) == [403, 200, 403]
    page = client.get(reverse("professionals:my_pupils")).content.decode()
    assert "Contribute advice" in page and "Read the plan" not in page


def test_the_plan_shows_the_profile_outcomes_and_provision_and_writes_one_view_event(
    world: World, client_for: ClientFor
) -> None:
    agreed_cycle(world.p1)
    _profile(world, 1)
    client = client_for(world.professional_p1)
    before = AuditEvent.objects.count()
    page = client.get(reverse("professionals:pupil", args=[world.p1.pk])).content.decode()
    assert "Reads 10 common exception words" in page  # the outcome
    assert "Precision teaching of sight words" in page  # the provision
    assert "Loves drawing 1" in page  # the profile
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_role, e.pupil_id) for e in events] == [("view", "professional", world.p1.pk)]
    assert events[0].actor_email == world.professional_p1.email and events[0].setting_id == world.setting_a.pk


def _profile(world: World, number: int) -> None:
    content = ProfileContent(
        liked_and_admired=f"Loves drawing {number}", important_to_me="Her dog", how_to_support="Visual timetable"
    )
    save_profile(
        actor=ACTOR, pupil=world.p1, expected_version=number - 1, content=content, written_on=timezone.localdate()
    )


def test_the_plan_pages_query_count_does_not_grow_with_the_record(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    _profile(world, 1)
    client = client_for(world.professional_p1)
    url = reverse("professionals:pupil", args=[world.p1.pk])

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    small = measure()
    for n in range(2, 6):
        cycle.refresh_from_db()
        support_services.save_outcome(actor=ACTOR, cycle=cycle, data=outcome_data(n), expected_version=cycle.version)
        cycle.refresh_from_db()
        support_services.save_provision(actor=ACTOR, cycle=cycle, data=provision_data(), expected_version=cycle.version)
        _profile(world, n)
    assert measure() == small
