from datetime import date
from io import StringIO

from django.core.management import call_command

from graduated.assessment_requests import demo, services
from graduated.assessment_requests.bundles import request_documents
from graduated.assessment_requests.content import reports
from graduated.assessment_requests.models import PreparedRequest
from graduated.audit.services import Actor
from graduated.ehc.models import Stage


def test_the_demo_has_a_request_ready_to_send(db: None) -> None:
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=StringIO())
    prepared = PreparedRequest.objects.select_related("pupil", "setting").get()
    assert prepared.setting.urn == demo.MILLBECK_URN and not prepared.is_submitted
    assert services.missing_for_submission(prepared, demo.DEMO_DAY) == []
    headings = [s.heading for s in request_documents(prepared, demo.DEMO_DAY).outline.sections]
    assert any(h.startswith("Cycle 1: Millbeck Primary School") for h in headings)
    assert reports(prepared.pupil, demo.DEMO_DAY), "the demo request has reports to append"
    assert demo.load_demo_data() == {"Requests for an EHC needs assessment in preparation": 0}  # idempotent
    # Sending it works: the demo chose a pupil with no open request at the LA.
    case = services.submit(
        actor=Actor.system("test"), prepared=prepared, expected_version=prepared.version, on=date(2026, 11, 16)
    )
    assert case.stage == Stage.RECEIVED and case.requesting_setting == prepared.setting
