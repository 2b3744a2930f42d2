"""The LA's case work pages: the inbox, logging a request, a case with its timeline, and each action on
a case. Readers and writers: the LA's officers and admins (WORK_EHC_CASES at the LA in the address);
a case of another LA, or an LA the user does not belong to, is a 404.

LA officers reach no pupil pages: these pages are their pupil-level view of requests and plans, and
each that shows a pupil's data writes one audit VIEW event.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.assessment_requests.views import bundle_not_ready, stored_bundle_response
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc import forms, reviews, selectors, services
from graduated.ehc.draft_prefill import draft_sections
from graduated.ehc.letters import refusal_outline
from graduated.ehc.models import SECTION_FIELDS, EHCPlan, EHCRequest, Stage
from graduated.ehc.timeline import latest_draft_date, plan_of, timeline_for
from graduated.lib.errors import ServiceError
from graduated.lib.exports import PDF_TYPE, ExportUnavailableError, attachment, render_pdf
from graduated.lib.forms import show_refusal
from graduated.rulepacks.selectors import under_five_review_months
from graduated.statutory import clock

INBOX_PAGE_SIZE = 50


def la_for(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, OrganisationPermission.WORK_EHC_CASES)


def case_for(request: HttpRequest, la_id: int, case_id: int) -> access.CaseAccess:
    return access.get_case_for_user(request.user, la_id, case_id)


def case_url(case: EHCRequest) -> str:
    return reverse("ehc:case", args=[case.local_authority_id, case.pk])


@require_GET
def inbox(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = la_for(request, la_id)
    la = la_access.la
    form = forms.InboxFilterForm(request.GET or None, la=la)
    valid = form.is_valid() if form.is_bound else True
    wanted = selectors.InboxFilter()
    if form.is_bound and valid:
        data = form.cleaned_data
        officer = data.get("officer") or ""
        wanted = selectors.InboxFilter(
            stage=data.get("stage") or None, setting=data.get("setting"),
            officer=0 if officer == forms.UNASSIGNED else (int(officer) if officer else None),
            rag=data.get("rag") or None,
        )  # fmt: skip
    today = timezone.localdate()
    rows = selectors.inbox(la, today, wanted) if valid else []
    # Every open case is sorted by its next deadline; a page of them is shown (an LA has hundreds).
    page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    record(
        la_access.actor, AuditAction.VIEW, object_type="ehc inbox", object_id=str(la.pk),
        description=f"EHC inbox: {len(rows)} open cases",
    )  # fmt: skip
    context = {"la": la, "form": form, "rows": page.object_list, "page": page, "today": today,
               "me": la_access.actor.user}  # fmt: skip
    return render(request, "ehc/inbox.html", context, status=200 if valid else 400)


@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = la_for(request, la_id)
    la = la_access.la
    form = forms.NewRequestForm(request.POST or None, la=la)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert form.pupil is not None
        try:
            case = services.receive_request(
                actor=la_access.actor, la=la, pupil=form.pupil, received_on=data["received_on"],
                source=data["source"], requested_by=data["requested_by"],
                requesting_setting=data["requesting_setting"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            due = case.deadlines.decision_to_assess
            messages.success(request, f"Request logged. The decision whether to assess is due by {due:%-d %B %Y}.")
            return redirect(case_url(case))
    status = 400 if request.method == "POST" else 200
    return render(request, "ehc/new_request.html", {"la": la, "form": form}, status=status)


@require_GET
def case_detail(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    case_access = case_for(request, la_id, case_id)
    la, case = case_access.la, case_access.case
    today = timezone.localdate()
    timeline = timeline_for(case, today)
    plan = timeline.plan
    plan_reviews = selectors.plan_reviews(plan) if plan is not None and plan.is_final else []
    due = None
    if plan is not None and plan.is_final:
        due = reviews.review_due(plan, plan_reviews, today, under_five_review_months(la))
    record(case_access.actor, AuditAction.VIEW, object_type="ehc case", object_id=str(case.pk), pupil_id=case.pupil_id)
    context = {
        "la": la, "case": case, "timeline": timeline, "plan": plan, "today": today, "reviews": plan_reviews,
        "review_due": due, "latest_draft": latest_draft_date(case), "Stage": Stage,
        "appeal_by": clock.appeal_deadline(case.refusal_date) if case.refusal_date else None,
        "open_advice": [item for item in case.advice_requests.all() if item.received_on is None],
        # What a school sent through Graduated: the evidence bundle exactly as submitted.
        "prepared": getattr(case, "prepared_request", None),
        "ceased": next((review for review in plan_reviews if review.ceased_on), None),
        "placements": list(plan.placements.select_related("setting")) if plan is not None and plan.is_final else [],
    }  # fmt: skip
    return render(request, "ehc/case.html", context)


@require_GET
def school_bundle(request: HttpRequest, la_id: int, case_id: int) -> HttpResponseBase:
    case_access = case_for(request, la_id, case_id)
    case = case_access.case
    prepared = getattr(case, "prepared_request", None)
    if prepared is None:
        raise Http404("This request did not come with an evidence bundle.")
    prepared.pupil = case.pupil
    if not prepared.bundle_ready:
        # Made in the background once the school sends the request: until then, a page that says so.
        record(
            case_access.actor, AuditAction.VIEW, object_type="ehc evidence bundle", object_id=str(case.pk),
            pupil_id=case.pupil_id, description="The school's evidence bundle, not ready yet",
        )  # fmt: skip
        return bundle_not_ready(request, prepared, back_url=case_url(case), back_text="Back to the case")
    response = stored_bundle_response(prepared)
    record(
        case_access.actor, AuditAction.EXPORT, object_type="ehc evidence bundle", object_id=str(case.pk),
        pupil_id=case.pupil_id, description="The school's evidence bundle as sent, PDF",
    )  # fmt: skip
    return response


# -- Actions on a case -------------------------------------------------------------------------------


def action_page(
    request: HttpRequest,
    la_id: int,
    case_id: int,
    *,
    make_form: Callable[[Any, EHCRequest], Form],
    perform: Callable[[Actor, EHCRequest, dict[str, Any]], object],
    heading: str,
    button: str,
    done: str,
    intro: str = "",
) -> HttpResponse:
    """One action on a case: the form (GET), or the change (POST) and back to the case.

    Refusals (a step out of order, a date before the step it follows) come back as the form with the
    message and a 400, changing nothing. A stale version keeps what was typed against the saved version.
    """
    case_access = case_for(request, la_id, case_id)
    la, case = case_access.la, case_access.case
    form = make_form(request.POST or None, case)
    if request.method == "POST" and form.is_valid():
        try:
            perform(case_access.actor, case, form.cleaned_data)
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done)
            return redirect(case_url(case))
    context = {"la": la, "case": case, "form": form, "heading": heading, "button": button, "intro": intro}
    return render(request, "ehc/action_form.html", context, status=400 if request.method == "POST" else 200)


def _plan(case: EHCRequest) -> EHCPlan:
    plan = plan_of(case)
    if plan is None:
        raise services.EHCError("Serve the draft plan first: there is no plan yet.")
    return plan


@require_http_methods(["GET", "POST"])
def decide_assessment(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.decide_whether_to_assess(
            actor=by, request=case, to_assess=data["outcome"] == "assess", decided_on=data["decided_on"],
            reasons=data["reasons"], expected_version=data["version"],
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform,
        make_form=lambda data, case: forms.AssessmentDecisionForm(data, initial={"version": case.version}),
        heading="Decide whether to assess", button="Record decision", done="Decision recorded.",
        intro="A decision not to assess produces the letter with the family's rights, ready to print from the case.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def request_advice(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.request_advice(
            actor=by, request=case, adviser_kind=data["adviser_kind"], adviser=data["adviser"],
            asked_on=data["asked_on"],
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform, make_form=lambda data, case: forms.AdviceForm(data),
        heading="Ask for advice", button="Record request for advice", done="Request for advice recorded.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def advice_received(request: HttpRequest, la_id: int, case_id: int, advice_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        advice = next((item for item in case.advice_requests.all() if item.pk == advice_id), None)
        if advice is None:
            raise services.EHCError("That request for advice is not part of this case.")
        advice.request = case
        return services.mark_advice_received(actor=by, advice=advice, received_on=data["received_on"])

    return action_page(
        request, la_id, case_id, perform=perform, make_form=lambda data, case: forms.AdviceReceivedForm(data),
        heading="Mark advice received", button="Mark received", done="Advice marked received.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def add_exception(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.add_exception(
            actor=by, request=case, kind=data["kind"], first_day=data["first_day"], last_day=data["last_day"],
            reason=data["reason"], impractical_because=data["impractical_because"], confirmed_on=timezone.localdate(),
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform, make_form=lambda data, case: forms.ExceptionForm(data),
        heading="Record an exception to the time limits", button="Record exception", done="Exception recorded.",
        intro="The case page shows which time limits it applies to: the Regulations list different exceptions for "
        "each, a closure or absence counts only when it lasted at least 4 weeks, and a closure only if the LA asked "
        "the school for advice from a week before it closed to a week before it reopened. The statutory dates do "
        "not move: where an exception applies, act as soon as practicable.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def assign_case(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.assign_case(
            actor=by, request=case, officer_id=data["officer"], expected_version=data["version"]
        )

    return action_page(
        request, la_id, case_id, perform=perform,
        make_form=lambda data, case: forms.AssignForm(
            data, la=case.local_authority, initial={"officer": case.officer_id, "version": case.version}
        ),
        heading="Assign the case", button="Assign", done="Case assigned.",
        intro="The case goes into that officer's caseload: the inbox filtered by officer.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def confirm_exception(request: HttpRequest, la_id: int, case_id: int, exception_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.confirm_exception(
            actor=by, request=case, exception_id=exception_id, impractical_because=data["impractical_because"],
            confirmed_on=data["confirmed_on"],
        )  # fmt: skip

    def make_form(data: Any, case: EHCRequest) -> Form:
        if not any(item.pk == exception_id for item in case.clock_exceptions.all()):
            raise Http404("No such exception on this case.")
        return forms.ConfirmExceptionForm(data)

    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="Confirm an exception", button="Confirm exception", done="Exception confirmed.",
        intro="Confirm only if this made it impractical to meet the time limit. The statutory dates stay as they "
        "are; where the exception applies, the case says to act as soon as practicable.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def withdraw_request(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.withdraw_request(
            actor=by, request=case, withdrawn_on=data["withdrawn_on"], withdrawn_by=data["withdrawn_by"],
            reason=data["reason"], expected_version=data["version"],
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform,
        make_form=lambda data, case: forms.WithdrawalForm(data, initial={"version": case.version}),
        heading="Record that the request was withdrawn", button="Record withdrawal", done="Withdrawal recorded.",
        intro="A withdrawn request is not a refusal: there is no letter and no right of appeal. The case closes, and "
        "a new request can be logged if one comes.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def decide_not_to_issue(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.decide_not_to_issue(
            actor=by, request=case, decided_on=data["decided_on"], reasons=data["reasons"],
            expected_version=data["version"],
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform,
        make_form=lambda data, case: forms.NotToIssueForm(data, initial={"version": case.version}),
        heading="Decide not to issue a plan", button="Record decision", done="Decision not to issue recorded.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def draft_plan(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.issue_draft_plan(
            actor=by, request=case, draft_issued_on=data["draft_issued_on"],
            sections={name: data.get(name, "") for name in SECTION_FIELDS}, expected_version=data["version"],
        )  # fmt: skip

    def make_form(data: Any, case: EHCRequest) -> Form:
        # Each section starts from what the request holds, only until a plan is saved: a form sent
        # back keeps what the officer typed, and a served draft is never filled in again.
        prefill = draft_sections(case) if data is None and plan_of(case) is None else {}
        return forms.DraftPlanForm(data, initial={**prefill, "version": case.version})

    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="Serve the draft plan", button="Record draft plan", done="Draft plan recorded.",
        intro="The family has at least 15 days, beginning with the day the draft is served, to comment and to ask "
        "for a particular school. Sections can be completed later. Each section starts from what the request "
        "holds, labelled with where it came from: check, edit or remove it before serving the draft.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def edit_plan(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def make_form(data: Any, case: EHCRequest) -> Form:
        plan = plan_of(case)
        initial = {name: getattr(plan, name) for name in SECTION_FIELDS} if plan else {}
        return forms.PlanSectionsForm(data, initial={**initial, "version": plan.version if plan else 0})

    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        return services.update_plan(
            actor=by, plan=_plan(case), sections={name: data.get(name, "") for name in SECTION_FIELDS},
            expected_version=data["version"],
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="Change the plan's sections", button="Save plan", done="Plan saved.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def final_plan(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def make_form(data: Any, case: EHCRequest) -> Form:
        plan = plan_of(case)
        return forms.FinalPlanForm(data, initial={"version": plan.version if plan else 0})

    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        plan = plan_of(case)
        if plan is None:
            raise services.EHCError(
                "A final plan needs a draft first: serve the draft plan, then issue the final plan."
            )
        plan.request = case
        return services.issue_final_plan(
            actor=by, plan=plan, final_issued_on=data["final_issued_on"], expected_version=data["version"]
        )

    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="Issue the final plan", button="Issue final plan",
        done="Final plan issued. The pupil's SEN status is now EHC plan (E).",
    )  # fmt: skip


@require_GET
def refusal_letter(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    case_access = case_for(request, la_id, case_id)
    case = case_access.case
    if not case.is_refused:
        messages.error(request, "Only a decision not to assess or not to issue a plan has a refusal letter.")
        return redirect(case_url(case))
    outline = refusal_outline(case)
    try:
        content = render_pdf(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    record(
        case_access.actor, AuditAction.EXPORT, object_type="ehc refusal letter", object_id=str(case.pk),
        pupil_id=case.pupil_id, description="Refusal letter as PDF",
    )  # fmt: skip
    return attachment(content, PDF_TYPE, outline.filename("pdf"))
