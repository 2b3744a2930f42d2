"""Pages for a pupil's APDR cycles. Every lookup goes through the pupil's access, then filters the
cycle's children by that cycle: another pupil's id is a 404."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import PupilAccess, PupilPermission
from graduated.audit.services import record_pupil_view
from graduated.documents import attachments
from graduated.families.review import for_review as family_for_review
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.plans import services as plan_services
from graduated.pupils.codes import BroadArea
from graduated.support import quality, reviews, selectors, services
from graduated.support.forms import (
    AgreePlanForm,
    AssessmentForm,
    DeliveryForm,
    EvidenceForm,
    OutcomeForm,
    ProvisionForm,
    ReviewForm,
    StartCycleForm,
    VersionedForm,
)
from graduated.support.models import MAX_OUTCOMES, Cycle, CycleStatus, Outcome, Provision

P = PupilPermission


def _cycle_url(cycle: Cycle) -> str:
    from django.urls import reverse

    return reverse("support:cycle", args=[cycle.pupil_id, cycle.pk])


def _page(request: HttpRequest, access_: PupilAccess, template: str, form: Form, **extra: Any) -> HttpResponse:
    if request.method == "GET":
        record_pupil_view(access_, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    status = 400 if request.method == "POST" else 200
    context = {"pupil": access_.pupil, "access": access_, "form": form, **extra}
    return render(request, template, context, status=status)


def _saved_now(cycle: Cycle, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    return {"stale": True, "saved_now": pairs, "cycle": cycle}


def _versioned_edit(
    request: HttpRequest,
    access_: PupilAccess,
    cycle: Cycle,
    form: VersionedForm,
    template: str,
    save: Callable[[VersionedForm], object],
    done: str,
    saved_now: Callable[[Cycle], list[tuple[str, Any]]],
    **extra: Any,
) -> HttpResponse:
    """The common shape of every cycle edit: validate, save against the version, and on a stale
    save show what is stored now beside the person's own typing, with the new version."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except StaleEditError as error:
            cycle.refresh_from_db()
            show_refusal(form, error)
            return _page(request, access_, template, form, **extra, **_saved_now(cycle, saved_now(cycle)))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(_cycle_url(cycle))
    return _page(request, access_, template, form, cycle=cycle, **extra)


# -- Reading ---------------------------------------------------------------------------------------


@require_GET
def cycle_list(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id)
    context = {
        "pupil": access_.pupil, "access": access_, "can_plan": access_.can(P.PLAN_SUPPORT),
        "can_view_record": access_.can(P.VIEW_RECORD),
        **selectors.cycles_overview(access_.pupil),
    }  # fmt: skip
    record_pupil_view(access_, "support cycles")
    return render(request, "support/cycle_list.html", context)


@require_GET
def cycle_detail(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id)
    cycle = selectors.cycle_for(access_, cycle_id, to_change=False)
    data = selectors.cycle_page(cycle)
    acknowledged = any(a.user_id == request.user.pk for a in data["acknowledgements"])
    # A cycle the pupil's previous setting wrote is read here, never changed (records.transfers).
    here = cycle.setting_id == access_.setting.pk
    context = {
        "pupil": access_.pupil, "access": access_, "cycle": cycle, **data,
        "from_setting": None if here else cycle.setting,
        "can_plan": here and access_.can(P.PLAN_SUPPORT) and cycle.is_open,
        "can_view_record": access_.can(P.VIEW_RECORD),
        "can_log": here and access_.can(P.LOG_DELIVERY) and cycle.status == CycleStatus.DO,
        "can_acknowledge": here and access_.can(P.LOG_DELIVERY) and cycle.plan_agreed and not acknowledged,
        "acknowledged": acknowledged, "max_outcomes": MAX_OUTCOMES,
        "review": getattr(cycle, "review", None) if cycle.status == CycleStatus.CLOSED else None,
        "attached_documents": attachments.attached(access_, "cycle", cycle.pk),
        "can_see_documents": access_.can(P.VIEW_RECORD),
        "attach_key": attachments.key_for("cycle", cycle.pk), "can_attach": here and access_.can(P.PLAN_SUPPORT),
        "findings": quality.check(cycle, data["outcomes"], data["provisions"], getattr(cycle, "review", None)),
    }  # fmt: skip
    record_pupil_view(access_, "support cycle", str(cycle.pk))
    return render(request, "support/cycle_detail.html", context)


# -- Starting and assessing ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, pupil_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    form = StartCycleForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.start_cycle(
                actor=access_.actor, pupil=access_.pupil, setting=access_.setting, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Cycle {cycle.number} started.")
            return redirect(_cycle_url(cycle))
    open_cycle = access_.pupil.cycles.exclude(status=CycleStatus.CLOSED).first()
    return _page(request, access_, "support/start.html", form, open_cycle=open_cycle)


