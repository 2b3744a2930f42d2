"""The My Support Plan as a tagged PDF and a Word file."""

import io
from collections.abc import Callable

import docx
import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.statutory.models import LookedAfter
from graduated.statutory.tests.factories import pcp_meeting, plan


def _plan(world: World) -> None:
    meeting = pcp_meeting(world.p1)
    plan(world.p1, meeting_id=meeting.pk, looked_after=LookedAfter.PREVIOUSLY, hopes="To be a vet.\n\nTo have a dog.")


def test_the_plan_downloads_as_a_tagged_pdf(world: World, client_for: Callable[..., Client]) -> None:
    _plan(world)
    response = client_for(world.senco_a).get(reverse("statutory:plan_export", args=[world.p1.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="my-support-plan-priya-one-')
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "My Support Plan: Priya One" in text and "Agreed on 28 September 2026 (version 1)" in text
    assert "To be a vet." in text and "Previously looked after" in text
    assert "Person-centred planning meeting on 21 September 2026" in text
    assert "Ask for help in class (1)" in text and "Mild asthma" in text
    assert AuditEvent.objects.filter(action="export", pupil_id=world.p1.pk).count() == 1


def test_an_old_version_downloads_as_a_word_file(world: World, client_for: Callable[..., Client]) -> None:
    _plan(world)
    plan(world.p1, 2)
    response = client_for(world.head_a).get(reverse("statutory:plan_version_export", args=[world.p1.pk, 1, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Agreed on 28 September 2026 (version 1)" in texts
    assert "To be a vet." in texts and "To have a dog." in texts and "I like school when it is calm (1)." in texts
    assert "Review contributions" in texts and "My health" in texts
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Ask for help in class (1)" in cells and "29 January 2027" in cells


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_exports_use_a_fixed_number_of_queries(
    world: World, client_for: Callable[..., Client], file_format: str
) -> None:
    client = client_for(world.senco_a)
    url = reverse("statutory:plan_export", args=[world.p1.pk, file_format])
    _plan(world)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    small = count()
    for n in range(2, 6):
        plan(world.p1, n)
    assert count() == small
