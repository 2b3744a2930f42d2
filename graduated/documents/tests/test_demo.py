import io
from io import StringIO

import pypdf
from django.core.management import call_command

from graduated.documents.demo import simple_pdf
from graduated.documents.models import Document


def test_the_demo_pdf_is_a_real_pdf_with_its_text() -> None:
    reader = pypdf.PdfReader(io.BytesIO(simple_pdf("Observation of Sam (cycle 1)")))
    assert "Observation of Sam (cycle 1)" in reader.pages[0].extract_text()


def test_the_demo_has_documents_attached_to_cycles(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    documents = Document.objects.all()
    assert documents.count() == 8
    assert all(document.attached_to.startswith("cycle:") for document in documents)
    assert all(document.file.read().startswith(b"%PDF-") for document in documents)
