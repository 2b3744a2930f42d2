"""The provision maps as files: the spreadsheet and the PDF hold the same totals as the page."""

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pypdf
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from graduated.audit.models import AuditEvent
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.provision.models import TierName
from graduated.provision.tests.factories import catalogue_item
from graduated.provision.tests.group_factories import hourly_costs, make_group, place
from graduated.support.models import Cycle, CycleStatus, Provision

ClientFor = Callable[..., Client]
YEAR = {"year": "2026"}


def _build(world: World) -> None:
    """A phonics group of four (£66.50 each) and P1's daily one-to-one teaching (£9,750.00)."""
    hourly_costs(world.setting_a, teaching_assistant="20.00", specialist_teacher="50.00")
    TierName.objects.create(local_authority=world.la_north, tier="targeted", name="Targeted support")
    item = catalogue_item(
        world.setting_a, "Phonics catch-up group", group_size=4, sessions_per_week=2, minutes_per_session=30,
        resources_cost=Decimal("60.00"),
    )  # fmt: skip
    group = make_group(item)
    for n in range(4):
        place(group, make_pupil(world.setting_a, f"Pupil{n}", "Group", date_of_birth=date(2018, 1, 10)))
    cycle = Cycle.objects.create(
        pupil=world.p1, setting=world.setting_a, number=1, status=CycleStatus.DO, started_on=date(2026, 9, 1)
    )
    Provision.objects.create(
        cycle=cycle, kind="intervention", description="=HYPERLINK(\"http://example.org\") daily teaching",
        staff_role="specialist_teacher", sessions_per_week=5, minutes_per_session=60, group_size=1,
    )  # fmt: skip


def _sheet_rows(content: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content))
    sheets = {}
    for worksheet in workbook.worksheets:
        assert worksheet.freeze_panes == "A2", f"{worksheet.title}: the header row is not frozen"
        cells = [cell for row in worksheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], f"{worksheet.title} holds formulas"
        sheets[worksheet.title] = [[cell.value for cell in row] for row in worksheet.iter_rows()]
    return sheets


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _pounds(text: str) -> Decimal:
    return Decimal(text.replace("£", "").replace(",", ""))


def test_the_setting_maps_spreadsheet_holds_the_pages_totals(world: World, client_for: ClientFor) -> None:
    _build(world)
    client = client_for(world.senco_a)
    page = client.get(reverse("provision:setting_map", args=[world.setting_a.pk]), YEAR).content.decode()
    response = client.get(reverse("provision:setting_map_export", args=[world.setting_a.pk, "xlsx"]), YEAR)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheets = _sheet_rows(response.content)
    assert list(sheets) == [
        "Summary", "Grid", "Interventions", "By area", "By year group", "By tier", "By staff role", "Over £6,000",
    ]  # fmt: skip

    # The grid: the same pupils, cells and totals as the page, as numbers in pounds.
    page_grid = table_rows(page, "Cost of each intervention for each pupil")
    xlsx_grid = sheets["Grid"]
    assert xlsx_grid[0] == page_grid[0]
    assert [row[0] for row in xlsx_grid] == [row[0] for row in page_grid]
    assert xlsx_grid[-1][-2] == _pounds(page_grid[-1][-2]) == Decimal("10016.00")  # 4 × £66.50 + £9,750.00
    # The description that looks like a formula stays text, in a column of its own.
    assert xlsx_grid[0][2].startswith('=HYPERLINK("http://example.org")')

    # Each totals sheet: the same labels and amounts as the page's table.
    for name, caption in [
        ("By area", "Totals by broad area of need"), ("By year group", "Totals by year group"),
        ("By tier", "Totals by tier"), ("By staff role", "Totals by staff role"),
    ]:  # fmt: skip
        on_page = table_rows(page, caption)
        in_file = sheets[name]
        assert [row[0] for row in in_file] == [row[0] for row in on_page], name
        assert [row[-1] for row in in_file[1:]] == [_pounds(row[-1]) for row in on_page[1:]], name
    assert [row[0] for row in sheets["By tier"]] == ["Tier", "Targeted support", "Not from the catalogue", "Total"]
    assert sheets["Over £6,000"][1] == ["Priya One", "Year 6", Decimal("9750"), Decimal("3750")]
    summary = dict(row for row in sheets["Summary"][1:])
    assert summary["Total cost"] == Decimal("10016")
    assert AuditEvent.objects.filter(action="export", object_type="setting provision map").count() == 1


def test_the_setting_maps_pdf_holds_the_pages_totals(world: World, client_for: ClientFor) -> None:
    _build(world)
    client = client_for(world.head_a)
    page = client.get(reverse("provision:setting_map", args=[world.setting_a.pk]), YEAR).content.decode()
    response = client.get(reverse("provision:setting_map_export", args=[world.setting_a.pk, "pdf"]), YEAR)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Provision map: Ash Primary School Academic year 2026/27 (1 September 2026 to 31 August 2027)" in text
    for caption in ("Totals by broad area of need", "Totals by tier", "Totals by staff role", "Totals by year group"):
        for row in table_rows(page, caption)[1:]:
            assert " ".join(row).replace("  ", " ").strip() in text, (caption, row)
    assert "Priya One Year 6 Total £9,750.00" in text
    assert "Total cost £10,016.00" in text


def test_a_pupils_map_as_a_spreadsheet_and_a_pdf(world: World, client_for: ClientFor) -> None:
    _build(world)
    client = client_for(world.senco_a)
    url = reverse("provision:pupil_map", args=[world.p1.pk])
    page = client.get(url, YEAR).content.decode()
    page_total = table_rows(page, "Provision and its cost")[-1][-1]
    assert page_total == "£9,750.00"

    xlsx = client.get(reverse("provision:pupil_map_export", args=[world.p1.pk, "xlsx"]), YEAR)
    sheets = _sheet_rows(xlsx.content)
    assert list(sheets) == ["Provision", "Summary"]
    assert sheets["Provision"][-1][0] == "Total additional support"
    assert sheets["Provision"][-1][-1] == _pounds(page_total)
    assert sheets["Provision"][1][6] == (
        "5 sessions a week × 60 minutes × £50.00 an hour (specialist teacher) = £250.00 a week × 39.0 weeks "
        "= £9,750.00. Weeks counted, 1 September 2026 to 31 August 2027: 365 days × 39 ÷ 365 = 39.0 (no term "
        "dates recorded for 2026/27, so 39 weeks a year spread evenly)."
    )
    assert dict(row for row in sheets["Summary"][1:])["Above the £6,000 met from the notional SEN budget"] == 3750

    pdf = client.get(reverse("provision:pupil_map_export", args=[world.p1.pk, "pdf"]), YEAR)
    text = _pdf_text(pdf.content)
    assert "Costed provision map: Priya One" in text
    assert "Total additional support £9,750.00" in text
    assert "may be requested from the local authority as element 3 top-up" in text
    exports = AuditEvent.objects.filter(action="export", pupil_id=world.p1.pk, object_type="costed provision map")
    assert exports.count() == 2
