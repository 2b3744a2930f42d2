"""Changes to a case: receive a request, decide whether to assess, ask for and receive advice, record
exceptions, decide not to issue, serve the draft plan, change it, issue the final plan. Each runs in
one transaction and writes one audit event.

Steps must come in the order the Regulations set: a refusal here says which step is missing. Rows
are locked and their versions compared before a change, so that of two officers saving the same case
the later one is refused (``StaleEditError``) rather than silently overwriting the first.

Each statutory step also goes on the pupil's chronology, dated with the step's own date, so that the
SENCO reading the pupil's record sees where the LA's case has got to. Issuing the final plan sets
the pupil's census SEN status to E from the issue date, through ``pupils.services.change_sen_status``
(which writes its own chronology entry and audit event).
"""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc.models import (
    OPEN_STAGES,
    SECTION_FIELDS,
    AdviceRequest,
    AdviserKind,
    ClockExceptionRecord,
    EHCPlan,
    EHCRequest,
    RequestSource,
    Stage,
    WithdrawnBy,
)
from graduated.ehc.officers import la_officers
from graduated.ehc.timeline import plan_of
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils import services as pupil_services
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import ChronologyKind, Enrolment, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.statutory import clock


class EHCError(ServiceError):
    """A step on a case the Regulations (or the case's state) refuse; ``message`` says why."""


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _not_before(day: date, earliest: date, what: str, after_what: str) -> None:
    if day < earliest:
        raise EHCError(f"{what} must be on or after {after_what} ({long_date(earliest)}).")


def status_refusal(error: ValidationError) -> str:
    """Why ``pupils.services.change_sen_status`` refused, as one sentence for the officer."""
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def pupil_belongs_to(pupil: Pupil, la: LocalAuthority) -> bool:
    """The LA is the pupil's home LA, or the pupil is enrolled now at one of the LA's settings."""
    if pupil.home_local_authority_id == la.pk:
        return True
    return Enrolment.objects.current().filter(pupil=pupil, setting__local_authority=la).exists()


# Who made a request, as the pupil's chronology says it: the setting by name, anyone else by the kind of
# requester, since the free text may name a parent or a professional the school has no need to know.
REQUESTERS = {
    RequestSource.PARENT_OR_YOUNG_PERSON: "a parent or the young person",
    RequestSource.HEALTH: "the health service",
    RequestSource.SOCIAL_CARE: "social care",
    RequestSource.OTHER: "someone else",
}


def _requester(request: EHCRequest) -> str:
    if request.requesting_setting is not None:
        return request.requesting_setting.name
    return REQUESTERS.get(RequestSource(request.source), "an education setting")


@transaction.atomic
def receive_request(
    *,
    actor: Actor,
    la: LocalAuthority,
    pupil: Pupil,
    received_on: date,
    source: int,
    requested_by: str,
    requesting_setting: Setting | None = None,
) -> EHCRequest:
    """Record a request for an EHC needs assessment as received by the LA: the 6-week clock starts.

    Both paths call this: an LA officer logging a request that arrived (from a parent, a young person,
    health, social care or anyone else) and a school submitting its request from Graduated.
    """
    Pupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk").get()  # one open request at a time
    if source not in RequestSource.values:
        raise EHCError("Choose who made the request from the list.")
    if not requested_by.strip():
        raise EHCError("Enter who made the request.")
    if source == RequestSource.EDUCATION_SETTING and requesting_setting is None:
        raise EHCError("Choose the school or setting that made the request.")
    if not pupil_belongs_to(pupil, la):
        raise EHCError(f"{pupil.display_name} neither lives in nor attends a setting in {la.name}.")
    open_request = EHCRequest.objects.filter(pupil=pupil, local_authority=la, stage__in=OPEN_STAGES).first()
    if open_request is not None:
        raise EHCError(
            f"{pupil.display_name} already has an open request, received on {long_date(open_request.received_on)}: "
            "record its outcome before logging another."
        )
    request = EHCRequest.objects.create(
        pupil=pupil, local_authority=la, received_on=received_on, source=source, requested_by=requested_by.strip(),
        requesting_setting=requesting_setting, logged_by=actor.user,
    )  # fmt: skip
    record(
        actor, AuditAction.CREATE, obj=request, pupil_id=pupil.pk,
        changed_fields=["received_on", "source", "requested_by", "requesting_setting"],
        description=f"Request for an EHC needs assessment received {long_date(received_on)}",
    )  # fmt: skip
    add_to_chronology(
        pupil, actor, ChronologyKind.EHC_REQUEST_RECEIVED, received_on,
        f"Request for an EHC needs assessment received by {la.name} from {_requester(request)}",
    )  # fmt: skip
    return request


