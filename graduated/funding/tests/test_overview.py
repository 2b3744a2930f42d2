import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pypdf
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.funding import services
from graduated.funding.models import AwardKind
from graduated.funding.tests.factories import costed_provision, decided, draft, submitted
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.pupils.models import Pupil
from graduated.support.tests.factories import ACTOR

ClientFor = Callable[..., Client]
YEAR_2023 = (date(2023, 9, 1), date(2024, 8, 31))
YEAR_2024 = (date(2024, 9, 1), date(2025, 8, 31))


def _award(pupil: Pupil, kind: str, amount: str, period_from: date) -> None:
    setting = pupil.enrolments.first().setting  # type: ignore[union-attr]
    services.record_award(
        actor=ACTOR, pupil=pupil, setting=setting,
        details={"kind": kind, "amount": Decimal(amount), "period_from": period_from,
                 "period_to": date(period_from.year + 1, 8, 31), "awarded_on": period_from, "note": ""},
    )  # fmt: skip


def _records(world: World) -> None:
    decided(world.p1, approved=True, amount="4200", period=YEAR_2023, amount_requested=Decimal("5000"))
    decided(world.p2, approved=False, period=YEAR_2023, amount_requested=Decimal("1500"))
    submitted(world.p1, YEAR_2024, amount_requested=Decimal("3000"))
    # The last day of August still belongs to the academic year that began the September before.
    submitted(world.p2, (date(2025, 8, 31), date(2025, 9, 30)), amount_requested=Decimal("700.50"))
    draft(world.p1, YEAR_2024, amount_requested=Decimal("9999"))  # not asked for yet: not counted
    _award(world.p1, AwardKind.SEN_INCLUSION_FUND, "1200", date(2024, 9, 1))
    _award(world.p2, AwardKind.SEN_INCLUSION_FUND, "300", date(2025, 1, 6))
    _award(world.p2, AwardKind.DISABILITY_ACCESS_FUND, "938", date(2024, 9, 1))
    _award(world.p2, AwardKind.DISABILITY_ACCESS_FUND, "938", date(2025, 9, 1))
    submitted(world.p4, YEAR_2024, amount_requested=Decimal("1000000"))  # another setting's


def test_totals_per_academic_year_by_hand(world: World, client_for: ClientFor) -> None:
    _records(world)
    page = client_for(world.senco_a).get(reverse("funding:setting_overview", args=[world.setting_a.pk]))
    assert page.status_code == 200
    assert table_rows(page.content.decode(), "Totals per academic year") == [
        ["Academic year", "Top-up requested", "Approved", "Declined", "Awaiting a decision", "Drafts",
         "SEN inclusion fund", "Disability Access Fund"],
        ["2023/24", "£6,500.00", "£4,200.00", "£1,500.00", "£0.00", "0", "£0.00", "£0.00"],
        ["2024/25", "£3,700.50", "£0.00", "£0.00", "£3,700.50", "1", "£1,500.00", "£938.00"],
        ["2025/26", "£0.00", "£0.00", "£0.00", "£0.00", "0", "£0.00", "£938.00"],
    ]  # fmt: skip


def test_the_overview_filters_by_year_and_refuses_a_year_it_does_not_offer(world: World, client_for: ClientFor) -> None:
    _records(world)
    client = client_for(world.head_a)
    url = reverse("funding:setting_overview", args=[world.setting_a.pk])
    html = client.get(url, {"year": "2023"}).content.decode()
    assert [row[0] for row in table_rows(html, "Totals per academic year")[1:]] == ["2023/24"]
    assert [row[0] for row in table_rows(html, "Top-up applications")[1:]] == ["Priya One", "Paul Two"]  # by surname
    assert "Early years funding awards" not in html  # none began in 2023/24
    for bad in ("abc", "2019", "2023.5"):
        response = client.get(url, {"year": bad})
        assert response.status_code == 400 and "Select an academic year from the list" in response.content.decode()


def test_the_overview_writes_one_audit_event_and_its_query_count_is_fixed(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    url = reverse("funding:setting_overview", args=[world.setting_a.pk])
    submitted(world.p1, YEAR_2024)
    _award(world.p2, AwardKind.SEN_INCLUSION_FUND, "300", date(2025, 1, 6))

    def measure() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    events = AuditEvent.objects.filter(action="view", object_type="funding overview").count()
    small = measure()
    assert AuditEvent.objects.filter(action="view", object_type="funding overview").count() == events + 2
    _records(world)
    for year in range(2015, 2022):
        submitted(world.p2, (date(year, 9, 1), date(year + 1, 8, 31)))
        _award(world.p1, AwardKind.DISABILITY_ACCESS_FUND, "938", date(year, 9, 1))
    assert measure() == small


def test_the_application_downloads_as_a_tagged_pdf_with_its_map_total(world: World, client_for: ClientFor) -> None:
    costed_provision(world.p1)
    application = submitted(world.p1, YEAR_2024, amount_requested=Decimal("4500"))
    response = client_for(world.senco_a).get(reverse("funding:application_pdf", args=[world.p1.pk, application.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Top-up funding application: Priya One" in text and "£4,500.00" in text
    assert "Precision teaching of sight words" in text and "Total £389.00" in text
    assert AuditEvent.objects.filter(action="export", pupil_id=world.p1.pk).count() == 1
