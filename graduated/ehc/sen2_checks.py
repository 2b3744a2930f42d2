"""The SEN2 validation rules, run on a built return before it can be downloaded.

An **error** is something the DfE's COLLECT would reject: the return cannot be downloaded until it
is put right in the case. A **warning** is something COLLECT will query, or an item Graduated does
not hold (ethnicity, postcode, the ULN): the return can still be downloaded. Each says whose record
it is, what is wrong and where to fix it.
"""

from dataclasses import dataclass
from datetime import date

from graduated.ehc.models import EHCRequest
from graduated.ehc.sen2_codes import SEN2_NEED_TYPES, AssessmentOutcome, CeaseReason, RequestOutcome, SENSetting
from graduated.ehc.sen2_return import Row, Sen2Return

MAXIMUM_AGE = 25


@dataclass(frozen=True)
class Finding:
    rule: str  # a short code, as the tests and the page list them
    message: str
    case: EHCRequest | None = None
    error: bool = True


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _name(case: EHCRequest) -> str:
    return case.pupil.display_name


def _check_people(built: Sen2Return, findings: list[Finding]) -> None:
    reference = built.collection.reference_date
    first_case = {case.pupil_id: case for case in reversed(list(built.case_of_request.values()))}
    for person in built.rows("person"):
        case = first_case[int(person["id"])]
        birth = date.fromisoformat(person["PersonBirthDate"])
        if birth > reference:
            findings.append(Finding("1.birth", f"{_name(case)}: the date of birth is after the reference date.", case))
        if not person["UPN"]:
            findings.append(Finding(
                "1.upn", f"{_name(case)} has no UPN. COLLECT will ask for the ULN or the reason there is neither, "
                "which Graduated does not hold.", case, error=False,
            ))  # fmt: skip


def _check_request(built: Sen2Return, request: Row, findings: list[Finding]) -> None:
    case = built.case_of_request[request["id"]]
    who = _name(case)
    outcome = request["RequestOutcome"]
    if outcome not in RequestOutcome.values:
        findings.append(Finding("2.outcome", f"{who}: the request outcome {outcome!r} is not a SEN2 code.", case))
    if outcome != RequestOutcome.PENDING and not request["RequestOutcomeDate"]:
        findings.append(Finding("2.outcome-date", f"{who}: the request has an outcome but no outcome date.", case))
    if request["RequestOutcomeDate"] and request["RequestOutcomeDate"] < request["ReceivedDate"]:
        findings.append(
            Finding("2.outcome-date", f"{who}: the request's outcome is dated before it was received.", case)
        )
    if outcome != RequestOutcome.NOT_ASSESS and "1" in (request["RequestMediation"], request["RequestTribunal"]):
        findings.append(Finding(
            "2.mediation", f"{who}: mediation or a Tribunal over the decision not to assess is recorded, but the "
            "decision was not a refusal to assess. Correct it in the case's SEN2 details.", case,
        ))  # fmt: skip
    assessments = built.children("assessment", request["id"])
    if (outcome == RequestOutcome.ASSESS) != bool(assessments):
        findings.append(
            Finding("3.present", f"{who}: an assessment record must follow a decision to assess, only.", case)
        )
    for assessment in assessments:
        _check_assessment(built, case, request, assessment, findings)


def _check_assessment(
    built: Sen2Return, case: EHCRequest, request: Row, assessment: Row, findings: list[Finding]
) -> None:
    who = _name(case)
    outcome = assessment["AssessmentOutcome"]
    if assessment["AssessmentOutcomeDate"] and assessment["AssessmentOutcomeDate"] < request["RequestOutcomeDate"]:
        findings.append(
            Finding("3.date", f"{who}: the assessment's outcome is dated before the decision to assess.", case)
        )
    if outcome != AssessmentOutcome.NOT_ISSUE and "1" in (
        assessment["AssessmentMediation"],
        assessment["AssessmentTribunal"],
    ):
        findings.append(Finding(
            "3.mediation", f"{who}: mediation or a Tribunal over a decision not to issue is recorded, but no such "
            "decision was made. Correct it in the case's SEN2 details.", case,
        ))  # fmt: skip
    plans = built.children("named_plan", assessment["id"])
    if outcome == AssessmentOutcome.ISSUE and not plans:
        findings.append(
            Finding("4.present", f"{who}: the assessment ended in a plan, but there is no plan record.", case)
        )
    for plan in plans:
        _check_plan(built, case, request, plan, findings)