@transaction.atomic
def decide_whether_to_assess(
    *, actor: Actor, request: EHCRequest, to_assess: bool, decided_on: date, reasons: str, expected_version: int
) -> EHCRequest:
    request = lock_for_edit(request, expected_version)
    if request.stage != Stage.RECEIVED:
        raise EHCError("The decision whether to assess has already been recorded.")
    _not_before(decided_on, request.received_on, "The decision date", "the date the request was received")
    if not reasons.strip():
        raise EHCError("Enter the reasons for the decision.")
    request.to_assess, request.assessment_decided_on = to_assess, decided_on
    request.assessment_decision_reasons = reasons.strip()
    request.stage = Stage.ASSESSING if to_assess else Stage.NOT_ASSESSING
    fields = ["to_assess", "assessment_decided_on", "assessment_decision_reasons", "stage"]
    save_versioned(request, update_fields=fields)
    outcome = "to assess" if to_assess else "not to assess"
    record(
        actor, AuditAction.CHANGE, obj=request, pupil_id=request.pupil_id, changed_fields=fields,
        description=f"Decided {outcome} on {long_date(decided_on)}",
    )  # fmt: skip
    add_to_chronology(
        request.pupil, actor, ChronologyKind.EHC_ASSESSMENT_DECIDED, decided_on,
        f"{request.local_authority.name} decided {'' if to_assess else 'not '}to carry out an EHC needs assessment",
    )  # fmt: skip
    return request


def _assessing(request: EHCRequest, what: str) -> None:
    """Refuse ``what`` unless the case is being assessed, saying which step is missing or passed."""
    if request.stage == Stage.RECEIVED:
        raise EHCError(f"Record the decision whether to assess first: a {what} can only follow a decision to assess.")
    if request.stage == Stage.NOT_ASSESSING:
        raise EHCError(f"The decision was not to assess, so there can be no {what}.")
    if request.stage != Stage.ASSESSING:
        raise EHCError(f"The assessment has finished ({request.get_stage_display().lower()}): no {what} now.")


def setting_of(request: EHCRequest) -> Setting | None:
    """The school or setting a request's advice from "the school" and a closure are about: the one that
    made the request, or else where the pupil is enrolled now."""
    if request.requesting_setting is not None:
        return request.requesting_setting
    enrolment = Enrolment.objects.current().filter(pupil_id=request.pupil_id).select_related("setting").first()
    return enrolment.setting if enrolment is not None else None


@transaction.atomic
def request_advice(
    *, actor: Actor, request: EHCRequest, adviser_kind: str, adviser: str, asked_on: date
) -> AdviceRequest:
    """Ask for advice: for the assessment (reg 6), or, before the decision, from the school, whose answer
    also decides whether a closure is an exception to the 6 weeks (reg 5(4)(a))."""
    request = lock_for_edit(request)
    if request.stage != Stage.RECEIVED:
        _assessing(request, "request for advice")
    if adviser_kind not in AdviserKind.values:
        raise EHCError("Choose whom the advice is from.")
    _not_before(asked_on, request.received_on, "The date asked", "the date the request was received")
    school = setting_of(request) if adviser_kind == AdviserKind.SCHOOL else None
    advice = AdviceRequest.objects.create(
        request=request, adviser_kind=adviser_kind, adviser=adviser.strip(), asked_on=asked_on, setting=school
    )
    record(
        actor, AuditAction.CREATE, obj=advice, pupil_id=request.pupil_id,
        changed_fields=["adviser_kind", "adviser", "asked_on", "setting"],
        description=f"Advice asked of {advice.adviser}, due {long_date(advice.due)}",
    )  # fmt: skip
    kind = str(advice.get_adviser_kind_display()).lower()
    whom = advice.adviser if adviser_kind == AdviserKind.OTHER else f"{advice.adviser} ({kind})"
    add_to_chronology(
        request.pupil, actor, ChronologyKind.EHC_ADVICE_REQUESTED, asked_on,
        f"Advice for the EHC needs assessment asked of {whom}, due {long_date(advice.due)}",
    )  # fmt: skip
    return advice


