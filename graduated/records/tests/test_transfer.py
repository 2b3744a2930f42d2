"""A pupil's SEN record following them to another setting that uses Graduated.

The world's settings sit in two LAs: Ash Primary (A, Northshire) and Cedar School (C,
Southborough). P1 is at Ash, on SEN support, and moves to Cedar.
"""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_member
from graduated.meetings import services as meetings
from graduated.organisations.models import Phase, Role, Setting
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Enrolment, Pupil
from graduated.records import transfers
from graduated.records.models import RecordTransfer, TransferStatus
from graduated.support import services as support
from graduated.support.models import Cycle, CycleStatus

SYSTEM = Actor.system("test")


def ask_form(pupil: Pupil, starts_on: date, **extra: Any) -> dict[str, Any]:
    born = pupil.date_of_birth
    return {
        "upn": pupil.upn, "date_of_birth_0": born.day, "date_of_birth_1": born.month, "date_of_birth_2": born.year,
        "starts_on_0": starts_on.day, "starts_on_1": starts_on.month, "starts_on_2": starts_on.year, **extra,
    }  # fmt: skip


def ask(client: Client, setting: Setting, data: dict[str, Any]) -> Any:
    return client.post(reverse("records:transfer_request", args=[setting.pk]), data)


def detail_url(setting: Setting, transfer: RecordTransfer) -> str:
    return reverse("records:transfer", args=[setting.pk, transfer.pk])


@pytest.fixture
def p1_history(world: World) -> Cycle:
    """What Ash wrote for P1 before the move: a cycle in progress and a meeting with the parents."""
    cycle = support.start_cycle(actor=SYSTEM, pupil=world.p1, setting=world.setting_a, started_on=date(2025, 9, 8))
    meetings.record_meeting(
        actor=SYSTEM, pupil=world.p1, kind="parent", held_on=date(2025, 10, 2),
        discussed="Reading plan agreed with mum.",
    )  # fmt: skip
    return cycle


def requested(world: World, starts_on: date | None = None) -> RecordTransfer:
    return transfers.request_record(
        actor=SYSTEM, setting=world.setting_c, upn=world.p1.upn or "", date_of_birth=world.p1.date_of_birth,
        starts_on=starts_on or timezone.localdate(),
    )  # fmt: skip


