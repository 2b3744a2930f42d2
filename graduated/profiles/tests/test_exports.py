import io
from collections.abc import Callable
from datetime import date

import docx
import pypdf
from django.test import Client
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.profiles.models import ProfileContent
from graduated.profiles.services import save_profile


def _profile(world: World) -> None:
    save_profile(
        actor=Actor.system("test"), pupil=world.p1, expected_version=0, written_on=date(2026, 10, 5),
        content=ProfileContent(
            liked_and_admired="I am a kind friend and I build amazing Lego towers.",
            important_to_me="My dog Biscuit.\n\nKnowing what happens next in the day.",
            how_to_support="Give me one instruction at a time and show me a picture of it.",
            pupil_contributed=True, parents_contributed=True,
        ),
    )  # fmt: skip


def test_the_profile_downloads_as_a_tagged_pdf(world: World, client_for: Callable[..., Client]) -> None:
    _profile(world)
    response = client_for(world.ta_a).get(reverse("profiles:export", args=[world.p1.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="one-page-profile-priya-one-')
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "One-page profile: Priya One" in text
    assert "one instruction at a time" in text and "Parents or carers" in text
    assert AuditEvent.objects.filter(action="export", pupil_id=world.p1.pk).count() == 1


def test_the_profile_downloads_as_a_word_file(world: World, client_for: Callable[..., Client]) -> None:
    _profile(world)
    response = client_for(world.senco_a).get(reverse("profiles:export", args=[world.p1.pk, "docx"]))
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "What is important to me" in texts
    assert "My dog Biscuit." in texts and "Knowing what happens next in the day." in texts


def test_no_profile_or_an_unknown_format_is_404(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    assert client.get(reverse("profiles:export", args=[world.p1.pk, "pdf"])).status_code == 404
    _profile(world)
    assert client.get(reverse("profiles:export", args=[world.p1.pk, "exe"])).status_code == 404