@transaction.atomic
def mark_advice_received(*, actor: Actor, advice: AdviceRequest, received_on: date) -> AdviceRequest:
    AdviceRequest.objects.select_for_update().filter(pk=advice.pk).values_list("pk").get()
    advice.refresh_from_db()
    if advice.received_on is not None:
        raise EHCError(f"This advice was already marked received on {long_date(advice.received_on)}.")
    _not_before(received_on, advice.asked_on, "The date received", "the date it was asked for")
    advice.received_on = received_on
    advice.save(update_fields=["received_on"])
    record(actor, AuditAction.CHANGE, obj=advice, pupil_id=advice.request.pupil_id, changed_fields=["received_on"])
    add_to_chronology(
        advice.request.pupil, actor, ChronologyKind.EHC_ADVICE_RECEIVED, received_on,
        f"Advice for the EHC needs assessment received from {advice.adviser}",
    )  # fmt: skip
    return advice


@transaction.atomic
def add_exception(
    *,
    actor: Actor,
    request: EHCRequest,
    kind: str,
    first_day: date,
    last_day: date,
    reason: str,
    impractical_because: str = "",
    confirmed_on: date | None = None,
) -> ClockExceptionRecord:
    """Record an exception. With ``impractical_because`` the officer confirms, as the Regulations ask,
    that it made meeting the time limit impractical; without it the exception is recorded but applies
    to nothing until confirmed (``confirm_exception``)."""
    request = lock_for_edit(request)
    if not request.is_open:
        raise EHCError("This case is closed: exceptions can only be recorded while the clock is running.")
    if kind not in clock.ExceptionKind:
        raise EHCError("Choose the kind of exception from the list.")
    if last_day < first_day:
        raise EHCError("The last day must be the same as or after the first day.")
    if not reason.strip():
        raise EHCError("Enter what happened.")
    closed = setting_of(request) if kind == clock.ExceptionKind.SETTING_CLOSED else None
    if kind == clock.ExceptionKind.SETTING_CLOSED and closed is None:
        raise EHCError("The pupil has no school or setting on record, so a closure cannot be recorded.")
    exception = ClockExceptionRecord.objects.create(
        request=request, kind=kind, first_day=first_day, last_day=last_day, reason=reason.strip(), setting=closed,
        recorded_by=actor.user,
    )  # fmt: skip
    record(
        actor, AuditAction.CREATE, obj=exception, pupil_id=request.pupil_id,
        changed_fields=["kind", "first_day", "last_day", "reason", "setting"],
    )  # fmt: skip
    if impractical_because.strip():
        _confirm(actor, exception, impractical_because, confirmed_on or first_day)
    return exception


def _confirm(actor: Actor, exception: ClockExceptionRecord, because: str, confirmed_on: date) -> None:
    exception.impractical_because, exception.confirmed_on = because.strip(), confirmed_on
    exception.confirmed_by = actor.user
    fields = ["impractical_because", "confirmed_on", "confirmed_by"]
    exception.save(update_fields=fields)
    record(
        actor, AuditAction.CHANGE, obj=exception, pupil_id=exception.request.pupil_id, changed_fields=fields,
        description="Confirmed that the exception made the time limit impractical to meet",
    )  # fmt: skip


@transaction.atomic
def confirm_exception(
    *, actor: Actor, request: EHCRequest, exception_id: int, impractical_because: str, confirmed_on: date
) -> ClockExceptionRecord:
    """The officer's confirmation that a recorded exception made the time limit impractical to meet."""
    request = lock_for_edit(request)
    exception = ClockExceptionRecord.objects.filter(pk=exception_id, request=request).first()
    if exception is None:
        raise EHCError("That exception is not part of this case.")
    if exception.is_confirmed:
        raise EHCError(f"This exception was already confirmed on {long_date(exception.confirmed_on)}.")  # type: ignore[arg-type]
    if not impractical_because.strip():
        raise EHCError("Enter why it made the time limit impractical to meet.")
    _not_before(confirmed_on, exception.first_day, "The date confirmed", "the exception's first day")
    exception.request = request
    _confirm(actor, exception, impractical_because, confirmed_on)
    return exception


