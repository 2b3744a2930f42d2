"""The family's pages, mounted at /family/.

Only through a live link, read afresh on every request by ``access.get_child_for_family``; any
other child is a 404, as is every staff page. Every page is audited. The pupil's own form opens
from the link the school gave them, without an account. The setting's side is manage_views.py.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.families import child_form, consent, evidence, selectors, thread, views_services
from graduated.families.forms import ChildForm, ConsentForm, EvidenceForm, MessageForm, PlanResponseForm, ViewsForm
from graduated.families.models import FamilyViews, ViewsRequest
from graduated.support.models import Cycle, CycleStatus


@login_not_required
@require_http_methods(["GET", "POST"])
def child_form_page(request: HttpRequest, token: str) -> HttpResponse:
    """The pupil's own form, from the link the school gave them: no account needed."""
    try:
        found = child_form.form_for_token(token)
    except Http404:
        return render(request, "families/child_form_gone.html", status=404)
    cycle = found.request.cycle
    outcomes = list(cycle.outcomes.order_by("position", "id"))
    initial = {name: getattr(found, name) for name in ("feeling", "going_well", "hard", "would_help")}
    initial |= {f"outcome_{key}": value for key, value in found.outcome_feelings.items()}
    form = ChildForm(request.POST if request.method == "POST" else None, initial=initial, outcomes=outcomes)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            child_form.save_answers(found, form.answers())
        except views_services.ViewsError as error:
            form.add_error(None, error.message)
        else:
            done = True
    context = {"form": form, "first_name": cycle.pupil.first_name, "done": done, "found": found}
    status = 400 if form.is_bound and not done else 200
    return render(request, "families/child_form.html", context, status=status)


# -- The family's side --------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    links = list(access.live_links(request.user).select_related("pupil", "setting").order_by("pupil__legal_first_name"))
    if len(links) == 1:
        return redirect("families:child", pupil_id=links[0].pupil_id)
    record(access.actor(request.user, "family"), AuditAction.VIEW, object_type="family home",
           object_id=str(request.user.pk), description=f"Family home: {len(links)} children")  # fmt: skip
    return render(request, "families/home.html", {"links": links})


@require_GET
def child(request: HttpRequest, pupil_id: int) -> HttpResponse:
    family = access.get_child_for_family(request.user, pupil_id)
    # The VIEW event follows from the lookup (graduated.audit.reach).
    return _child_page(request, family, PlanResponseForm())


