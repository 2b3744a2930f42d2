"""A family gives or refuses consent on the child's page: to a referral to a service and to the
school's request for an EHC needs assessment. A yes fills in the record's consent; a no is shown
to the SENCO and withdraws the same person's yes; from 16 the young person decides; nothing holds
up the school, and every answer is dated on the chronology and audited."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.accounts.models import User
from graduated.assessment_requests.models import PreparedRequest
from graduated.assessment_requests.tests import factories as request_factories
from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.models import FamilyConsent, FamilyLink, FamilyRole
from graduated.lib.testing import World
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil
from graduated.specialists.models import ConsentBy, Referral
from graduated.specialists.tests import factories as specialist_factories


def awaiting_consent(world: World) -> Referral:
    """A referral of P1 to speech and language therapy, written by the SENCO, waiting for consent."""
    return specialist_factories.referral(
        world.p1, to=specialist_factories.service(world.setting_a.local_authority, "Speech and Language Service"),
        reason="Priya finds it hard to say some sounds.", consent_by="not_yet", consent_on=None, referred_on=None,
    )  # fmt: skip


def answer(client: Client, pupil: Pupil, kind: str, pk: int, **data: str) -> Any:
    prefix = f"consent-{kind}-{pk}"
    return client.post(
        reverse("families:consent", args=[pupil.pk, kind, pk]), {f"{prefix}-{k}": v for k, v in data.items()}
    )


def child_page(client: Client, world: World) -> str:
    return client.get(reverse("families:child", args=[world.p1.pk])).content.decode()


def test_a_parent_agrees_to_a_referral_and_it_is_recorded_as_their_consent(world: World, client_for: Any) -> None:
    referral = awaiting_consent(world)
    parent = client_for(world.parent_p1)
    page = child_page(parent, world)
    assert "Asking Speech and Language Service for help" in page and "finds it hard to say some sounds" in page

    response = answer(parent, world.p1, "referral", referral.pk, given="yes", note="Thank you")
    assert response.status_code == 302
    referral.refresh_from_db()
    today = timezone.localdate()
    assert (referral.consent_by, referral.consent_on) == (ConsentBy.PARENT, today)
    assert referral.version == 2  # saved through optimistic locking, like the SENCO's edit
    entry = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.FAMILY_CONSENTED)
    assert entry.summary == "Mother gave consent to the referral to Speech and Language Service"
    assert entry.occurred_on == today
    assert AuditEvent.objects.filter(actor_id=world.parent_p1.pk, action=AuditAction.CHANGE,
                                     object_type="specialists.referral").exists()  # fmt: skip
    assert "you said <strong>yes, you agree</strong>" in child_page(parent, world)

    # The SENCO sees the answer on the referral, and can now make the referral.
    senco = client_for(world.senco_a)
    shown = senco.get(reverse("specialists:referral", args=[world.p1.pk, referral.pk])).content.decode()
    assert "agreed on" in shown and "Thank you" in shown


def test_a_no_is_recorded_and_withdraws_the_same_persons_yes_until_the_referral_is_made(
    world: World, client_for: Any
) -> None:
    referral = awaiting_consent(world)
    parent = client_for(world.parent_p1)
    answer(parent, world.p1, "referral", referral.pk, given="yes")
    response = answer(parent, world.p1, "referral", referral.pk, given="no", note="I want to talk first")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.consent_by, referral.consent_on) == (ConsentBy.NOT_YET, None)
    consent = FamilyConsent.objects.get(referral=referral)
    assert (consent.given, consent.note, consent.filled_in) == (False, "I want to talk first", False)
    kinds = ChronologyEntry.objects.filter(pupil=world.p1, kind=ChronologyKind.FAMILY_CONSENTED)
    assert [e.summary for e in kinds.order_by("recorded_at", "id")] == [
        "Mother gave consent to the referral to Speech and Language Service",
        "Mother refused consent to the referral to Speech and Language Service",
    ]

    # Once the school has made the referral, the answer can no longer be changed here.
    answer(parent, world.p1, "referral", referral.pk, given="yes")
    Referral.objects.filter(pk=referral.pk).update(referred_on=timezone.localdate())
    refused = answer(parent, world.p1, "referral", referral.pk, given="no")
    assert refused.status_code == 302
    referral.refresh_from_db()
    assert referral.consent_by == ConsentBy.PARENT
    assert "This has been sent" in child_page(parent, world)


def test_a_no_does_not_undo_consent_the_school_recorded_from_a_signed_form(world: World, client_for: Any) -> None:
    referral = awaiting_consent(world)
    signed_on = timezone.localdate() - timedelta(days=2)
    Referral.objects.filter(pk=referral.pk).update(consent_by=ConsentBy.PARENT, consent_on=signed_on)
    parent = client_for(world.parent_p1)
    assert "already recorded that someone agreed" in child_page(parent, world)
    answer(parent, world.p1, "referral", referral.pk, given="no", note="My husband signed it; I do not agree")
    referral.refresh_from_db()
    assert referral.consent_on == signed_on  # the SENCO sees the disagreement and talks to them
    senco_page = client_for(world.senco_a).get(reverse("specialists:referral", args=[world.p1.pk, referral.pk]))
    assert "did not agree" in senco_page.content.decode()


def test_no_answer_chosen_is_a_clear_error_and_changes_nothing(world: World, client_for: Any) -> None:
    referral = awaiting_consent(world)
    response = answer(client_for(world.parent_p1), world.p1, "referral", referral.pk, note="hmm")
    assert response.status_code == 400 and "Choose yes or no" in response.content.decode()
    assert not FamilyConsent.objects.exists()
    assert not ChronologyEntry.objects.filter(kind=ChronologyKind.FAMILY_CONSENTED).exists()


def test_another_childs_referral_or_an_unknown_kind_is_not_found(world: World, client_for: Any) -> None:
    other = specialist_factories.referral(world.p2, consent_by="not_yet", consent_on=None, referred_on=None)
    parent = client_for(world.parent_p1)
    assert answer(parent, world.p1, "referral", other.pk, given="yes").status_code == 404
    assert answer(parent, world.p2, "referral", other.pk, given="yes").status_code == 404
    assert answer(parent, world.p1, "everything", other.pk, given="yes").status_code == 404
    other.refresh_from_db()
    assert other.consent_by == ConsentBy.NOT_YET


@pytest.fixture
def sixteen(world: World) -> Pupil:
    """P1 is 16; the young person has their own account beside their mother's."""
    Pupil.objects.filter(pk=world.p1.pk).update(date_of_birth=date(timezone.localdate().year - 17, 1, 1))
    world.p1.refresh_from_db()
    young = User.objects.create_user(email="priya@example.org", full_name="Priya One", password="x" * 20)
    FamilyLink.objects.create(user=young, pupil=world.p1, setting=world.setting_a, role=FamilyRole.YOUNG_PERSON)
    world.young_p1 = young  # type: ignore[attr-defined]
    return world.p1


