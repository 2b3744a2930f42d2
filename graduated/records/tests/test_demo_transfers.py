"""The demo's waiting record transfers work from both sides, as the README says."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from graduated.accounts.models import User
from graduated.records.models import RecordTransfer, TransferStatus


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_millbeck_releases_a_record_to_tidewell(demo: None, db: None) -> None:
    transfer = RecordTransfer.objects.get(to_setting__name="Tidewell Primary School")
    assert transfer.status == TransferStatus.REQUESTED and transfer.from_setting.name == "Millbeck Primary School"
    millbeck, tidewell = signed_in("senco.primary@example.org"), signed_in("senco.south@example.org")
    waiting = millbeck.get(reverse("records:transfers", args=[transfer.from_setting_id])).content.decode()
    assert "Waiting for you" in waiting and transfer.pupil.display_name in waiting
    assert tidewell.get(reverse("pupils:detail", args=[transfer.pupil_id])).status_code == 404

    url = reverse("records:transfer", args=[transfer.from_setting_id, transfer.pk])
    assert millbeck.post(url, {"decision": "approve"}).status_code == 302
    assert tidewell.get(reverse("pupils:detail", args=[transfer.pupil_id])).status_code == 200
    previous = tidewell.get(reverse("records:previous_settings", args=[transfer.pupil_id])).content.decode()
    assert "Millbeck Primary School" in previous and "Cycle 1" in previous


def test_the_college_has_asked_with_a_declaration(demo: None, db: None) -> None:
    transfer = RecordTransfer.objects.get(to_setting__name="Northshire College of Further Education")
    assert transfer.from_setting.name == "Ravensmoor Academy" and transfer.declared == ["learning_difficulty"]
    ravensmoor = signed_in("senco.secondary@example.org")
    page = ravensmoor.get(reverse("records:transfer", args=[transfer.from_setting_id, transfer.pk])).content.decode()
    assert "A learning difficulty" in page and "I have dyslexia" in page and "Send the decision" in page
