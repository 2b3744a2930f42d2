"""Families: the SENCO gives a parent access from the pupil's contacts, the parent signs in (no
second factor asked unless they set one up) and sees their own child's plan and what was given;
nothing else is reached, and access ends with the link, the enrolment or parental responsibility."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.accounts.models import User
from graduated.audit.models import AuditAction, AuditEvent
from graduated.families.models import FamilyLink, FamilyRole
from graduated.families.tests.helpers import mother_of_p1, plan_for_p1
from graduated.lib.testing import PASSWORD, World, make_pupil
from graduated.meetings.models import Meeting, MeetingAction
from graduated.pupils.models import Contact, Enrolment
from graduated.support.models import Cycle, CycleStatus, DeliveryRecord, Outcome, Provision

NEW_PASSWORD = "a long family passphrase 42"


@pytest.fixture
def contact(world: World) -> Contact:
    return mother_of_p1(world)


def manage_url(world: World) -> str:
    return reverse("families:manage", args=[world.p1.pk])


def invite(client: Client, world: World, who: str, **extra: str) -> Any:
    return client.post(manage_url(world), {"who": who, **extra})


def test_the_senco_invites_a_parent_who_sets_a_password_and_signs_in_without_a_second_step(
    world: World, client_for: Any, contact: Contact, django_capture_on_commit_callbacks: Any
) -> None:
    senco = client_for(world.senco_a)
    page = senco.get(manage_url(world)).content.decode()
    assert "Rosa One (Mother), rosa.one@example.com" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(senco, world, str(contact.pk))
    assert response.status_code == 302
    link = FamilyLink.objects.get(contact=contact)
    assert (link.role, link.setting, link.linked_by) == (FamilyRole.PARENT, world.setting_a, world.senco_a)
    account = link.user
    assert account.email == "rosa.one@example.com" and not account.has_usable_password()
    [sent] = mail.outbox
    assert sent.to == ["rosa.one@example.com"] and "Priya's SEN support" in sent.subject
    set_password = re.search(r"https?://\S+/accounts/reset/\S+", sent.body)
    assert set_password is not None

    parent = Client()
    form_page = parent.get(set_password.group(0).replace("http://testserver", ""), follow=True)
    assert form_page.status_code == 200
    weak = parent.post(form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400 and "at least 12 characters" in weak.content.decode()
    done = parent.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    signed_in = parent.post(
        reverse("accounts:login"), {"username": account.email, "password": NEW_PASSWORD}, follow=True
    )
    # No second step for a family account without one: straight to the only child.
    assert signed_in.redirect_chain[-1][0] == reverse("families:child", args=[world.p1.pk])
    assert "Priya's support" in signed_in.content.decode()


def test_a_parent_sees_the_plan_what_was_given_and_shared_meetings_only(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    cycle = plan_for_p1(world, [(1, "delivered"), (2, "delivered"), (3, "missed"), (8, "delivered")])
    shared = Meeting.objects.create(
        pupil=world.p1,
        kind="parent",
        held_on=today - timedelta(days=10),
        discussed="Agreed the reading plan together.",
        shared_with_parents_on=today,
    )
    MeetingAction.objects.create(
        meeting=shared, description="Read at home every night", owner_name="Mum", due_on=today + timedelta(days=7)
    )
    Meeting.objects.create(
        pupil=world.p1,
        kind="professionals",
        held_on=today - timedelta(days=5),
        discussed="Staff only: concerns about attendance.",
    )

    response = client_for(world.parent_p1).get(reverse("families:child", args=[world.p1.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Priya has SEN support" in page and "The plan is under way" in page
    assert f"The next review is on <strong>{cycle.review_date:%-d %B %Y}</strong>" in page
    assert "Read a short book on her own" in page and "Aim: Band 5" in page
    assert "So far: <strong>3 sessions given</strong>, 1 missed" in page
    assert "Missed: 1 when Priya was away." in page  # the helper's missed session: the pupil was absent
    assert "Agreed the reading plan together." in page and "Read at home every night" in page
    assert "Staff only" not in page
    view = AuditEvent.objects.get(action=AuditAction.VIEW, pupil_id=world.p1.pk, actor_id=world.parent_p1.pk)
    assert view.actor_role == "parent"


def test_the_child_page_takes_the_same_queries_whatever_the_history(world: World, client_for: Any) -> None:
    client = client_for(world.parent_p1)
    url = reverse("families:child", args=[world.p1.pk])
    today = timezone.localdate()

    def history(number: int, provisions: int) -> None:
        cycle = Cycle.objects.create(
            pupil=world.p1,
            setting=world.setting_a,
            number=number,
            status=CycleStatus.DO,
            started_on=today - timedelta(days=100 - 30 * number),
        )
        Outcome.objects.create(
            cycle=cycle,
            position=1,
            description="Outcome",
            measure="m",
            baseline="b",
            target="t",
            by_when=today,
            area="CL",
        )
        for n in range(provisions):
            provision = Provision.objects.create(cycle=cycle, kind="intervention", description=f"Support {n}")
            DeliveryRecord.objects.create(provision=provision, on=today - timedelta(days=n), status="delivered")
        meeting = Meeting.objects.create(
            pupil=world.p1,
            kind="parent",
            held_on=today - timedelta(days=number),
            discussed=f"Meeting {number}",
            shared_with_parents_on=today,
        )
        MeetingAction.objects.create(meeting=meeting, description="Act", owner_name="Mum", due_on=today)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    history(1, 1)
    client.get(url)
    few = queries()
    Cycle.objects.filter(pupil=world.p1).update(status=CycleStatus.CLOSED)
    history(2, 4)
    Cycle.objects.filter(pupil=world.p1, number=2).update(status=CycleStatus.CLOSED)
    history(3, 3)  # one open cycle at a time
    assert queries() == few


def test_a_parent_reaches_only_their_own_child(world: World, client_for: Any) -> None:
    parent = client_for(world.parent_p1)
    assert parent.get(reverse("families:child", args=[world.p2.pk])).status_code == 404  # same school
    assert parent.get(reverse("families:child", args=[world.p4.pk])).status_code == 404  # elsewhere
    assert parent.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 404  # a staff page
    assert parent.get(reverse("families:child", args=[999_999])).status_code == 404


def test_access_ends_with_the_link_the_enrolment_or_parental_responsibility(
    world: World, client_for: Any, contact: Contact
) -> None:
    url = reverse("families:child", args=[world.p1.pk])
    link = FamilyLink.objects.get(user=world.parent_p1)
    link.contact = contact
    link.save(update_fields=["contact"])
    parent = client_for(world.parent_p1)
    assert parent.get(url).status_code == 200
    Contact.objects.filter(pk=contact.pk).update(parental_responsibility=False)  # the MIS says so now
    assert parent.get(url).status_code == 404
    Contact.objects.filter(pk=contact.pk).update(parental_responsibility=True)
    Enrolment.objects.filter(pupil=world.p1).update(end_date=timezone.localdate() - timedelta(days=1))
    assert parent.get(url).status_code == 404
    assert "You cannot see any child's record at the moment" in parent.get(reverse("families:home")).content.decode()
    Enrolment.objects.filter(pupil=world.p1).update(end_date=None)
    senco = client_for(world.senco_a)
    end = reverse("families:end", args=[world.p1.pk, link.pk])
    assert senco.post(end).status_code == 302
    assert "had already ended" in senco.post(end, follow=True).content.decode()  # a double submit
    assert client_for(world.parent_p1).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_type="families.familylink").count() == 1


def test_only_contacts_with_parental_responsibility_and_an_address_are_offered(
    world: World, client_for: Any, contact: Contact
) -> None:
    no_pr = Contact.objects.create(
        pupil=world.p1,
        first_name="Gran",
        last_name="One",
        relationship="Grandparent",
        parental_responsibility=False,
        email="gran@example.com",
    )
    page = client_for(world.senco_a).get(manage_url(world)).content.decode()
    assert "Gran One: no parental responsibility" in page and "gran@example.com" not in page
    response = invite(client_for(world.senco_a), world, str(no_pr.pk))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    other = Contact.objects.create(
        pupil=world.p4, first_name="Far", last_name="Away", parental_responsibility=True, email="far@example.com"
    )
    assert invite(client_for(world.senco_a), world, str(other.pk)).status_code == 400
    assert not FamilyLink.objects.filter(contact__in=[no_pr, other]).exists()


def test_a_young_person_of_16_may_have_their_own_access(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    student = make_pupil(world.setting_b, "Sam", "Sixteen", date_of_birth=date(today.year - 17, 1, 15))
    senco_b = client_for(world.senco_b)
    url = reverse("families:manage", args=[student.pk])
    assert "Sam Sixteen (aged 16 or over), for their own record" in senco_b.get(url).content.decode()
    missing = senco_b.post(url, {"who": "young_person"})
    assert missing.status_code == 400 and "Enter the young person" in missing.content.decode()
    assert senco_b.post(url, {"who": "young_person", "email": "sam16@example.com"}).status_code == 302
    link = FamilyLink.objects.get(pupil=student)
    assert link.role == FamilyRole.YOUNG_PERSON and link.contact is None
    young = User.objects.get(email="sam16@example.com")
    page = client_for(young).get(reverse("families:child", args=[student.pk])).content.decode()
    assert "Your support" in page
    # A younger pupil has no such choice.
    assert "for their own record" not in client_for(world.senco_a).get(manage_url(world)).content.decode()


def test_a_family_member_with_a_second_factor_is_asked_for_it(world: World) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.parent_p1, name="phone", confirmed=True)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": world.parent_p1.email, "password": PASSWORD}, follow=True
    )
    assert "/accounts/second-factor/" in response.redirect_chain[-1][0]
    # Staff are always asked, with or without one.
    staff = Client()
    staff_response = staff.post(
        reverse("accounts:login"), {"username": world.senco_a.email, "password": PASSWORD}, follow=True
    )
    assert "/accounts/second-factor/" in staff_response.redirect_chain[-1][0]


def test_a_family_account_may_turn_on_the_second_factor(world: World) -> None:
    parent = User.objects.create_user(email="new.parent@example.com", password=PASSWORD, full_name="New Parent")
    client = Client()
    client.post(reverse("accounts:login"), {"username": parent.email, "password": PASSWORD})
    security = client.get(reverse("accounts:security"))
    assert security.status_code == 200
    setup = client.get(reverse("accounts:second_factor_setup"))
    assert setup.status_code == 200 and "QR code" in setup.content.decode()


# -- Views before the review ---------------------------------------------------------------------


def test_the_family_gives_views_before_the_review_and_the_senco_reads_them_there(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cycle = plan_for_p1(world, [(1, "delivered")])
    outcome = cycle.outcomes.get()
    senco = client_for(world.senco_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert senco.post(reverse("families:ask_views", args=[world.p1.pk])).status_code == 302
    [asked] = mail.outbox
    assert asked.to == [world.parent_p1.email] and "Before Priya's review" in asked.subject
    again = senco.post(reverse("families:ask_views", args=[world.p1.pk]), follow=True).content.decode()
    assert "already been asked" in again

    parent = client_for(world.parent_p1)
    child_page = parent.get(reverse("families:child", args=[world.p1.pk])).content.decode()
    assert "Tell the school what you think before the review" in child_page
    url = reverse("families:views", args=[world.p1.pk])
    empty = parent.post(url, {})
    assert empty.status_code == 400 and "Write or choose at least one answer" in empty.content.decode()
    answer = {"going_well": "She reads to her brother now.", "hard": "Long words.", f"outcome_{outcome.pk}": "some",
              "child_feeling": "happy", "child_hard": "Spelling tests"}  # fmt: skip
    assert parent.post(url, answer).status_code == 302
    assert parent.post(url, {**answer, "would_help": "More books at home."}).status_code == 302  # changed, not doubled
    review = client_for(world.senco_a).get(reverse("support:review", args=[world.p1.pk, cycle.pk])).content.decode()
    assert "The family's views, in their own words" in review
    assert "“She reads to her brother now.”" in review and "“More books at home.”" in review
    assert "Feels happy about school." in review and "“Spelling tests”" in review
    assert "The family says: Pam One: “A bit better”" in review
    assert AuditEvent.objects.filter(object_type="families.familyviews", pupil_id=world.p1.pk).count() == 2


def test_views_cannot_be_given_when_none_were_asked_or_after_the_review(world: World, client_for: Any) -> None:
    cycle = plan_for_p1(world, [])
    parent = client_for(world.parent_p1)
    url = reverse("families:views", args=[world.p1.pk])
    assert "has not asked for your views yet" in parent.get(url).content.decode()
    assert parent.post(url, {"going_well": "x"}).status_code == 404
    client_for(world.senco_a).post(reverse("families:ask_views", args=[world.p1.pk]))
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)  # reviewed meanwhile
    assert parent.post(url, {"going_well": "x"}).status_code == 404
    assert client_for(world.parent_p2).get(url).status_code == 404  # another child's parent


# -- Agreeing the plan ---------------------------------------------------------------------------


def test_a_parent_agrees_or_says_what_they_would_change(world: World, client_for: Any) -> None:
    cycle = plan_for_p1(world, [])
    parent = client_for(world.parent_p1)
    child_url = reverse("families:child", args=[world.p1.pk])
    respond = reverse("families:respond", args=[world.p1.pk])
    assert "Do you agree with these aims?" in parent.get(child_url).content.decode()
    no_reason = parent.post(respond, {"agrees": "no"})
    assert no_reason.status_code == 400 and "Say what you do not agree with" in no_reason.content.decode()
    assert parent.post(respond, {"agrees": "no", "comment": "Spelling matters more to us."}).status_code == 302
    assert parent.post(respond, {"agrees": "yes"}).status_code == 302  # changed their mind: one answer
    response = cycle.family_responses.get()
    assert response.agrees and response.comment == ""
    kinds = sorted(world.p1.chronology.filter(kind="family_responded").values_list("summary", flat=True))
    assert kinds == [
        "Mother agrees with the outcomes of cycle 1", "Mother does not agree with all of the outcomes of cycle 1",
    ]  # fmt: skip
    manage = client_for(world.senco_a).get(reverse("families:manage", args=[world.p1.pk])).content.decode()
    assert "Pam One" in manage and "agrees with the outcomes" in manage
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.CLOSED)
    closed = client_for(world.parent_p1).post(respond, {"agrees": "no", "comment": "Late"}, follow=True)
    assert "There is no plan to agree at the moment" in closed.content.decode()


def test_a_parent_says_they_have_read_a_shared_meeting_record(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    shared = Meeting.objects.create(pupil=world.p1, kind="parent", held_on=today - timedelta(days=3),
                                    discussed="Agreed the plan.", shared_with_parents_on=today)  # fmt: skip
    unshared = Meeting.objects.create(pupil=world.p1, kind="parent", held_on=today - timedelta(days=2),
                                      discussed="Not shared yet.")  # fmt: skip
    parent = client_for(world.parent_p1)
    read = reverse("families:acknowledge", args=[world.p1.pk, shared.pk])
    assert parent.post(read).status_code == 302
    assert "You had already said you read it" in parent.post(read, follow=True).content.decode()
    assert "You have read this." in parent.get(reverse("families:child", args=[world.p1.pk])).content.decode()
    assert parent.post(reverse("families:acknowledge", args=[world.p1.pk, unshared.pk])).status_code == 404
    assert client_for(world.parent_p2).post(read).status_code == 404
    page = client_for(world.senco_a).get(reverse("meetings:detail", args=[world.p1.pk, shared.pk])).content.decode()
    assert f"Read by Pam One on {today:%-d %B %Y}" in page


def test_the_family_access_page_lists_only_this_settings_links(world: World, client_for: Any) -> None:
    # A link Cedar made to P1 (say, before a move) is not Ash's to list or manage.
    other = User.objects.create_user(email="cedar.parent@example.com", password=None, full_name="Cedar Parent")
    FamilyLink.objects.create(user=other, pupil=world.p1, setting=world.setting_c)
    page = client_for(world.senco_a).get(manage_url(world)).content.decode()
    assert "Pam One" in page and "Cedar Parent" not in page
