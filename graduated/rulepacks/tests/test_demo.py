from datetime import date

from graduated.organisations.models import LocalAuthority
from graduated.rulepacks import demo, selectors
from graduated.rulepacks.models import RuleKind, RulePack, Step


def test_two_example_packs_modelled_on_local_practice_loaded_once(db: None) -> None:
    north = LocalAuthority.objects.create(name="Northshire", code="860")
    south = LocalAuthority.objects.create(name="Southborough", code="931")
    assert demo.load_demo_data() == {"rule pack versions": 3}

    north_now = selectors.in_force(north, date(2026, 11, 1))
    assert north_now is not None and north_now.number == 2 and north_now.response_name == "Graduated Approach"
    assert [(r.kind, r.parameter) for r in north_now.rules.all()] == [
        (RuleKind.PCP_MEETING_HELD, None), (RuleKind.SUPPORT_PLAN_BEFORE_REQUEST, None),
        (RuleKind.EVIDENCE_TERMS, 2), (RuleKind.PARENT_MEETINGS_PER_YEAR, 3),
    ]  # fmt: skip
    north_before = selectors.in_force(north, date(2025, 8, 31))
    assert north_before is not None and north_before.number == 1 and north_before.rules.count() == 3

    south_now = selectors.in_force(south, date(2026, 11, 1))
    assert south_now is not None and south_now.enhanced_step_name == "referral to the district hub"
    assert [(r.kind, r.parameter, r.step) for r in south_now.rules.all()] == [
        (RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED), (RuleKind.SPECIALIST_BEFORE_PCP, None, Step.PCP),
    ]  # fmt: skip
    assert all("example.org" in r.source_reference or "http" not in r.source_reference for r in south_now.rules.all())

    assert demo.load_demo_data() == {"rule pack versions": 0}  # run again: nothing added
    assert RulePack.objects.count() == 3