def test_from_sixteen_the_young_person_consents_for_themselves(world: World, client_for: Any, sixteen: Pupil) -> None:
    referral = awaiting_consent(world)
    mother = client_for(world.parent_p1)
    assert "is 16 or over and decides this for themselves" in child_page(mother, world)
    answer(mother, world.p1, "referral", referral.pk, given="yes")
    referral.refresh_from_db()
    assert referral.consent_by == ConsentBy.NOT_YET and not FamilyConsent.objects.exists()

    young = Client()
    young.force_login(world.young_p1)  # type: ignore[attr-defined]
    answer(young, world.p1, "referral", referral.pk, given="yes")
    referral.refresh_from_db()
    assert referral.consent_by == ConsentBy.YOUNG_PERSON
    assert ChronologyEntry.objects.get(kind=ChronologyKind.FAMILY_CONSENTED).summary.startswith("The young person")


def test_a_parent_agrees_to_the_request_for_an_ehc_needs_assessment(world: World, client_for: Any) -> None:
    prepared = request_factories.started(world.p1)
    parent = client_for(world.parent_p1)
    assert "A request for an Education, Health and Care needs assessment" in child_page(parent, world)
    response = answer(parent, world.p1, "ehc_request", prepared.pk, given="yes", share="on")
    assert response.status_code == 302
    prepared.refresh_from_db()
    assert (prepared.consent_by, prepared.consent_name, prepared.consent_on, prepared.consent_to_share) == (
        "parent",
        world.parent_p1.full_name,
        timezone.localdate(),
        True,
    )
    senco_page = client_for(world.senco_a).get(reverse("assessment_requests:page", args=[world.p1.pk]))
    assert "and to sharing with the professionals" in senco_page.content.decode()


def test_a_refusal_of_the_request_leaves_the_school_free_to_act(world: World, client_for: Any) -> None:
    prepared = request_factories.ready(world.p1, timezone.localdate())  # consent recorded from a signed form
    parent = client_for(world.parent_p1)
    answer(parent, world.p1, "ehc_request", prepared.pk, given="no", note="Not yet, please")
    prepared.refresh_from_db()
    assert prepared.consent_on is not None  # unchanged: the school decides what to do with a "no"
    assert PreparedRequest.objects.get(pk=prepared.pk).version == prepared.version
    page = client_for(world.senco_a).get(reverse("assessment_requests:page", args=[world.p1.pk])).content.decode()
    assert "did not agree" in page and "Not yet, please" in page
    assert "Check and send the request" in page
