"""Two example rule packs, modelled on published local practice (domain.md §10).

Northshire (like Hull): "Graduated Approach"; a person-centred planning meeting, a My Support Plan
and two terms of evidenced interventions before a request for an EHC needs assessment. Version 2
adds three meetings with parents a year. Southborough (like Staffordshire): "Graduated Response";
two completed APDR cycles before a referral to the district hub, and a specialist involved before a
person-centred planning meeting.

Sources are the LAs' own (invented) guidance documents, linked on example.org. Deterministic, and
idempotent: an LA that already has a rule pack is left alone. Everything goes through the
services, as the LA's admin would type it.
"""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Membership, Role
from graduated.rulepacks import services
from graduated.rulepacks.models import RuleKind, RulePack, Step

NORTHSHIRE_GUIDE = "Northshire Graduated Approach: guidance for settings (2024)"
SOUTHBOROUGH_GUIDE = "Southborough Graduated Response toolkit (2025)"


def _rule(kind: str, parameter: int | None, step: str, explanation: str, source: str, reference: str) -> dict[str, Any]:
    return {
        "kind": kind, "parameter": parameter, "step": step, "explanation": explanation,
        "source_name": source, "source_reference": reference,
    }  # fmt: skip


NORTHSHIRE_WORDS = {
    "response_name": "Graduated Approach", "person_centred_plan_name": "My Support Plan",
    "sen_support_plan_name": "SEN support plan", "one_page_profile_name": "One-page profile",
    "enhanced_step_name": "referral to the inclusion hub", "plan_review_months": 4,
}  # fmt: skip
NORTHSHIRE_RULES = [
    _rule(RuleKind.PCP_MEETING_HELD, None, Step.REQUEST,
          "A person-centred planning meeting brings the family, the pupil and the professionals together to agree "
          "outcomes before the local authority is asked to assess.",
          NORTHSHIRE_GUIDE, "https://example.org/northshire/graduated-approach#pcp"),
    _rule(RuleKind.SUPPORT_PLAN_BEFORE_REQUEST, None, Step.REQUEST,
          "The panel reads the My Support Plan to see what has been agreed and tried at SEN support.",
          NORTHSHIRE_GUIDE, "section 5.1"),
    _rule(RuleKind.EVIDENCE_TERMS, 2, Step.REQUEST,
          "Two terms of evidenced interventions show the pupil's response to support over time, not a single "
          "snapshot.",
          NORTHSHIRE_GUIDE, "section 5.3"),
]  # fmt: skip
NORTHSHIRE_PARENT_MEETINGS = _rule(
    RuleKind.PARENT_MEETINGS_PER_YEAR, 3, Step.REQUEST,
    "The SEND Code of Practice (6.65) expects settings to meet parents of pupils on SEN support at least three "
    "times a year; the panel looks for the family's voice in each.",
    NORTHSHIRE_GUIDE, "section 3.4",
)  # fmt: skip

SOUTHBOROUGH_WORDS = {
    "response_name": "Graduated Response", "person_centred_plan_name": "My Support Plan",
    "sen_support_plan_name": "APDR plan", "one_page_profile_name": "Pupil profile",
    "enhanced_step_name": "referral to the district hub", "plan_review_months": 4,
}  # fmt: skip
SOUTHBOROUGH_RULES = [
    _rule(RuleKind.MIN_COMPLETED_CYCLES, 2, Step.ENHANCED,
          "The district hub (Enhanced APDR) expects at least two purposeful APDR cycles, reviewed, so that it "
          "builds on what the setting has already tried.",
          SOUTHBOROUGH_GUIDE, "https://example.org/southborough/district-hubs"),
    _rule(RuleKind.SPECIALIST_BEFORE_PCP, None, Step.PCP,
          "A specialist's advice (seen in person, or a written report) should inform the person-centred planning "
          "meeting.",
          SOUTHBOROUGH_GUIDE, "page 12"),
]  # fmt: skip


def _admin(la: LocalAuthority) -> Actor:
    admin = Membership.objects.filter(local_authority=la, role=Role.LA_ADMIN).select_related("user").order_by("id")
    first = admin.first()
    return Actor(user=first.user if first else None, role=Role.LA_ADMIN, local_authority_id=la.pk)


def _publish_version(
    actor: Actor,
    la: LocalAuthority,
    words: dict[str, Any],
    rules: list[dict[str, Any]],
    effective_from: date,
    note: str,
) -> RulePack:
    draft, _ = services.start_draft(actor=actor, local_authority=la)
    details = {**{name: getattr(draft, name) for name in services.WORD_FIELDS}, **words, "change_note": note}
    draft = services.save_words(actor=actor, pack=draft, details=details, expected_version=draft.version)
    for details in rules:
        services.add_rule(actor=actor, pack=draft, details=details, expected_version=draft.version)
        draft.refresh_from_db()
    return services.publish(
        actor=actor, pack=draft, effective_from=effective_from, change_note=note, expected_version=draft.version
    )


def load_demo_data() -> dict[str, int]:
    versions = 0
    plans = [
        ("Northshire", [
            (NORTHSHIRE_WORDS, NORTHSHIRE_RULES, date(2024, 9, 1), "First published local rules."),
            (NORTHSHIRE_WORDS, [NORTHSHIRE_PARENT_MEETINGS], date(2025, 9, 1),
             "Added three meetings with parents a year before a request."),
        ]),
        ("Southborough", [(SOUTHBOROUGH_WORDS, SOUTHBOROUGH_RULES, date(2025, 9, 1), "First published local rules.")]),
    ]  # fmt: skip
    for name, steps in plans:
        la = LocalAuthority.objects.filter(name=name).order_by("id").first()
        if la is None or RulePack.objects.filter(local_authority=la).exists():
            continue
        actor = _admin(la)
        for words, rules, effective_from, note in steps:
            # Each version after the first is copied from the one before, so only new rules are added.
            _publish_version(actor, la, words, rules, effective_from, note)
            versions += 1
    return {"rule pack versions": versions}