@transaction.atomic
def assign_case(*, actor: Actor, request: EHCRequest, officer_id: int | None, expected_version: int) -> EHCRequest:
    """Put the case in an officer's caseload (``None``: in nobody's). Only the LA's officers and admins."""
    request = lock_for_edit(request, expected_version)
    if officer_id is not None and not la_officers(request.local_authority).filter(pk=officer_id).exists():
        raise EHCError(f"Choose one of {request.local_authority.name}'s officers.")
    request.officer_id = officer_id
    save_versioned(request, update_fields=["officer"])
    record(actor, AuditAction.CHANGE, obj=request, pupil_id=request.pupil_id, changed_fields=["officer"],
           description="Case assigned" if officer_id else "Case taken out of every caseload")  # fmt: skip
    return request


@transaction.atomic
def withdraw_request(
    *, actor: Actor, request: EHCRequest, withdrawn_on: date, withdrawn_by: str, reason: str, expected_version: int
) -> EHCRequest:
    """The family or the setting withdraws the request while the case is open. Nothing is refused, so
    there is no letter and no right of appeal; a new request may be logged afterwards."""
    request = lock_for_edit(request, expected_version)
    if not request.is_open:
        raise EHCError(f"This case has ended ({request.get_stage_display().lower()}): it cannot be withdrawn now.")
    if withdrawn_by not in WithdrawnBy.values:
        raise EHCError("Choose who withdrew the request.")
    if withdrawn_by == WithdrawnBy.SETTING and request.requesting_setting is None:
        raise EHCError("No school or setting made this request, so only the parent or young person can withdraw it.")
    _not_before(withdrawn_on, _last_step_on(request), "The date withdrawn", "the last step on the case")
    if not reason.strip():
        raise EHCError("Enter why the request was withdrawn.")
    request.withdrawn_on, request.withdrawn_by, request.withdrawal_reason = withdrawn_on, withdrawn_by, reason.strip()
    request.stage = Stage.WITHDRAWN
    fields = ["withdrawn_on", "withdrawn_by", "withdrawal_reason", "stage"]
    save_versioned(request, update_fields=fields)
    record(actor, AuditAction.CHANGE, obj=request, pupil_id=request.pupil_id, changed_fields=fields,
           description=f"Request withdrawn on {long_date(withdrawn_on)}")  # fmt: skip
    who = "the family" if withdrawn_by == WithdrawnBy.FAMILY else _requester(request)
    add_to_chronology(
        request.pupil, actor, ChronologyKind.EHC_REQUEST_WITHDRAWN, withdrawn_on,
        f"The request for an EHC needs assessment was withdrawn by {who}",
    )  # fmt: skip
    return request


def _last_step_on(request: EHCRequest) -> date:
    """The latest date already on the case: a withdrawal cannot come before it."""
    plan = plan_of(request)
    days = [request.received_on, request.assessment_decided_on, plan.draft_issued_on if plan else None]
    return max(day for day in days if day is not None)


@transaction.atomic
def decide_not_to_issue(
    *, actor: Actor, request: EHCRequest, decided_on: date, reasons: str, expected_version: int
) -> EHCRequest:
    request = lock_for_edit(request, expected_version)
    _assessing(request, "decision not to issue a plan")
    assert request.assessment_decided_on is not None
    _not_before(decided_on, request.assessment_decided_on, "The decision date", "the decision to assess")
    if not reasons.strip():
        raise EHCError("Enter the reasons for not issuing a plan.")
    request.not_to_issue_on, request.not_to_issue_reasons = decided_on, reasons.strip()
    request.stage = Stage.NOT_ISSUING
    fields = ["not_to_issue_on", "not_to_issue_reasons", "stage"]
    save_versioned(request, update_fields=fields)
    record(actor, AuditAction.CHANGE, obj=request, pupil_id=request.pupil_id, changed_fields=fields,
           description=f"Decided not to issue a plan on {long_date(decided_on)}")  # fmt: skip
    add_to_chronology(
        request.pupil, actor, ChronologyKind.EHC_NOT_TO_ISSUE, decided_on,
        f"{request.local_authority.name} decided not to issue an EHC plan after the assessment",
    )  # fmt: skip
    return request


