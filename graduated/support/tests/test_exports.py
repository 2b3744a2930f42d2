import io
from collections.abc import Callable

import docx
import pypdf
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.lib.testing import World
from graduated.support import services
from graduated.support.tests.factories import ACTOR, agreed_cycle, reviewed_cycle

ClientFor = Callable[..., Client]


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    # Table cells wrap across lines: compare words, not layout.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_plan_downloads_as_a_tagged_pdf_with_outcomes_and_provision(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    services.update_assessment(
        actor=ACTOR, cycle=cycle, expected_version=cycle.version,
        changes={"parents_views": "We would like more help with reading at home."},
    )  # fmt: skip
    response = client_for(world.senco_a).get(reverse("support:plan_export", args=[world.p1.pk, cycle.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "SEN support plan: Priya One" in text
    assert "Reads 10 common exception words" in text and "Precision teaching of sight words" in text
    assert "We would like more help with reading at home." in text
    assert AuditEvent.objects.filter(action="export", pupil_id=world.p1.pk).count() == 1


def test_a_teachers_copy_leaves_out_what_they_may_not_see(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    senco_copy = client_for(world.senco_a).get(reverse("support:plan_export", args=[world.p1.pk, cycle.pk, "docx"]))
    teacher_copy = client_for(world.teacher_a).get(reverse("support:plan_export", args=[world.p1.pk, cycle.pk, "docx"]))

    def headings(content: bytes) -> list[str]:
        paragraphs = docx.Document(io.BytesIO(content)).paragraphs
        return [p.text for p in paragraphs if p.style is not None and p.style.name.startswith("Heading")]

    assert "Assess: what we know" in headings(senco_copy.content)
    assert "Assess: what we know" not in headings(teacher_copy.content)
    assert "Plan: outcomes" in headings(teacher_copy.content)


def test_the_whole_history_is_one_pdf_in_a_fixed_number_of_queries(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = reverse("support:history_export", args=[world.p1.pk])
    reviewed_cycle(world.p1)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    first_cycle = world.p1.cycles.get()
    services.start_cycle(actor=ACTOR, pupil=world.p1, setting=world.setting_a, started_on=first_cycle.review.held_on)
    with CaptureQueriesContext(connection) as large:
        second = client.get(url)
    assert "Cycle 1" in _pdf_text(first.content)
    assert "Cycle 2" in _pdf_text(second.content)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_unknown_format_or_another_pupils_cycle_is_404(world: World, client_for: ClientFor) -> None:
    cycle = agreed_cycle(world.p1)
    client = client_for(world.senco_a)
    assert client.get(reverse("support:plan_export", args=[world.p1.pk, cycle.pk, "exe"])).status_code == 404
    assert client.get(reverse("support:plan_export", args=[world.p2.pk, cycle.pk, "pdf"])).status_code == 404
