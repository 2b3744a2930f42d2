from datetime import date, timedelta

from graduated.assessment_requests.content import attainment, request_outline
from graduated.assessment_requests.tests import factories
from graduated.lib.exports import Facts, Paragraphs, Table
from graduated.lib.testing import World
from graduated.rulepacks.models import Step
from graduated.rulepacks.readiness import readiness
from graduated.specialists.tests import factories as specialist_factories
from graduated.statutory.clock import months_after
from graduated.support.exports import cycles_for_export
from graduated.support.models import EvidencePoint
from graduated.support.tests import factories as support_factories

TODAY = date(2026, 12, 2)


def _sections(outline: object) -> dict[str, list[object]]:
    return {section.heading: section.blocks for section in outline.sections}  # type: ignore[attr-defined]


def test_attainment_shows_the_latest_result_and_those_nearest_6_and_12_months_ago(world: World) -> None:
    cycle = support_factories.reviewed_cycle(world.p1)  # its YARC score is from 2 September 2024
    for taken_on, score in [(date(2025, 12, 20), 6), (date(2026, 2, 1), 7), (date(2026, 6, 10), 8),
                            (date(2026, 11, 20), 9), (date(2026, 12, 10), 99)]:  # fmt: skip
        EvidencePoint.objects.create(cycle=cycle, taken_on=taken_on, kind="attainment", name="Spelling", score=score)
    rows = {row.name: row for row in attainment(cycles_for_export(world.p1), TODAY)}
    spelling = rows["Spelling"]
    # Now: the latest up to today (not the one dated after it). About 6 months ago (2 June, within 3 months
    # either side): 10 June. About 12 months ago (2 December 2025, from 3 months before to the day before the
    # 6-month window): 20 December, nearer than 1 February.
    assert (spelling.now.score, spelling.six_months.score, spelling.twelve_months.score) == (9, 8, 6)  # type: ignore[union-attr]
    yarc = rows["YARC"]
    assert (yarc.now.taken_on, yarc.six_months, yarc.twelve_months) == (date(2024, 9, 2), None, None)


def test_the_outline_holds_every_part_of_the_request(world: World) -> None:
    factories.rich_record(world.p1, TODAY)
    prepared = factories.ready(world.p1, TODAY)
    results = readiness(world.p1, step=Step.REQUEST, on=TODAY, local_authority=world.la_north)
    sections = _sections(request_outline(prepared, TODAY, results))
    assert list(sections)[:8] == [
        "The child or young person", "People with parental responsibility", "Views",
        "Strengths and needs by broad area", "Attainment over the last year", "Attendance",
        "Professionals involved in the last 18 months", "Support needed beyond ordinarily available provision",
    ]  # fmt: skip
    attainment_table = sections["Attainment over the last year"][0]
    assert isinstance(attainment_table, Table)
    reading = next(row for row in attainment_table.rows if row[0] == "Reading age")
    assert reading[1:] == ["7.2 years (2 November 2026)", "6.9 years (2 June 2026)", "6.5 years (2 December 2025)",
                           "9 years"]  # fmt: skip
    facts = sections["Attendance"][0]
    assert isinstance(facts, Facts) and facts.rows == [("This school year", "91.5%"), ("Last school year", "94.0%")]
    referrals = sections["Professionals involved in the last 18 months"][0]
    assert isinstance(referrals, Table) and referrals.rows[0][0] == "Educational Psychology Service"
    assert referrals.rows[0][-1] == "Phonological awareness work daily."
    headings = list(sections)
    assert any(h.startswith("My Support Plan (version 1") for h in headings)
    assert any(h.startswith("Cycle 1: Ash Primary School") for h in headings)
    assert any(h.startswith("Costed provision map: 2 December 2025 to 2 December 2026") for h in headings)
    reports = sections["Reports from the last 12 months"][0]
    assert isinstance(reports, Table)
    assert reports.rows == [["Educational psychology report", "Report from a specialist", "23 October 2026",
                             "Appended to this bundle"]]  # fmt: skip
    consent = sections["Consent"][0]
    assert isinstance(consent, Facts)
    assert consent.rows[0] == ("Consent to the request given by",
                               "Rosa One (A parent or carer with parental responsibility)")  # fmt: skip


def test_old_referrals_and_reports_and_other_documents_are_left_out(world: World) -> None:
    old = TODAY - timedelta(days=600)  # about 20 months
    specialist_factories.referral(world.p1, consent_on=old - timedelta(days=7), referred_on=old)
    factories.add_report(world.p1, "Old report", months_after(TODAY, -13))
    factories.add_report(world.p1, "A letter", TODAY - timedelta(days=5), kind="letter")
    sections = _sections(request_outline(factories.started(world.p1), TODAY, []))
    professionals = sections["Professionals involved in the last 18 months"][0]
    assert isinstance(professionals, Paragraphs) and professionals.texts == ["No referrals in the last 18 months."]
    reports = sections["Reports from the last 12 months"][0]
    assert isinstance(reports, Paragraphs) and "No specialists' reports" in reports.texts[0]
    assert sections["The local authority's local rules"][1] == Paragraphs(["No local rules apply."])