def test_a_record_moves_between_settings_in_different_las(
    world: World, p1_history: Cycle, django_capture_on_commit_callbacks: Any
) -> None:
    cedar, ash = Client(), Client()
    cedar.force_login(world.senco_c)
    ash.force_login(world.senco_a)
    today = timezone.localdate()
    assert cedar.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 404

    # Cedar's SENCO asks, by UPN and date of birth; Ash's SENCO is told by e-mail, without the name.
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(cedar, world.setting_c, ask_form(world.p1, today))
    transfer = RecordTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(world.setting_c, transfer)
    assert (transfer.from_setting, transfer.to_setting, transfer.status) == (
        world.setting_a, world.setting_c, TransferStatus.REQUESTED,
    )  # fmt: skip
    [told] = mail.outbox
    assert told.to == [world.senco_a.email] and "Cedar School" in told.subject
    assert "Priya" not in told.body and detail_url(world.setting_a, transfer) in told.body

    # Until Ash decides, Cedar sees the UPN it typed, not who the pupil is.
    waiting = cedar.get(detail_url(world.setting_c, transfer)).content.decode()
    assert world.p1.upn in waiting and "Priya" not in waiting and "Withdraw the request" in waiting
    asked = ash.get(reverse("records:transfers", args=[world.setting_a.pk])).content.decode()
    assert "Priya" in asked and "Waiting for you" in asked
    page = ash.get(detail_url(world.setting_a, transfer)).content.decode()
    assert "Priya One" in page and "Cycle 1 is still open here" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ash.post(detail_url(world.setting_a, transfer), {"decision": "approve"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED and transfer.decided_by == world.senco_a
    [told] = mail.outbox
    assert told.to == [world.senco_c.email] and "approved" in told.subject

    # P1 has left Ash yesterday and is on Cedar's roll from today; Ash's open cycle was closed.
    at_ash = Enrolment.objects.get(pupil=world.p1, setting=world.setting_a)
    assert at_ash.end_date == today - timedelta(days=1)
    assert Enrolment.objects.current().filter(pupil=world.p1, setting=world.setting_c, start_date=today).exists()
    p1_history.refresh_from_db()
    assert p1_history.status == CycleStatus.CLOSED
    kinds = set(ChronologyEntry.objects.filter(pupil=world.p1).values_list("kind", flat=True))
    assert {ChronologyKind.RECORD_TRANSFERRED, ChronologyKind.ENROLLED} <= kinds

    # Access follows the enrolment: Ash no longer reaches P1; Cedar does, and reads Ash's part.
    assert ash.get(reverse("pupils:detail", args=[world.p1.pk])).status_code == 404
    pupil_page = cedar.get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "From previous settings" in pupil_page and "Ash Primary School" in pupil_page
    previous = cedar.get(reverse("records:previous_settings", args=[world.p1.pk])).content.decode()
    assert "Cycle 1" in previous and "Meeting with parents or carers on 02/10/2025" in previous
    cycle_page = cedar.get(reverse("support:cycle", args=[world.p1.pk, p1_history.pk])).content.decode()
    assert "From the previous setting: Ash Primary School wrote this cycle" in cycle_page

    # The transfer is on the pupil's audit trail: asked, viewed, released.
    actions = list(
        AuditEvent.objects.filter(pupil_id=world.p1.pk, object_type="records.recordtransfer")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[0] == AuditAction.CREATE and AuditAction.CHANGE in actions and AuditAction.VIEW in actions


def test_what_the_previous_setting_wrote_cannot_be_changed_here(world: World, p1_history: Cycle) -> None:
    transfers.approve(actor=SYSTEM, transfer=requested(world))
    cedar = Client()
    cedar.force_login(world.senco_c)
    version = Cycle.objects.get(pk=p1_history.pk).version
    response = cedar.post(
        reverse("support:assessment", args=[world.p1.pk, p1_history.pk]),
        {"parents_views": "Changed at Cedar", "pupil_views": "", "advice_received": "", "version": version},
    )
    assert response.status_code == 403
    assert "written by Ash Primary School" in response.content.decode()
    assert Cycle.objects.get(pk=p1_history.pk).parents_views != "Changed at Cedar"
    meeting = world.p1.meetings.get()
    detail = cedar.get(reverse("meetings:detail", args=[world.p1.pk, meeting.pk])).content.decode()
    assert "From the previous setting: Ash Primary School held this meeting" in detail
    assert "Change the meeting record" not in detail and "Mark as shared with the parents" not in detail
    response = cedar.get(reverse("meetings:edit", args=[world.p1.pk, meeting.pk]))
    assert response.status_code == 403 and "previous setting" in response.content.decode()

    # Cedar starts its own cycle: the record goes on.
    response = cedar.post(
        reverse("support:start", args=[world.p1.pk]),
        {"started_on_0": timezone.localdate().day, "started_on_1": timezone.localdate().month,
         "started_on_2": timezone.localdate().year},
    )  # fmt: skip
    assert response.status_code == 302
    assert Cycle.objects.filter(pupil=world.p1, setting=world.setting_c, number=2).exists()


def test_a_refusal_needs_a_reason_and_is_told_to_the_asker(
    world: World, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    transfer = requested(world)
    ash = client_for(world.senco_a)
    response = ash.post(detail_url(world.setting_a, transfer), {"decision": "refuse", "reason": "  "})
    assert response.status_code == 400 and "Say why you are refusing" in response.content.decode()
    assert RecordTransfer.objects.get().status == TransferStatus.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        response = ash.post(detail_url(world.setting_a, transfer), {"decision": "refuse", "reason": "Not leaving us."})
    assert response.status_code == 302
    assert RecordTransfer.objects.get().status == TransferStatus.REFUSED
    [told] = mail.outbox
    assert told.to == [world.senco_c.email] and "Not leaving us." in told.body
    assert Enrolment.objects.current().filter(pupil=world.p1, setting=world.setting_a).exists()
    assert not Enrolment.objects.filter(pupil=world.p1, setting=world.setting_c).exists()

    # The same decision sent again (a double submit) changes nothing and says so.
    again = ash.post(detail_url(world.setting_a, transfer), {"decision": "approve"}, follow=True)
    assert "already been decided: refused" in again.content.decode()
    assert RecordTransfer.objects.get().status == TransferStatus.REFUSED
    assert not Enrolment.objects.filter(pupil=world.p1, setting=world.setting_c).exists()


def test_only_the_sending_setting_decides_and_only_the_asker_withdraws(world: World, client_for: Any) -> None:
    transfer = requested(world)
    cedar = client_for(world.senco_c)
    assert cedar.post(detail_url(world.setting_c, transfer), {"decision": "approve"}).status_code == 404
    assert RecordTransfer.objects.get().status == TransferStatus.REQUESTED
    withdraw = reverse("records:transfer_withdraw", args=[world.setting_a.pk, transfer.pk])
    assert client_for(world.senco_a).post(withdraw).status_code == 404
    # A setting that is neither side does not see the request at all.
    beech = client_for(world.senco_b)
    assert beech.get(detail_url(world.setting_b, transfer)).status_code == 404
    cedar = client_for(world.senco_c)
    cedar.post(reverse("records:transfer_withdraw", args=[world.setting_c.pk, transfer.pk]))
    assert RecordTransfer.objects.get().status == TransferStatus.WITHDRAWN
    with pytest.raises(transfers.TransferError, match="already been decided"):
        transfers.approve(actor=SYSTEM, transfer=transfer)
    assert not Enrolment.objects.filter(pupil=world.p1, setting=world.setting_c).exists()


def test_two_decisions_at_once_move_the_pupil_once(world: World) -> None:
    transfer = requested(world)
    stale = RecordTransfer.objects.get(pk=transfer.pk)
    transfers.approve(actor=SYSTEM, transfer=transfer)
    with pytest.raises(transfers.TransferError, match="already been decided: transferred"):
        transfers.refuse(actor=SYSTEM, transfer=stale, reason="Too late")
    assert Enrolment.objects.filter(pupil=world.p1, setting=world.setting_c).count() == 1
    assert RecordTransfer.objects.get().status == TransferStatus.APPROVED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"upn": "A86020012400"}, "UPN"),
        ({"date_of_birth_1": "13"}, "Date of birth"),
        ({"date_of_birth_2": "2015"}, "No pupil with this UPN and date of birth"),
        ({"starts_on_0": "", "starts_on_1": "", "starts_on_2": ""}, "Enter the date the pupil starts here"),
        ({"starts_on_2": "2014"}, "must be after their date of birth"),
    ],
)
def test_bad_requests_are_sent_back_and_save_nothing(
    world: World, client_for: Any, change: dict[str, str], message: str
) -> None:
    response = ask(client_for(world.senco_c), world.setting_c, {**ask_form(world.p1, timezone.localdate()), **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RecordTransfer.objects.exists()


def test_a_pupil_on_roll_here_or_asked_for_already_is_refused(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    ash = client_for(world.senco_a)
    response = ask(ash, world.setting_a, ask_form(world.p1, today))
    assert response.status_code == 400 and "already on your roll" in response.content.decode()
    cedar = client_for(world.senco_c)
    assert ask(cedar, world.setting_c, ask_form(world.p1, today)).status_code == 302
    again = ask(cedar, world.setting_c, ask_form(world.p1, today))
    assert again.status_code == 400 and "the request is waiting for the other setting" in again.content.decode()
    assert RecordTransfer.objects.count() == 1


def test_the_asker_learns_nothing_of_a_pupil_before_the_record_is_released(world: World, client_for: Any) -> None:
    transfer = requested(world)
    cedar = client_for(world.senco_c)
    listing = cedar.get(reverse("records:transfers", args=[world.setting_c.pk])).content.decode()
    assert "Priya" not in listing and world.p1.upn in listing
    assert cedar.get(reverse("records:previous_settings", args=[world.p1.pk])).status_code == 404
    transfers.approve(actor=SYSTEM, transfer=transfer)
    listing = cedar.get(reverse("records:transfers", args=[world.setting_c.pk])).content.decode()
    assert "Priya" in listing


def test_a_college_records_what_a_student_declared_on_joining(world: World, client_for: Any) -> None:
    college = Setting.objects.create(
        name="Larch College", urn="300001", phase=Phase.FURTHER_EDUCATION, local_authority=world.la_south
    )
    tutor = make_member("senco.larch@example.org", Role.SENCO, college, "Lou Larch")
    client = client_for(tutor)
    form = client.get(reverse("records:transfer_request", args=[college.pk])).content.decode()
    assert "What the student declared when they joined" in form
    data = ask_form(world.p1, timezone.localdate(), declared=["disability", "medical_condition"],
                    declaration_notes="I have epilepsy and use a wheelchair.")  # fmt: skip
    assert ask(client, college, data).status_code == 302
    transfer = RecordTransfer.objects.get()
    assert transfer.declared == ["disability", "medical_condition"]
    transfers.approve(actor=SYSTEM, transfer=transfer)
    entry = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.DECLARED_AT_ENTRY)
    assert entry.summary == "On joining Larch College declared a disability and a medical condition"


def test_a_school_does_not_take_declarations(world: World, client_for: Any) -> None:
    cedar = client_for(world.senco_c)
    form = cedar.get(reverse("records:transfer_request", args=[world.setting_c.pk])).content.decode()
    assert "What the student declared" not in form
    ask(cedar, world.setting_c, ask_form(world.p1, timezone.localdate(), declared=["disability"]))
    assert RecordTransfer.objects.get().declared == []


def test_a_pupil_who_joins_later_stays_with_the_sending_setting_until_then(world: World) -> None:
    starts = timezone.localdate() + timedelta(days=30)
    transfers.approve(actor=SYSTEM, transfer=requested(world, starts_on=starts))
    ash = Enrolment.objects.get(pupil=world.p1, setting=world.setting_a)
    assert ash.end_date == starts - timedelta(days=1)
    assert Enrolment.objects.current().filter(pupil=world.p1, setting=world.setting_a).exists()
    assert Enrolment.objects.get(pupil=world.p1, setting=world.setting_c).start_date == starts


def test_adding_a_pupil_whose_upn_is_known_points_to_asking_for_the_record(world: World, client_for: Any) -> None:
    born = world.p1.date_of_birth
    response = client_for(world.senco_c).post(
        reverse("pupils:add", args=[world.setting_c.pk]),
        {"legal_first_name": "Priya", "legal_last_name": "One", "sex": "F", "upn": world.p1.upn,
         "date_of_birth_0": born.day, "date_of_birth_1": born.month, "date_of_birth_2": born.year,
         "start_date_0": 1, "start_date_1": 9, "start_date_2": 2026},
    )  # fmt: skip
    assert not Pupil.objects.filter(legal_last_name="One").exclude(pk=world.p1.pk).exists()
    assert "ask that setting for their record" in response.content.decode()
