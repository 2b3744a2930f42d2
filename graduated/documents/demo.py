"""Demo documents: a short report on each of a few Millbeck pupils' cycles, so the documents
pages and the cycle pages show something. Each is a small, real PDF made here (no PDF library
needed), deterministic, stored like any upload.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from graduated.audit.services import Actor
from graduated.documents import services
from graduated.documents.content_types import PDF
from graduated.support.models import Cycle

MILLBECK_URN = "146208"
REPORTS = 8


def simple_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of text, with a correct cross-reference table."""
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 56 780 Td ({safe}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def load_demo_data() -> dict[str, int]:
    cycles = Cycle.objects.filter(setting__urn=MILLBECK_URN).select_related("pupil").order_by("pupil_id", "number")
    actor = Actor.system("demo")
    made = 0
    for cycle in cycles[:REPORTS]:
        pupil = cycle.pupil
        title = f"Classroom observation, cycle {cycle.number}"
        text = f"Classroom observation of {pupil.display_name} for support cycle {cycle.number}."
        upload = SimpleUploadedFile(f"observation-cycle-{cycle.number}.pdf", simple_pdf(text), "application/pdf")
        services.add_document(
            actor=actor, pupil=pupil, upload=upload, file_type=PDF, title=title, kind="assessment",
            dated=cycle.started_on + timedelta(days=7), attached_to=f"cycle:{cycle.pk}",
        )  # fmt: skip
        made += 1
    return {"documents": made}
