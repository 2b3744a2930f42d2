"""Demo record transfers, waiting for the sending SENCO, so a newcomer can try both sides:

* Tidewell Primary School (Southborough) asks Millbeck Primary School (Northshire) for the record
  of a Year 6 pupil on SEN support who is moving there in January: senco.primary releases or
  refuses it, senco.south sees the request and, once released, the pupil with Millbeck's part.
* Northshire College asks Ravensmoor Academy for the record of a Year 11 student with SEN who
  starts in September and declared a learning difficulty on applying.

Through the service, as the receiving SENCO; deterministic (the first such pupil by id).
"""

from datetime import date

from graduated.access import actor_in
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Pupil
from graduated.pupils.selectors import in_year_group
from graduated.records import transfers
from graduated.records.models import Declaration

AS_OF = date(2026, 11, 13)  # the demo's day: year groups as on it
REQUESTS = [
    # (sending URN, receiving URN, year group, starts on, what the student declared, in their words)
    ("146208", "152964", 6, date(2027, 1, 4), [], ""),
    ("148731", "130742", 11, date(2027, 9, 6), [Declaration.LEARNING_DIFFICULTY],
     "I have dyslexia and had extra time in exams at school."),
]  # fmt: skip


def _pupil(sending: Setting, year: int) -> Pupil | None:
    enrolled = Enrolment.objects.current(AS_OF).filter(setting=sending).values("pupil_id")
    return (
        Pupil.objects.filter(in_year_group(year, AS_OF), pk__in=enrolled, upn__isnull=False)
        .filter(sen_statuses__end_date__isnull=True, sen_statuses__status=SENProvision.SEN_SUPPORT)
        .order_by("pk")
        .first()
    )


def load_demo_data() -> dict[str, int]:
    made = 0
    for sending_urn, receiving_urn, year, starts_on, declared, words in REQUESTS:
        sending, receiving = Setting.objects.get(urn=sending_urn), Setting.objects.get(urn=receiving_urn)
        pupil = _pupil(sending, year)
        senco = Membership.objects.filter(setting=receiving, role=Role.SENCO).select_related("user").first()
        if pupil is None or senco is None:
            continue
        transfers.request_record(
            actor=actor_in(senco.user, receiving), setting=receiving, upn=pupil.upn or "",
            date_of_birth=pupil.date_of_birth, starts_on=starts_on, declared=declared, declaration_notes=words,
        )  # fmt: skip
        made += 1
    return {"record transfers waiting": made}
