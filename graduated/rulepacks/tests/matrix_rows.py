"""The rule pack's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The LA's officers and admins read its pack; only its admins change it (MANAGE_LOCAL_RULES). A
setting's SENCO and senior leaders read their LA's pack in force. The readiness page shows pupil
data: those who see the whole record; the linked teacher and TA reach the pupil but not this (403).
"""

from datetime import date
from typing import Any

from graduated.lib.testing import World
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.pathway.services import stages_for
from graduated.rulepacks import services
from graduated.rulepacks.models import RuleKind, RulePack, Step
from graduated.rulepacks.tests.factories import ACTOR, published, rule

LA_READERS = personas("officer_north", "la_admin_north")
LA_ADMIN = personas("la_admin_north")
FOREIGN_OFFICER = personas("officer_south")
LEADERS_A = personas("senco_a", "head_a")


def _la(world: World, side: str) -> Any:
    return world.la_north if side == "own" else world.la_south


def _draft(world: World, side: str) -> list[Any]:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=_la(world, side))
    return [draft.local_authority_id]


def _version(world: World, side: str) -> list[Any]:
    pack = published(_la(world, side), [rule(RuleKind.EVIDENCE_TERMS, 2)])
    return [pack.local_authority_id, pack.number]


def _rule(world: World, side: str) -> list[Any]:
    draft, _ = services.start_draft(actor=ACTOR, local_authority=_la(world, side))
    added = services.add_rule(
        actor=ACTOR, pack=draft, details=rule(RuleKind.EVIDENCE_TERMS, 2), expected_version=draft.version
    )
    return [draft.local_authority_id, added.pk]


def _draft_version(args: list[Any]) -> int:
    return RulePack.objects.get(local_authority_id=args[0], status="draft").version


def _words(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {
        "response_name": "Graduated Approach", "person_centred_plan_name": "My Support Plan",
        "sen_support_plan_name": "SEN support plan", "one_page_profile_name": "One-page profile",
        "enhanced_step_name": "referral to the district hub", "plan_review_months": "4",
        "under_five_review_months": "6", "change_note": "", "version": _draft_version(args),
    }  # fmt: skip


def _rule_form(world: World, args: list[Any], side: str) -> dict[str, Any]:
    details = rule(RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED)
    return {**details, "version": _draft_version(args)}


def _version_only(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": _draft_version(args)}


def _publish(world: World, args: list[Any], side: str) -> dict[str, Any]:
    day = date(2026, 9, 1)
    return {"effective_from_0": day.day, "effective_from_1": day.month, "effective_from_2": day.year,
            "change_note": "First version", "version": _draft_version(args)}  # fmt: skip


def _stages(world: World, args: list[Any], side: str) -> dict[str, Any]:
    stages = stages_for(_la(world, side))
    data: dict[str, Any] = {"seen": services.stages_token(stages)}
    for stage in stages:
        data[f"name_{stage.key}"], data[f"order_{stage.key}"] = stage.name, str(stage.order)
    return data


TARGETS = {"rulepack_draft": _draft, "rulepack_version": _version, "rulepack_rule": _rule}

ROWS = [
    Row("rulepacks:pack", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("rulepacks:version", "GET", "rulepack_version", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("rulepacks:start_draft", "POST", "la", own=LA_ADMIN),
    Row("rulepacks:draft", "GET", "rulepack_draft", own=LA_ADMIN),
    Row("rulepacks:draft", "POST", "rulepack_draft", own=LA_ADMIN, data=_words),
    Row("rulepacks:add_rule", "GET", "rulepack_draft", own=LA_ADMIN),
    Row("rulepacks:add_rule", "POST", "rulepack_draft", own=LA_ADMIN, data=_rule_form),
    Row("rulepacks:change_rule", "GET", "rulepack_rule", own=LA_ADMIN),
    Row("rulepacks:change_rule", "POST", "rulepack_rule", own=LA_ADMIN, data=_rule_form),
    Row("rulepacks:remove_rule", "POST", "rulepack_rule", own=LA_ADMIN, data=_version_only),
    Row("rulepacks:publish", "POST", "rulepack_draft", own=LA_ADMIN, data=_publish),
    Row("rulepacks:stages", "GET", "la", own=LA_ADMIN),
    Row("rulepacks:stages", "POST", "la", own=LA_ADMIN, data=_stages),
    Row("rulepacks:setting_rules", "GET", "setting", own=LEADERS_A, foreign=personas("senco_c")),
    Row("rulepacks:readiness", "GET", "pupil", own=LEADERS_A, foreign=personas("senco_c"),
        forbidden=personas("teacher_a", "ta_a")),
]  # fmt: skip
