"""Outlier rules: each a threshold, a least number to look at, and a sentence saying why."""

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from graduated.ehc.models import Stage
from graduated.lib.testing import World
from graduated.organisations.models import Setting
from graduated.oversight import outliers, summaries, views
from graduated.oversight.figures import Costs, Counts, Health, Requests, SettingFigures
from graduated.oversight.outliers import RULES, Baseline, flags_for
from graduated.oversight.tests.scenario import TODAY, build

LA_SHARE = Baseline(Decimal("16.0"), "the summer 2026 term")


def _figures(**parts: object) -> SettingFigures:
    return SettingFigures(setting=Setting(name="Elm School"), area="", **parts)  # type: ignore[arg-type]


def _codes(figures: SettingFigures, baseline: Baseline | None = LA_SHARE) -> list[str]:
    return [flag.code for flag in flags_for(figures, baseline)]


def test_nsa_used_widely_says_why_in_the_settings_own_figures() -> None:
    figures = _figures(counts=Counts(200, 20, 2), health=Health(nsa=5))  # 25% of 20 on SEN support
    [flag] = flags_for(figures, LA_SHARE)
    assert (flag.code, flag.title) == ("nsa", "NSA used widely")
    assert flag.reason == (
        "25.0% of the pupils on SEN support (5 of 20) have NSA as their primary need: SEN support with no "
        "specialist assessment of their type of need. The rule flags 20% or more."
    )


def test_a_share_at_the_threshold_is_flagged_and_just_under_it_is_not() -> None:
    assert "without_plan" in _codes(_figures(counts=Counts(100, 8, 0), health=Health(without_plan=2)))  # 25%
    assert "without_plan" not in _codes(_figures(counts=Counts(100, 9, 0), health=Health(without_plan=2)))  # 22%


def test_too_few_to_mean_anything_is_never_flagged() -> None:
    """4 on SEN support, all NSA, none with a plan: under each rule's least number."""
    assert _codes(_figures(counts=Counts(20, 4, 0), health=Health(nsa=4, without_plan=4))) == []


def test_the_register_against_the_las_share() -> None:
    high = _figures(counts=Counts(100, 20, 5))  # 25.0%: 1.6 times 16.0%
    [flag] = flags_for(high, LA_SHARE)
    assert flag.code == "register_high"
    assert flag.reason == (
        "25.0% of pupils are on the SEN register (25 of 100), 1.6 times the local authority's 16.0% at the end of "
        "the summer 2026 term. The rule flags 1.5 times or more."
    )
    assert _codes(_figures(counts=Counts(100, 7, 1))) == ["register_low"]  # 8.0%: 0.5 times
    assert _codes(_figures(counts=Counts(100, 14, 2))) == []  # 16.0%: the LA's own share
    assert _codes(high, baseline=None) == []  # no term figures yet: nothing to compare with


def test_plans_costs_and_requests() -> None:
    figures = _figures(
        counts=Counts(100, 10, 2), health=Health(doing=8, reviews_overdue=2),
        costs=Costs(known=True, provisions=10, not_costed=2),
        requests=Requests(Counter({Stage.NOT_ASSESSING: 2, Stage.ASSESSING: 1, Stage.FINAL: 1, Stage.RECEIVED: 3})),
    )  # fmt: skip
    assert _codes(figures) == ["reviews_overdue", "not_costed", "not_assessed"]
    assert _codes(replace(figures, costs=Costs(known=False, provisions=10, not_costed=10))) == [
        "reviews_overdue", "not_assessed",
    ]  # fmt: skip


def test_every_rule_has_a_threshold_a_least_number_and_a_sentence() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert rule.threshold > 0 and rule.minimum > 0 and rule.reason.endswith(".")
        assert "{threshold}" in rule.reason


def test_the_dashboard_lists_the_rules_met_and_the_setting_says_why(
    world: World, client_for: Callable[..., Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the least numbers lowered for the small Northshire, Ash's NSA pupil (1 of 2) is flagged."""
    build(world)
    summaries.rebuild(local_authority=world.la_north, today=TODAY)
    monkeypatch.setattr(views, "today", lambda: TODAY)
    monkeypatch.setattr(outliers, "RULES", tuple(replace(rule, minimum=1) for rule in RULES if rule.code == "nsa"))
    client = client_for(world.officer_north)
    page = client.get(reverse("oversight:dashboard", args=[world.la_north.pk])).content.decode()
    assert "NSA used widely: 1 setting" in page
    setting = client.get(reverse("oversight:setting", args=[world.setting_a.pk])).content.decode()
    assert "50.0% of the pupils on SEN support (1 of 2) have NSA as their primary need" in setting