def _clean_sections(sections: Mapping[str, str]) -> dict[str, str]:
    return {name: (sections.get(name) or "").strip() for name in SECTION_FIELDS}


@transaction.atomic
def issue_draft_plan(
    *, actor: Actor, request: EHCRequest, draft_issued_on: date, sections: Mapping[str, str], expected_version: int
) -> EHCPlan:
    """Serve the draft plan: the family has 15 days, beginning with this day, to comment (reg 13(1))."""
    request = lock_for_edit(request, expected_version)
    _assessing(request, "draft plan")
    assert request.assessment_decided_on is not None
    _not_before(
        draft_issued_on, request.assessment_decided_on, "The date the draft was served", "the decision to assess"
    )
    plan = EHCPlan.objects.create(
        request=request, pupil_id=request.pupil_id, local_authority_id=request.local_authority_id,
        draft_issued_on=draft_issued_on, **_clean_sections(sections),
    )  # fmt: skip
    request.stage = Stage.DRAFT
    save_versioned(request, update_fields=["stage"])
    served, closes = long_date(draft_issued_on), long_date(plan.comments_close)
    record(
        actor, AuditAction.CREATE, obj=plan, pupil_id=request.pupil_id,
        changed_fields=["draft_issued_on", *SECTION_FIELDS],
        description=f"Draft EHC plan served {served}; comments close {closes}",
    )  # fmt: skip
    add_to_chronology(
        request.pupil, actor, ChronologyKind.EHC_DRAFT_PLAN, draft_issued_on,
        f"Draft EHC plan issued by {request.local_authority.name}; the family may comment until {closes}",
    )  # fmt: skip
    return plan


@transaction.atomic
def update_plan(*, actor: Actor, plan: EHCPlan, sections: Mapping[str, str], expected_version: int) -> EHCPlan:
    plan = lock_for_edit(plan, expected_version)
    cleaned = _clean_sections(sections)
    changed = [name for name in SECTION_FIELDS if getattr(plan, name) != cleaned[name]]
    for name, text in cleaned.items():
        setattr(plan, name, text)
    save_versioned(plan, update_fields=SECTION_FIELDS)
    record(actor, AuditAction.CHANGE, obj=plan, pupil_id=plan.pupil_id, changed_fields=changed)
    return plan


@transaction.atomic
def issue_final_plan(*, actor: Actor, plan: EHCPlan, final_issued_on: date, expected_version: int) -> EHCPlan:
    """Issue the final plan (reg 13(2), 14) and set the pupil's census status to E from that day."""
    plan = lock_for_edit(plan, expected_version)
    request = lock_for_edit(plan.request)
    if plan.is_final:
        assert plan.final_issued_on is not None
        raise EHCError(f"The final plan was already issued on {long_date(plan.final_issued_on)}.")
    earliest = clock.earliest_final_plan(plan.draft_issued_on)
    if final_issued_on < earliest:
        raise EHCError(
            f"The family's 15 days to comment on the draft run to {long_date(plan.comments_close)}: the final plan "
            f"can be issued from {long_date(earliest)}."
        )
    pupil = plan.pupil
    current = pupil_services.current_status(pupil)
    if current is None or current.status != SENProvision.EHC_PLAN:
        try:
            pupil_services.change_sen_status(
                actor=actor, pupil=pupil, status=SENProvision.EHC_PLAN, start_date=final_issued_on,
                reason="Final EHC plan issued",
            )  # fmt: skip
        except ValidationError as error:
            raise EHCError(f"The pupil's SEN status cannot change to EHC plan: {status_refusal(error)}") from error
    plan.final_issued_on = final_issued_on
    save_versioned(plan, update_fields=["final_issued_on"])
    request.stage = Stage.FINAL
    save_versioned(request, update_fields=["stage"])
    record(actor, AuditAction.CHANGE, obj=plan, pupil_id=plan.pupil_id, changed_fields=["final_issued_on"],
           description=f"Final EHC plan issued {long_date(final_issued_on)}")  # fmt: skip
    add_to_chronology(
        pupil, actor, ChronologyKind.EHC_FINAL_PLAN, final_issued_on,
        f"Final EHC plan issued by {request.local_authority.name}",
    )  # fmt: skip
    return plan
