"""What the family said before a review, gathered for the SENCO's review form (graduated.support):
the family's views in their own words, their photos and notes, the child's own form, and each
one's sense of how every outcome is going."""

from typing import Any

from graduated.families.child_form import add_child_feelings, answered_for
from graduated.families.evidence import evidence_for
from graduated.families.models import ViewsRequest
from graduated.families.views_services import answers_for, feelings_by_outcome
from graduated.support.models import Cycle


def for_review(cycle: Cycle) -> dict[str, Any]:
    """``family_views``, ``family_evidence``, ``child_answers`` and ``feelings`` (outcome id ->
    [(who, how it is going)])."""
    asked = ViewsRequest.objects.filter(cycle=cycle).first()
    views = answers_for(cycle)
    child_answers = answered_for(asked)
    feelings = feelings_by_outcome(views)
    add_child_feelings(feelings, child_answers)
    return {"family_views": views, "family_evidence": evidence_for(asked), "child_answers": child_answers,
            "feelings": feelings}  # fmt: skip
