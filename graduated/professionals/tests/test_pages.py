"""The SENCO gives and revokes grants; the professional gives advice and uploads a report."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditEvent
from graduated.documents.models import Document
from graduated.documents.tests.files import PDF_BYTES, PNG_BYTES, upload
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import PASSWORD, World, complete_second_step
from graduated.professionals.models import ProfessionalAdvice, ProfessionalGrant
from graduated.professionals.tests.factories import date_fields, in_days, invitation, p1_grant

ClientFor = Callable[..., Client]
NEW_PASSWORD = "a long unguessable phrase for the therapist"


def _grants_url(world: World) -> str:
    return reverse("professionals:grants", args=[world.p1.pk])


def _invite(client: Client, world: World, **changes: Any) -> Any:
    return client.post(_grants_url(world), invitation(**changes))


def _link(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+?(/accounts/reset/\S+/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def test_an_invitation_makes_an_account_and_e_mails_a_link_that_sets_a_password(
    world: World, client_for: ClientFor
) -> None:
    senco = client_for(world.senco_a)
    before = AuditEvent.objects.count()
    response = _invite(senco, world, email="SLT.New@Example.org")
    assert response.status_code == 302
    user = User.objects.get(email="slt.new@example.org")
    assert not user.has_usable_password() and not user.memberships.exists()
    grant = ProfessionalGrant.objects.get(user=user)
    assert (grant.pupil, grant.setting, grant.invited_by) == (world.p1, world.setting_a, world.senco_a)
    assert (grant.can_read_plan, grant.can_advise, grant.can_upload_report) == (True, True, False)
    assert [(e.action, e.actor_role) for e in AuditEvent.objects.order_by("id")[before:]] == [
        ("create", "senco"),  # the account
        ("create", "senco"),  # the grant
    ]
    message = mail.outbox[-1]
    assert message.to == ["slt.new@example.org"] and "Priya One" in str(message.body)

    visitor = Client()
    landing = visitor.get(_link(message), follow=True)
    assert landing.status_code == 200 and "new_password1" in landing.content.decode()
    done = visitor.post(landing.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert visitor.login(username="slt.new@example.org", password=NEW_PASSWORD)
    complete_second_step(visitor, User.objects.get(email="slt.new@example.org"))  # sets up their app
    home = visitor.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == reverse("professionals:my_pupils")  # their only place
    rows = table_rows(home.content.decode(), "Pupils you have access to")
    assert rows[1][0] == "Priya One" and rows[1][1] == "Ash Primary School"


def test_an_existing_account_is_given_the_grant_without_a_new_account(world: World, client_for: ClientFor) -> None:
    accounts = User.objects.count()
    response = _invite(client_for(world.senco_a), world, email=world.professional_expired.email.upper())
    assert response.status_code == 302 and User.objects.count() == accounts
    assert ProfessionalGrant.objects.live().filter(user=world.professional_expired, pupil=world.p1).exists()
    body = str(mail.outbox[-1].body)
    assert "/accounts/reset/" not in body and "You already have an account" in body
    assert world.professional_expired.check_password(PASSWORD)  # untouched


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (date_fields("expires_on", in_days(-1)), "Access ends on must be today or in the future"),
        (date_fields("expires_on", in_days(400)), "Access ends on must be the same as or before"),
        ({"email": "not-an-address"}, "Enter an e-mail address in the correct format"),
        ({"scopes": []}, "Select at least one thing the professional may do"),
        ({"full_name": "   "}, "Enter the professional&#x27;s full name"),
        ({"email": "ep.p1@example.org"}, "already has access to Priya One"),  # a live grant already
        ({"email": "teacher.a@example.org"}, "works at Ash Primary School"),  # staff there
    ],
)
def test_bad_invitations_are_refused_with_a_message_and_change_nothing(
    world: World, client_for: ClientFor, changes: dict[str, Any], message: str
) -> None:
    counts = (User.objects.count(), ProfessionalGrant.objects.count(), len(mail.outbox))
    response = _invite(client_for(world.senco_a), world, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (User.objects.count(), ProfessionalGrant.objects.count(), len(mail.outbox)) == counts


def test_the_grants_page_lists_live_expired_and_revoked_grants_and_revoking_twice_is_harmless(
    world: World, client_for: ClientFor
) -> None:
    senco = client_for(world.senco_a)
    grant = p1_grant(world)
    revoke_url = reverse("professionals:revoke", args=[world.p1.pk, grant.pk])
    before = AuditEvent.objects.count()
    assert senco.post(revoke_url).status_code == 302
    assert senco.post(revoke_url).status_code == 302  # a double submit
    changes = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.changed_fields) for e in changes] == [("change", ["revoked_at"])]
    grant.refresh_from_db()
    assert grant.revoked_by == world.senco_a and grant.revoked_at is not None
    rows = table_rows(senco.get(_grants_url(world)).content.decode(), "Professionals' access")
    states = {row[0].split(" ")[0]: row[3] for row in rows[1:]}
    assert states["Esme"].startswith("Revoked") and states["Ed"] == "Expired"
    # Another setting's SENCO cannot revoke it, nor find it on a pupil of theirs.
    other = reverse("professionals:revoke", args=[world.p4.pk, grant.pk])
    assert client_for(world.senco_c).post(other).status_code == 404


def test_the_professionals_advice_is_stored_audited_and_shown_to_the_senco(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    url = reverse("professionals:advice", args=[world.p1.pk])
    empty = client.post(url, {**date_fields("given_on", timezone.localdate()), "advice": "  "})
    assert empty.status_code == 400 and "Enter your advice" in empty.content.decode()
    before = AuditEvent.objects.count()
    data = {
        "advice": "Chunk instructions.",
        "recommendations": "Visual checklist",
        **date_fields("given_on", in_days(0)),
    }
    assert client.post(url, data).status_code == 302
    advice = ProfessionalAdvice.objects.get()
    assert (advice.pupil, advice.grant, advice.written_by) == (world.p1, p1_grant(world), world.professional_p1)
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_role, e.pupil_id) for e in events] == [("create", "professional", world.p1.pk)]
    assert "Chunk instructions." in client.get(url).content.decode()  # their own advice, below the form
    senco_page = client_for(world.senco_a).get(_grants_url(world)).content.decode()
    assert "Chunk instructions." in senco_page and "Visual checklist" in senco_page


def test_a_report_is_checked_by_content_and_joins_the_pupils_documents(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    url = reverse("professionals:report", args=[world.p1.pk])
    form = {"title": "Educational psychology report", **date_fields("dated", in_days(0))}
    disguised = client.post(url, {**form, "file": upload("report.pdf", PNG_BYTES)})
    assert disguised.status_code == 400
    assert "The file is named .pdf but its content is a PNG image" in disguised.content.decode()
    text = client.post(url, {**form, "file": upload("report.pdf", b"just some text")})
    assert text.status_code == 400 and not Document.objects.exists()

    before = AuditEvent.objects.count()
    assert client.post(url, {**form, "file": upload("report.pdf", PDF_BYTES)}).status_code == 302
    document = Document.objects.get()
    assert (document.pupil, document.kind, document.uploaded_by) == (world.p1, "report", world.professional_p1)
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_role) for e in events] == [("create", "professional")]
    again = client.post(url, {**form, "file": upload("report.pdf", PDF_BYTES)})
    assert again.status_code == 400 and Document.objects.count() == 1
    # The SENCO finds it among the pupil's documents.
    assert (
        "Educational psychology report"
        in client_for(world.senco_a).get(reverse("documents:list", args=[world.p1.pk])).content.decode()
    )


def test_every_page_a_professional_opens_is_audited(world: World, client_for: ClientFor) -> None:
    client = client_for(world.professional_p1)
    before = AuditEvent.objects.count()
    client.get(reverse("professionals:my_pupils"))
    for name in ("professionals:pupil", "professionals:advice", "professionals:report"):
        client.get(reverse(name, args=[world.p1.pk]))
    events = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_role) for e in events] == [("view", "professional")] * 4
    assert [e.pupil_id for e in events][1:] == [world.p1.pk] * 3


def test_the_pupil_page_links_the_senco_to_professionals_access(world: World, client_for: ClientFor) -> None:
    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert _grants_url(world) in page
    teacher_page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert _grants_url(world) not in teacher_page