@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)

    def build(data: Any) -> VersionedForm:
        return AssessmentForm(data, initial=AssessmentForm.initial_for(cycle))

    def saved(c: Cycle) -> list[tuple[str, Any]]:
        return [
            *[(f"Analysis: {area.label}", c.analysis_by_area.get(area.value, "")) for area in BroadArea],
            ("Parents' views", c.parents_views), ("Pupil's views", c.pupil_views),
            ("Advice from outside services", c.advice_received),
        ]  # fmt: skip

    form = build(request.POST or None)
    return _versioned_edit(
        request, access_, cycle, form, "support/assessment.html",
        lambda f: services.update_assessment(
            actor=access_.actor, cycle=cycle, changes=f.changes(), expected_version=f.cleaned_data["version"]
        ),
        "Assessment saved.", saved,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)

    def build(data: Any) -> VersionedForm:
        return EvidenceForm(data, initial={"version": cycle.version})

    return _versioned_edit(
        request, access_, cycle, build(request.POST or None), "support/evidence.html",
        lambda f: services.add_evidence(
            actor=access_.actor, cycle=cycle, data=f.changes(), expected_version=f.cleaned_data["version"]
        ),
        "Evidence added.", lambda c: [("Evidence points", c.evidence.count())],
    )  # fmt: skip


