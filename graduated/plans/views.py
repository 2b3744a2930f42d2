"""Pages for plan types and tiers of support (the LA's admins: MANAGE_LOCAL_RULES), the LA's plan
quality across its settings (VIEW_LA_FIGURES: counts, no names), and a cycle's plan type and tier
(the pupil's SENCO: PLAN_SUPPORT). Outsiders get 404."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.access import PupilPermission
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.plans import selectors, services
from graduated.plans.forms import CyclePlanForm, PlanTypeForm, TierForm
from graduated.plans.models import PlanType, SupportTier
from graduated.support.models import Cycle
from graduated.support.selectors import cycle_for

KINDS: dict[str, tuple[type[PlanType] | type[SupportTier], type[TierForm], str]] = {
    "types": (PlanType, PlanTypeForm, "plan type"),
    "tiers": (SupportTier, TierForm, "tier of support"),
}


def _kind(kind: str) -> tuple[type[PlanType] | type[SupportTier], type[TierForm], str]:
    if kind not in KINDS:
        raise Http404("No such kind of choice.")
    return KINDS[kind]


@require_GET
def choices(request: HttpRequest, la_id: int) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, O.MANAGE_LOCAL_RULES).la
    return render(request, "plans/choices.html", {"la": la, **selectors.choices_for(la)})


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, la_id: int, kind: str, item_id: int | None = None) -> HttpResponse:
    """Add one of the LA's own plan types or tiers (no ``item_id``), or change one."""
    la_access = access.get_la_for_user(request.user, la_id, O.MANAGE_LOCAL_RULES)
    la = la_access.la
    model, form_class, what = _kind(kind)
    item = None
    if item_id is not None:
        item = model.objects.filter(local_authority=la, pk=item_id).first()  # the platform's: not here
        if item is None:
            raise Http404(f"No such {what}.")
    form = form_class(request.POST or None, initial=form_class.initial_for(item))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if item is None:
                    made = services.add_choice(
                        actor=la_access.actor, local_authority=la, model=model, details=form.details()
                    )
                    messages.success(request, f"{what[0].upper()}{what[1:]} added: {made.name}.")
                else:
                    services.change_choice(
                        actor=la_access.actor, choice=item, details=form.details(),
                        expected_version=form.cleaned_data["version"],
                    )  # fmt: skip
                    messages.success(request, f"{what[0].upper()}{what[1:]} saved: {item.name}.")
                return redirect("plans:choices", la_id=la.pk)
            except ServiceError as error:
                status = 409 if show_refusal(form, error) else 400
                if item is not None:
                    item.refresh_from_db()
    context = {
        "la": la, "form": form, "item": item, "kind": kind, "what": what, "stale": status == 409,
        "in_use": services.in_use(item) if item is not None else 0,
    }  # fmt: skip
    return render(request, "plans/choice_form.html", context, status=status)


@require_POST
def remove(request: HttpRequest, la_id: int, kind: str, item_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.MANAGE_LOCAL_RULES)
    la = la_access.la
    model, _form, what = _kind(kind)
    item = model.objects.filter(local_authority=la, pk=item_id).first()
    if item is None:  # a double submit, or another LA's
        messages.info(request, f"That {what} has already been removed.")
        return redirect("plans:choices", la_id=la.pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, "The form was incomplete: open the page again and resubmit it.")
        return redirect("plans:choices", la_id=la.pk)
    try:
        services.remove_choice(actor=la_access.actor, choice=item, expected_version=version)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{what[0].upper()}{what[1:]} removed: {item.name}.")
    return redirect("plans:choices", la_id=la.pk)


@require_GET
def quality(request: HttpRequest, la_id: int) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, O.VIEW_LA_FIGURES).la
    return render(request, "plans/quality.html", {"la": la, **selectors.quality_across(la)})


# -- A cycle's plan type and tier ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def cycle_plan(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    access_ = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.PLAN_SUPPORT)
    cycle = cycle_for(access_, cycle_id)
    if not cycle.is_open:
        messages.info(request, "This cycle has been reviewed and closed: its plan type can no longer be changed.")
        return redirect(_cycle_url(cycle))
    plan_types = [p for p in services.offered(PlanType, cycle) if isinstance(p, PlanType)]
    tiers = [t for t in services.offered(SupportTier, cycle) if isinstance(t, SupportTier)]
    initial = {"plan_type": cycle.plan_type_id, "tier": cycle.tier_id, "version": cycle.version}
    form = CyclePlanForm(request.POST or None, initial=initial, plan_types=plan_types, tiers=tiers)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_cycle_plan(
                    actor=access_.actor, cycle=cycle, plan_type=form.cleaned_data["plan_type"],
                    tier=form.cleaned_data["tier"], expected_version=form.cleaned_data["version"],
                )  # fmt: skip
            except ServiceError as error:
                status = 409 if show_refusal(form, error) else 400
                cycle.refresh_from_db()
            else:
                messages.success(request, "Plan type and tier saved.")
                return redirect(_cycle_url(cycle))
    context: dict[str, Any] = {
        "pupil": access_.pupil, "cycle": cycle, "form": form, "stale": status == 409,
        "suggestions": [(p, services.suggested_review_date(cycle, p)) for p in plan_types if p.reviews_per_year],
    }  # fmt: skip
    return render(request, "plans/cycle_plan.html", context, status=status)


def _cycle_url(cycle: Cycle) -> str:
    return reverse("support:cycle", args=[cycle.pupil_id, cycle.pk])