def _child_page(
    request: HttpRequest,
    family: access.FamilyAccess,
    response_form: PlanResponseForm,
    status: int = 200,
    consent_form: ConsentForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    questions = consent.questions_for(family.link, family.pupil)
    for question in questions:
        # Each question its own form (prefixed, so the ids differ); the one just refused keeps its errors.
        mine = consent_form is not None and consent_form.prefix == question.form_id
        question.form = consent_form if mine else ConsentForm(prefix=question.form_id)  # type: ignore[attr-defined]
    context = {
        "family": family, "child": family.pupil, "setting": family.link.setting, "today": today,
        "response_form": response_form, "consent_questions": questions,
        "decides": consent.may_decide(family.link, family.pupil, today),
        "new_messages": thread.new_for(family.user, family.pupil, family.link.setting, from_family=False),
        **selectors.child_page(family.pupil, family.link.setting.local_authority_id, today, family.link),
    }  # fmt: skip
    return render(request, "families/child.html", context, status=status)


@require_http_methods(["GET", "POST"])
def views(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The family's views before the review: the parent's, and the child's if they do it together."""
    family = access.get_child_for_family(request.user, pupil_id)
    cycle, asked = _plan_asked_about(family)
    outcomes = list(cycle.outcomes.order_by("position", "id")) if cycle and asked else []
    given = FamilyViews.objects.filter(request=asked, link=family.link).first() if asked else None
    form = _views_form(request.POST if request.method == "POST" else None, given, outcomes)
    if request.method == "POST":
        if asked is None:
            raise Http404("No views have been asked for.")
        if form.is_valid():
            try:
                views_services.save_views(family=family, asked=asked, answers=form.answers())
            except views_services.ViewsError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you. The school will read your views before the review."))
                return redirect("families:child", pupil_id=family.pupil.pk)
    return _views_page(request, family, cycle, asked, outcomes, form, EvidenceForm(outcomes=outcomes), given=given)


def _plan_asked_about(family: access.FamilyAccess) -> tuple[Cycle | None, ViewsRequest | None]:
    """The plan under way, and the school's request for views on it (None before it asks)."""
    cycle = Cycle.objects.filter(pupil=family.pupil, status=CycleStatus.DO).order_by("-number").first()
    return cycle, views_services.open_request(cycle)


def _views_form(data: Any, given: FamilyViews | None, outcomes: list[Any]) -> ViewsForm:
    """The views form, filled in with what this family member sent before."""
    initial = {} if given is None else {
        **{name: getattr(given, name) for name in views_services.ANSWER_FIELDS if name != "outcome_feelings"},
        **{f"outcome_{key}": value for key, value in given.outcome_feelings.items()},
    }  # fmt: skip
    return ViewsForm(data, initial=initial, outcomes=outcomes)


def _views_page(
    request: HttpRequest, family: access.FamilyAccess, cycle: Cycle | None, asked: Any, outcomes: list[Any],
    form: ViewsForm, evidence_form: EvidenceForm, given: FamilyViews | None = None,
) -> HttpResponse:  # fmt: skip
    context = {
        "family": family, "child": family.pupil, "cycle": cycle, "asked": asked, "given": given, "form": form,
        "evidence_form": evidence_form, "evidence": evidence.evidence_for(asked, family.link),
    }  # fmt: skip
    status = 400 if form.is_bound or evidence_form.is_bound else 200
    return render(request, "families/views.html", context, status=status)


@require_POST
def add_evidence(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """A photo or a note with the family's views, about one of the aims (or none)."""
    family = access.get_child_for_family(request.user, pupil_id)
    cycle, asked = _plan_asked_about(family)
    if asked is None or cycle is None:
        raise Http404("No views have been asked for.")
    outcomes = list(cycle.outcomes.order_by("position", "id"))
    form = EvidenceForm(request.POST, request.FILES, outcomes=outcomes)
    if form.is_valid():
        try:
            evidence.add_evidence(
                family=family, asked=asked, outcome_id=form.cleaned_data["outcome"], photo=form.cleaned_data["photo"],
                file_type=form.file_type, note=form.cleaned_data["note"],
            )  # fmt: skip
        except views_services.ViewsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you: the school will see it with your views."))
            return redirect("families:views", pupil_id=family.pupil.pk)
    given = FamilyViews.objects.filter(request=asked, link=family.link).first()
    views_form = _views_form(None, given, outcomes)
    return _views_page(request, family, cycle, asked, outcomes, views_form, form, given=given)


@require_GET
def shared_document(request: HttpRequest, pupil_id: int, document_id: int) -> FileResponse:
    """A document the school shared with the family (or the family's own photo), as a download."""
    family = access.get_child_for_family(request.user, pupil_id)
    return evidence.download_shared(family, document_id)


@require_POST
def respond(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """The family's answer to "Do you agree with these aims?" on the child's page."""
    family = access.get_child_for_family(request.user, pupil_id)
    cycle = Cycle.objects.filter(pupil=family.pupil, shared_with_family=True).exclude(status=CycleStatus.CLOSED).first()
    form = PlanResponseForm(request.POST)
    if cycle is None:
        messages.info(request, _("There is no plan to agree at the moment."))
    elif form.is_valid():
        agrees = form.cleaned_data["agrees"] == "yes"
        try:
            views_services.respond_to_plan(family=family, cycle=cycle, agrees=agrees,
                                           comment=form.cleaned_data["comment"])  # fmt: skip
        except views_services.ViewsError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Thank you: the school has your answer.") if agrees else
                             _("Thank you: the school will talk to you about what you would change."))  # fmt: skip
    else:
        return _child_page(request, family, form, status=400)
    return redirect("families:child", pupil_id=family.pupil.pk)


@require_POST
def acknowledge(request: HttpRequest, pupil_id: int, meeting_id: int) -> HttpResponse:
    """ "I have read this" on a meeting record shared with the family."""
    family = access.get_child_for_family(request.user, pupil_id)
    if views_services.acknowledge_meeting(family=family, meeting_id=meeting_id):
        messages.success(request, _("Thank you: the school can see you have read it."))
    else:
        messages.info(request, _("You had already said you read it."))
    return redirect("families:child", pupil_id=family.pupil.pk)


@require_POST
def give_consent(request: HttpRequest, pupil_id: int, kind: str, target_id: int) -> HttpResponse:
    """Yes or no to a referral or a request for an EHC needs assessment, on the child's page."""
    family = access.get_child_for_family(request.user, pupil_id)
    if kind not in (consent.REFERRAL, consent.EHC_REQUEST):
        raise Http404("No such request for consent.")
    form = ConsentForm(request.POST, prefix=f"consent-{kind}-{target_id}")
    if not form.is_valid():
        return _child_page(request, family, PlanResponseForm(), status=400, consent_form=form)
    given = form.cleaned_data["given"] == "yes"
    try:
        consent.decide(family=family, kind=kind, pk=target_id, given=given, note=form.cleaned_data["note"],
                       share=form.cleaned_data["share"])  # fmt: skip
    except consent.ConsentError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, _("Thank you: the school has your answer.") if given else
                         _("Thank you: the school knows you do not agree, and will talk to you."))  # fmt: skip
    return redirect("families:child", pupil_id=family.pupil.pk)


@require_http_methods(["GET", "POST"])
def family_thread(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """Messages with the school about the child: ask a question, or ask for a meeting."""
    family = access.get_child_for_family(request.user, pupil_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread.send_from_family(family=family, body=form.cleaned_data["body"],
                                    wants_meeting=form.cleaned_data["wants_meeting"])  # fmt: skip
        except thread.MessageError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Your message has been sent. The school has been told by e-mail."))
            return redirect("families:thread", pupil_id=family.pupil.pk)
    context = {
        "family": family, "child": family.pupil, "setting": family.link.setting, "form": form,
        "thread": thread.thread_for(family.user, family.pupil, family.link.setting),
    }  # fmt: skip
    return render(request, "families/thread.html", context, status=400 if form.is_bound else 200)