@require_POST
def evidence_remove(request: HttpRequest, pupil_id: int, cycle_id: int, evidence_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    point = cycle.evidence.filter(pk=evidence_id).first()
    if point is None:  # a double submit, or another cycle's evidence
        messages.info(request, "That evidence has already been removed.")
        return redirect(_cycle_url(cycle))
    try:
        services.remove_evidence(actor=access_.actor, point=point)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Evidence removed.")
    return redirect(_cycle_url(cycle))


# -- Planning --------------------------------------------------------------------------------------


def _outcome_saved(outcome: Outcome | None) -> Callable[[Cycle], list[tuple[str, Any]]]:
    def saved(cycle: Cycle) -> list[tuple[str, Any]]:
        current = cycle.outcomes.filter(pk=outcome.pk).first() if outcome else None
        if current is None:
            return [(f"Outcome {o.position}", o.description) for o in cycle.outcomes.all()]
        return [
            ("What will be achieved", current.description), ("How it will be measured", current.measure),
            ("Baseline", current.baseline), ("Target", current.target), ("By when", current.by_when),
            ("Area of need", current.get_area_display()),
        ]  # fmt: skip

    return saved


@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pupil_id: int, cycle_id: int, outcome_id: int | None = None) -> HttpResponse:
    """Add an outcome (no ``outcome_id``) or change one."""
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    outcome = None
    if outcome_id is not None:
        outcome = cycle.outcomes.filter(pk=outcome_id).first()
        if outcome is None:
            raise Http404("No such outcome.")
    initial: dict[str, Any] = {"version": cycle.version}
    if outcome is not None:
        initial.update({name: getattr(outcome, name) for name in services.OUTCOME_FIELDS})

    def build(data: Any) -> VersionedForm:
        return OutcomeForm(data, initial=initial)

    return _versioned_edit(
        request, access_, cycle, build(request.POST or None), "support/outcome.html",
        lambda f: services.save_outcome(
            actor=access_.actor, cycle=cycle, outcome=outcome, data=f.changes(),
            expected_version=f.cleaned_data["version"],
        ),
        "Outcome saved.", _outcome_saved(outcome), outcome=outcome,
        findings=quality.outcome_findings(cycle, outcome) if outcome is not None else [],
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def provision_edit(request: HttpRequest, pupil_id: int, cycle_id: int, provision_id: int | None = None) -> HttpResponse:
    """Add provision (no ``provision_id``) or change it."""
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    provision = None
    if provision_id is not None:
        provision = cycle.provisions.filter(pk=provision_id).first()
        if provision is None:
            raise Http404("No such provision.")
    initial: dict[str, Any] = {"version": cycle.version}
    if provision is not None:
        initial.update({name: getattr(provision, name) for name in services.PROVISION_FIELDS})
        initial["delivered_by"] = (
            access_.setting.memberships.filter(user_id=provision.delivered_by_id).first()
            if provision.delivered_by_id
            else None
        )

    def build(data: Any) -> VersionedForm:
        return ProvisionForm(data, initial=initial, setting=access_.setting, cycle=cycle, provision=provision)

    def saved(c: Cycle) -> list[tuple[str, Any]]:
        current = c.provisions.filter(pk=provision.pk).first() if provision else None
        if current is None:
            return [("Provision", p.description) for p in c.provisions.all()]
        return [("What will be done", current.description), ("How often", current.how_often),
                ("Where", current.location), ("Expected impact", current.expected_impact)]  # fmt: skip

    return _versioned_edit(
        request, access_, cycle, build(request.POST or None), "support/provision.html",
        lambda f: services.save_provision(
            actor=access_.actor, cycle=cycle, provision=provision, data=f.changes(),
            expected_version=f.cleaned_data["version"],
        ),
        "Provision saved.", saved, provision=provision,
    )  # fmt: skip


@require_POST
def remove(request: HttpRequest, pupil_id: int, cycle_id: int, kind: str, item_id: int) -> HttpResponse:
    """Remove an outcome or a provision from a plan."""
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    item: Outcome | Provision | None
    if kind == "outcomes":
        item = cycle.outcomes.filter(pk=item_id).first()
    elif kind == "provision":
        item = cycle.provisions.filter(pk=item_id).first()
    else:
        raise Http404("No such kind of item.")
    if item is None:
        messages.info(request, "That has already been removed.")
        return redirect(_cycle_url(cycle))
    try:
        if isinstance(item, Outcome):
            services.remove_outcome(actor=access_.actor, outcome=item)
        else:
            services.remove_provision(actor=access_.actor, provision=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Outcome removed." if isinstance(item, Outcome) else "Provision removed.")
    return redirect(_cycle_url(cycle))


@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    today = timezone.localdate()
    initial = {"version": cycle.version, "plan_agreed_on": today, "parents_notified_on": today,
               "review_date": cycle.review_date or plan_services.suggested_review_date(cycle)}  # fmt: skip

    def build(data: Any) -> VersionedForm:
        return AgreePlanForm(data, initial=initial)

    def saved(c: Cycle) -> list[tuple[str, Any]]:
        return [("Stage", c.stage_label), ("Outcomes", c.outcomes.count()), ("Provision", c.provisions.count())]

    if request.method == "GET" and cycle.plan_agreed:
        messages.info(request, f"The plan was agreed on {cycle.plan_agreed_on:%-d %B %Y}.")
        return redirect(_cycle_url(cycle))
    return _versioned_edit(
        request, access_, cycle, build(request.POST or None), "support/agree.html",
        lambda f: services.agree_plan(
            actor=access_.actor, cycle=cycle, expected_version=f.cleaned_data["version"], **f.changes()
        ),
        "Plan agreed. The cycle is now in the Do stage.", saved,
    )  # fmt: skip


# -- Doing and reviewing ---------------------------------------------------------------------------


@require_POST
def acknowledge(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.LOG_DELIVERY)
    cycle = selectors.cycle_for(access_, cycle_id)
    try:
        reviews.acknowledge_plan(actor=access_.actor, cycle=cycle)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you: you have said you have read this plan.")
    return redirect(_cycle_url(cycle))


@require_http_methods(["GET", "POST"])
def log_delivery(request: HttpRequest, pupil_id: int, cycle_id: int, provision_id: int) -> HttpResponse:
    """A short form, quick on a phone: the date defaults to today."""
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.LOG_DELIVERY)
    cycle = selectors.cycle_for(access_, cycle_id)
    provision = cycle.provisions.filter(pk=provision_id).first()
    if provision is None:
        raise Http404("No such provision.")
    provision.cycle = cycle
    form = DeliveryForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            delivery, changed = reviews.log_delivery(actor=access_.actor, provision=provision, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            day = f"{delivery.on:%-d %B %Y}"
            if changed:
                messages.success(request, f"Session on {day} recorded as {delivery.get_status_display().lower()}.")
            else:
                messages.info(request, f"The session on {day} was already recorded.")
            return redirect(_cycle_url(cycle))
    recent = selectors.recent_deliveries(provision)
    return _page(request, access_, "support/log_delivery.html", form, cycle=cycle, provision=provision, recent=recent)


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    cycle = selectors.cycle_for(access_, cycle_id)
    outcomes = list(cycle.outcomes.all())
    family = family_for_review(cycle)
    for outcome in outcomes:  # the family's sense of each outcome, beside it in the form
        outcome.family_feelings = family["feelings"].get(outcome.pk, [])  # type: ignore[attr-defined]
    provisions = selectors.add_rates(list(selectors.provisions_with_delivery([cycle])))
    initial = {"version": cycle.version, "held_on": cycle.review_date}

    def build(data: Any) -> VersionedForm:
        return ReviewForm(data, initial=initial, outcomes=outcomes, provisions=provisions)

    def saved(c: Cycle) -> list[tuple[str, Any]]:
        return [("Stage", c.stage_label), ("Outcomes", c.outcomes.count()), ("Provision", c.provisions.count())]

    def save(f: VersionedForm) -> object:
        assert isinstance(f, ReviewForm)
        return reviews.record_review(
            actor=access_.actor, cycle=cycle, review=f.review_values(), outcome_ratings=f.outcome_values(),
            provision_judgements=f.provision_values(), expected_version=f.cleaned_data["version"],
        )  # fmt: skip

    if request.method == "GET" and cycle.status != CycleStatus.DO:
        messages.info(request, "Only a cycle whose plan is agreed, and not yet reviewed, can be reviewed.")
        return redirect(_cycle_url(cycle))
    return _versioned_edit(
        request, access_, cycle, build(request.POST or None), "support/review.html", save,
        "Review recorded. The cycle is closed.", saved, **family,
    )  # fmt: skip
