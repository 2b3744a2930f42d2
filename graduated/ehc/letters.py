"""The letter that tells a family the LA has refused: not to assess (reg 5(3)) or not to issue a plan
(reg 10(1)). The law asks it to give the reasons and tell the family of their right to appeal, the time
limit, mediation, disagreement resolution and where to get advice (domain.md §7; regs 5(3), 10(1)).

The appeal date is the clock's (``clock.appeal_deadline``: 2 months from the letter, or 1 month from a
mediation certificate if later), counted from the day of the decision, which is the day the letter
is taken to be sent. Advice: the LA's own SENDIASS from its services directory when it lists one,
otherwise named in general terms; IPSEA as a national source.
"""

from datetime import date

from graduated.ehc.models import EHCRequest, Stage
from graduated.lib.exports import Facts, Outline, Paragraphs, Section
from graduated.specialists.models import Service, ServiceKind
from graduated.statutory import clock

IPSEA = "IPSEA (Independent Provider of Special Education Advice), a national charity: https://www.ipsea.org.uk"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _sendiass(case: EHCRequest) -> str:
    service = Service.objects.filter(
        local_authority_id=case.local_authority_id, kind=ServiceKind.SENDIASS, is_active=True
    ).first()
    if service is None:
        return (
            f"{case.local_authority.name}'s SEND Information, Advice and Support Service (SENDIASS) gives free, "
            "impartial and confidential advice to parents and young people."
        )
    contact = ", ".join(part for part in (service.phone, service.email, service.website) if part)
    return f"{service.name}, free, impartial and confidential advice for parents and young people" + (
        f": {contact}." if contact else "."
    )


def refusal_outline(case: EHCRequest) -> Outline:
    """The letter for a refused case. ``case`` must be refused (not to assess, or not to issue)."""
    decided_on = case.refusal_date
    assert decided_on is not None and case.is_refused, "only a refusal has a refusal letter"
    la, pupil = case.local_authority, case.pupil
    appeal_by = clock.appeal_deadline(decided_on)
    if case.stage == Stage.NOT_ASSESSING:
        decision = (
            f"{la.name} has decided not to carry out an education, health and care (EHC) needs assessment for "
            f"{pupil.display_name}, following the request received on {_long(case.received_on)}."
        )
        reasons = case.assessment_decision_reasons
        what = "the decision not to assess"
    else:
        decision = (
            f"{la.name} has carried out an EHC needs assessment for {pupil.display_name} and has decided not to "
            "issue an EHC plan."
        )
        reasons = case.not_to_issue_reasons
        what = "the decision not to issue an EHC plan"
    facts = Facts([
        ("Child or young person", pupil.display_name),
        ("Date of birth", _long(pupil.date_of_birth)),
        ("Request received", _long(case.received_on)),
        ("Date of this decision", _long(decided_on)),
        ("Last day to appeal", _long(appeal_by)),
    ])  # fmt: skip
    rights = [
        Section("Your right to appeal", [Paragraphs([
            f"You can appeal against {what} to the First-tier Tribunal (Special Educational Needs and "
            "Disability), which is independent of the local authority.",
            f"You must appeal within 2 months of the date of this letter: by {_long(appeal_by)}. If you take part "
            "in mediation, you may instead appeal within 1 month of the date of the mediation certificate, if "
            "that is later.",
        ])]),
        Section("Mediation", [Paragraphs([
            "Before you appeal you must contact a mediation adviser and consider whether to try mediation. You do "
            "not have to take part in mediation, but you will need the certificate the adviser gives you to "
            "register your appeal. An appeal only about the school or other institution named in a plan does "
            "not need a certificate.",
            "The mediation adviser must give you the certificate within 3 working days of your deciding not to "
            "mediate, or within 3 working days of the end of the mediation.",
        ])]),
        Section("Disagreement resolution", [Paragraphs([
            f"{la.name} provides a free disagreement resolution service, independent of the people who made this "
            "decision, to help resolve disagreements about special educational needs. Using it does not affect "
            "your right to appeal or the time limit for it.",
        ])]),
        Section("Where to get advice", [Paragraphs([_sendiass(case), IPSEA])]),
    ]  # fmt: skip
    sections = [
        Section("The decision", [facts, Paragraphs([decision])]),
        Section("Our reasons", [Paragraphs([line for line in reasons.splitlines() if line.strip()] or [reasons])]),
        *rights,
    ]
    return Outline(
        title=f"Decision on the request for an EHC needs assessment for {pupil.display_name}",
        subtitle=f"{la.name}, {_long(decided_on)}", produced_on=decided_on, sections=sections,
    )  # fmt: skip
