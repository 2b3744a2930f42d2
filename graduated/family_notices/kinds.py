"""Which chronology kinds a family hears about, each in plain words: the one list to change.

Every ``ChronologyKind`` is decided here, once: either family-visible (with its sentence, on the
family's timeline and in their e-mails) or staff-only (with the reason). A test fails when a new
kind is in neither, so nobody adds a kind without deciding whether families hear about it.

A sentence is written for a parent reading on a phone: short, no codes, no "cycle". ``{whose}``
becomes "Priya's" (or "your", for a young person reading about themselves) and ``{child}`` "Priya"
(or "you"); the first letter is made a capital.
"""

from dataclasses import dataclass

from graduated.pupils.models import ChronologyKind as K


@dataclass(frozen=True)
class Wording:
    sentence: str
    # False for a kind shown on the timeline but never e-mailed on its own (see PARENTS_NOTIFIED).
    emailed: bool = True


FAMILY_VISIBLE: dict[str, Wording] = {
    K.PLAN_AGREED: Wording("{whose} new plan was agreed"),
    K.OUTCOME_ADDED: Wording("{whose} plan has a new aim"),
    # The entry records that the school told the family (by letter, at a meeting...), so an e-mail
    # saying so repeats it; it is written beside "plan agreed", whose e-mail says it all.
    K.PARENTS_NOTIFIED: Wording("the school told your family about {whose} support", emailed=False),
    K.REVIEW_RECORDED: Wording("the school looked at how {whose} plan went"),
    K.PROFILE_UPDATED: Wording("{whose} one-page profile was updated"),
    K.MEETING_SHARED: Wording("the notes of a meeting about {child} were shared with you"),
    K.SUPPORT_PLAN_AGREED: Wording("{whose} My Support Plan was agreed"),
    K.REFERRAL_MADE: Wording("the school asked a specialist service to help {child}"),
    K.SPECIALIST_REPORT_RECEIVED: Wording("a report from a specialist about {child} came in"),
    K.EHC_REQUEST_RECEIVED: Wording("the council was asked to check if {child} needs an EHC plan"),
    K.EHC_ASSESSMENT_DECIDED: Wording("the council decided whether to check if {child} needs an EHC plan"),
    K.EHC_ADVICE_REQUESTED: Wording("the council asked someone who knows {child} for advice"),
    K.EHC_ADVICE_RECEIVED: Wording("the council got advice about {child}"),
    K.EHC_NOT_TO_ISSUE: Wording("the council decided not to make an EHC plan for {child}"),
    K.EHC_REQUEST_WITHDRAWN: Wording("the request to check if {child} needs an EHC plan was withdrawn"),
    K.EHC_DRAFT_PLAN: Wording("the council sent a first version of {whose} EHC plan, for you to comment on"),
    K.EHC_FINAL_PLAN: Wording("the council sent {whose} final EHC plan"),
    K.EHC_REVIEW_MEETING: Wording("the yearly meeting about {whose} EHC plan was held"),
    K.EHC_REVIEW_DECIDED: Wording("the council decided what happens next with {whose} EHC plan"),
    K.EHC_PLAN_CEASED: Wording("{whose} EHC plan has ended"),
}

# Kinds families never hear about, and why (a family sees none of these on their pages either).
STAFF_ONLY: dict[str, str] = {
    K.ENROLLED: "administration: the family knows where their child goes",
    K.LEFT: "administration, and the family's access ends with it",
    K.RECORD_TRANSFERRED: "administration between settings",
    K.DECLARED_AT_ENTRY: "a code the college records",
    K.STATUS_CHANGED: "SEN status codes; the family hears about the plan itself",
    K.NEED_RECORDED: "need codes are staff working notes",
    K.NEED_ENDED: "need codes are staff working notes",
    K.DETAILS_CHANGED: "administration",
    K.STAFF_LINKED: "staff working arrangements",
    K.STAFF_UNLINKED: "staff working arrangements",
    K.CONCERN_RAISED: "a concern is staff-only until it becomes support",
    K.CONCERN_DECIDED: "a concern is staff-only until it becomes support",
    K.STAGE_CHANGED: "the LA's pathway stages are staff terms",
    K.CYCLE_STARTED: "the family hears once the plan is agreed",
    K.FAMILY_RESPONDED: "the family's own answer",
    K.FAMILY_CONSENTED: "the family's own answer",
    K.MEETING_HELD: "a meeting record reaches the family only when shared (MEETING_SHARED)",
    K.DOCUMENT_ADDED: "documents are staff-only unless the school shares them",
    K.TOP_UP_SUBMITTED: "funding",
    K.TOP_UP_DECIDED: "funding",
    K.FUNDING_AWARDED: "funding",
}

EMAILED_KINDS = frozenset(kind for kind, wording in FAMILY_VISIBLE.items() if wording.emailed)

# Kinds whose sentences name an EHC plan: their e-mails say once what one is.
EHC_KINDS = frozenset(kind for kind in FAMILY_VISIBLE if kind.startswith("ehc_"))
EHC_EXPLAINED = (
    "An EHC plan (Education, Health and Care plan) sets out the help a child needs, which the council must make sure "
    "they get."
)


def sentence(kind: str, *, first_name: str, young_person: bool) -> str:
    """The family's sentence for ``kind``, about the child (or, for a young person, about them)."""
    wording = FAMILY_VISIBLE[kind]
    text = wording.sentence.format(
        whose="your" if young_person else f"{first_name}'s", child="you" if young_person else first_name
    )
    return text[:1].upper() + text[1:]
