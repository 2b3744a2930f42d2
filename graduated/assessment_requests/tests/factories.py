"""A pupil with a record worth requesting an assessment from, and requests in known states, made
through the services as a SENCO would (a few rows the services have no one-call path for are
created directly: evidence on closed cycles)."""

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import default_task_backend

from graduated.assessment_requests import services
from graduated.assessment_requests.models import PreparedRequest
from graduated.assessment_requests.tasks import build_bundle
from graduated.audit.services import Actor
from graduated.documents import services as document_services
from graduated.documents.content_types import PDF
from graduated.documents.models import Document
from graduated.lib.exports import Outline, Paragraphs, Section, render_pdf
from graduated.pupils.models import Pupil
from graduated.specialists.tests import factories as specialist_factories
from graduated.statutory.clock import months_after
from graduated.statutory.tests import factories as plan_factories
from graduated.support.models import EvidencePoint
from graduated.support.tests import factories as support_factories

ACTOR = Actor.system("test")
# Tasks are queued, not run: ``settings.TASKS = DUMMY_TASKS``, then ``queued_builds()``.
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "email"]}}

READY = {
    "parental_responsibility": "Rosa One (mother), 1 Ash Lane, 01632 960111",
    "attendance_this_year": 91.5, "attendance_last_year": 94,
    "child_views": "I want to read like my friends.", "parent_views": "We want more help with reading.",
    "beyond_ordinarily_available": "Daily one-to-one teaching of reading beyond what the school can fund.",
    "consent_by": "parent", "consent_name": "Rosa One", "consent_to_share": True,
}  # fmt: skip


def report_pdf(text: str) -> bytes:
    """A real one-page PDF report holding ``text``."""
    outline = Outline(title=text, subtitle="A report", produced_on=date(2026, 10, 1),
                      sections=[Section("Findings", [Paragraphs([text])])])  # fmt: skip
    return render_pdf(outline)


def add_report(pupil: Pupil, title: str, dated: date, content: bytes | None = None, kind: str = "report") -> Document:
    data = content if content is not None else report_pdf(f"{title} text")
    return document_services.add_document(
        actor=ACTOR, pupil=pupil, upload=SimpleUploadedFile(f"{title}.pdf", data, content_type=PDF.content_type),
        file_type=PDF, title=title, kind=kind, dated=dated,
    )  # fmt: skip


def rich_record(pupil: Pupil, today: date) -> None:
    """A reviewed cycle with reading ages a year, six months and a month ago, an agreed My Support
    Plan, an educational psychology referral with its report and advice, and the report as a PDF."""
    cycle = support_factories.reviewed_cycle(pupil)
    for months, score in ((12, "6.5"), (6, "6.9"), (1, "7.2")):
        EvidencePoint.objects.create(
            cycle=cycle, taken_on=months_after(today, -months), kind="standardised", name="Reading age",
            score=score, unit="years", expected_for_age="9 years",
        )  # fmt: skip
    plan_factories.plan(pupil, agreed_on=today - timedelta(days=30))
    specialist_factories.referral(
        pupil, consent_on=today - timedelta(days=120), referred_on=today - timedelta(days=100),
        seen_on=today - timedelta(days=60), report_received_on=today - timedelta(days=40),
        advice="Phonological awareness work daily.",
    )  # fmt: skip
    add_report(pupil, "Educational psychology report", today - timedelta(days=40))


def started(pupil: Pupil) -> PreparedRequest:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    return services.start_request(actor=ACTOR, pupil=pupil, setting=setting)


def ready(pupil: Pupil, today: date, **changes: Any) -> PreparedRequest:
    prepared = started(pupil)
    values = {**READY, "consent_on": today - timedelta(days=3), **changes}
    return services.update_details(actor=ACTOR, prepared=prepared, values=values, expected_version=prepared.version)


def queued_builds() -> list[int]:
    """The request of each bundle build queued on the dummy backend (other tasks are queued too)."""
    return [result.args[0] for result in default_task_backend.results if result.task.func is build_bundle.func]