def _check_plan(built: Sen2Return, case: EHCRequest, request: Row, plan: Row, findings: list[Finding]) -> None:
    who = _name(case)
    if plan["CeaseDate"] and not plan["CeaseReason"]:
        findings.append(Finding(
            "4.cease-reason", f"{who}: the plan ceased on {plan['CeaseDate']} with no reason. Add it on the review "
            "that ceased the plan.", case,
        ))  # fmt: skip
    if plan["CeaseReason"] and int(plan["CeaseReason"]) not in CeaseReason.values:
        findings.append(Finding("4.cease-reason", f"{who}: {plan['CeaseReason']} is not a SEN2 cease reason.", case))
    if plan["CeaseDate"] and plan["CeaseDate"] < plan["StartDate"]:
        findings.append(Finding("4.cease-date", f"{who}: the plan ceased before it started.", case))
    details = built.children("plan_detail", plan["id"])
    if not any(detail["PlacementRank"] == "1" for detail in details):
        findings.append(
            Finding("4b.placement", f"{who}: the plan names no main placement. Add the placement on the case.", case)
        )
    for detail in details:
        _check_placement(case, detail, findings)
    for active in built.children("active_plan", request["id"]):
        _check_active_plan(built, case, active, findings)


def _check_active_plan(built: Sen2Return, case: EHCRequest, active: Row, findings: list[Finding]) -> None:
    who = _name(case)
    reference = built.collection.reference_date
    if _age_on(case.pupil.date_of_birth, reference) > MAXIMUM_AGE:
        findings.append(
            Finding("5.age", f"{who} is over {MAXIMUM_AGE} on the reference date but the plan has not ceased.", case)
        )
    placements = built.children("placement_detail", active["id"])
    day = reference.isoformat()
    current = [
        row for row in placements if row["EntryDate"] <= day and (not row["LeavingDate"] or row["LeavingDate"] >= day)
    ]
    if not any(row["PlacementRank"] == "1" for row in current):
        findings.append(Finding(
            "5b.placement", f"{who}: the active plan has no main placement on the reference date. Add or update the "
            "placement on the case.", case,
        ))  # fmt: skip
    for rank in ("1", "2"):
        if sum(row["PlacementRank"] == rank for row in current) > 1:
            findings.append(Finding(
                "5b.rank", f"{who}: more than one placement of rank {rank} on the reference date; end the old one.",
                case,
            ))  # fmt: skip
    for row in placements:
        _check_placement(case, row, findings)
    needs = built.children("sen_need", active["id"])
    if not any(row["SENtypeRank"] == "1" for row in needs):
        findings.append(
            Finding(
                "5c.need",
                f"{who}: no primary need is recorded on the reference date. Record it on the pupil's page.",
                case,
            )
        )
    for row in needs:
        if row["SENtype"] not in SEN2_NEED_TYPES:
            findings.append(Finding(
                "5c.type", f"{who}: {row['SENtype']} is not a SEN2 type of need for a plan (NSA is for SEN support "
                "only). Record the assessed need.", case,
            ))  # fmt: skip


def _check_placement(case: EHCRequest, row: Row, findings: list[Finding]) -> None:
    who = _name(case)
    given = [name for name in ("URN", "UKPRN", "SENsetting") if row[name]]
    if not given:
        findings.append(
            Finding("5b.where", f"{who}: a placement has no URN, no UKPRN and no kind of arrangement.", case)
        )
    elif row["SENsetting"] and (row["URN"] or row["UKPRN"]):
        findings.append(
            Finding("5b.where", f"{who}: a placement gives both a setting and a kind of arrangement; give one.", case)
        )
    if row["SENsetting"] and row["SENsetting"] not in SENSetting.values:
        findings.append(Finding("5b.where", f"{who}: {row['SENsetting']} is not a SEN2 setting code.", case))
    needs_words = row["SENsetting"] in (SENSetting.OTHER, SENSetting.NOT_IN_EDUCATION_OTHER)
    if needs_words and not row["SENsettingOther"]:
        findings.append(Finding(
            "5b.other", f"{who}: say what the arrangement is for a placement recorded as {row['SENsetting']}; "
            "COLLECT will ask.", case, error=False,
        ))  # fmt: skip


def check(built: Sen2Return) -> list[Finding]:
    """Every finding, errors first, in the order of the people."""
    findings: list[Finding] = []
    _check_people(built, findings)
    for request in built.rows("request"):
        _check_request(built, request, findings)
    if built.rows("person"):
        findings.append(Finding(
            "1.not-held", "Ethnicity, postcode and the unique learner number are not held in Graduated: add them in "
            "COLLECT or from the MIS before submitting.", error=False,
        ))  # fmt: skip
    unique = list(dict.fromkeys(findings))  # a placement both named and current is checked once
    return sorted(unique, key=lambda finding: not finding.error)
