"""Pages for an LA's ordinarily available provision, a setting's self-review against it, the LA's
view of the self-reviews, and adding a strategy to a cycle's plan.

Readers: the LA's officers and admins (VIEW_LOCAL_OFFER) and the leaders of the LA's settings
(VIEW_REGISTER at a setting) read the version in force. Editors: the LA's admins (MANAGE_GUIDANCE).
Self-review: a setting's SENCO and senior leaders (SELF_REVIEW); the LA's results: VIEW_LA_FIGURES.
A strategy is added to a plan by whoever plans the pupil's support (PLAN_SUPPORT). Outsiders get 404.
"""

import csv
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.access import PupilPermission
from graduated.funding.models import academic_year_label
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.oap import results as oap_results
from graduated.oap import selectors, services
from graduated.oap.forms import (
    ITEM_FORMS,
    AddToPlanForm,
    FilterForm,
    PublishForm,
    ResultsFilterForm,
    SelfReviewForm,
    VersionedForm,
)
from graduated.oap.models import Expectation, OAPVersion, SelfReview, Strategy
from graduated.organisations.models import LocalAuthority
from graduated.pupils.year_groups import academic_year_start
from graduated.support import selectors as support_selectors

KIND_NAMES = {"expectations": "expectation", "strategies": "strategy"}


def _status(form: Form, error: ServiceError) -> int:
    """Keep what was typed, with the reason: 409 for a stale edit, 400 for another refusal."""
    return 409 if show_refusal(form, error) else 400


def _filtered(request: HttpRequest, version: OAPVersion | None) -> tuple[FilterForm, list[Any], int]:
    form = FilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, [], 400
    areas = form.cleaned_data.get("area") if form.is_bound else None
    levels = form.cleaned_data.get("level") if form.is_bound else None
    groups = selectors.strategies_by_area(list(version.strategies.all()), areas, levels) if version else []
    return form, groups, 200


def _reading_page(request: HttpRequest, la: LocalAuthority, template: str, **extra: Any) -> HttpResponse:
    today = timezone.localdate()
    current = selectors.in_force(la, today)
    form, groups, status = _filtered(request, current)
    context = {
        "la": la, "version": current, "today": today, "filter_form": form, "groups": groups,
        "themes": selectors.expectations_by_theme(list(current.expectations.all())) if current else [],
        **extra,
    }  # fmt: skip
    return render(request, template, context, status=status)


# -- Reading -----------------------------------------------------------------------------------------


@require_GET
def overview(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LOCAL_OFFER)
    la = la_access.la
    history = selectors.history(la)
    today = timezone.localdate()
    return _reading_page(
        request, la, "oap/overview.html", history=history, can_edit=la_access.can(O.MANAGE_GUIDANCE),
        draft=next((v for v in history if v.is_draft), None),
        coming=[v for v in history if not v.is_draft and v.effective_from and v.effective_from > today],
        can_see_results=la_access.can(O.VIEW_LA_FIGURES),
    )  # fmt: skip


@require_GET
def setting_oap(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    return _reading_page(
        request, setting.local_authority, "oap/setting.html", setting=setting,
        can_review=setting_access.can(O.SELF_REVIEW),
    )  # fmt: skip


# -- The draft ---------------------------------------------------------------------------------------


def _admin_la(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, O.MANAGE_GUIDANCE)


def _draft_or_redirect(request: HttpRequest, la: LocalAuthority) -> OAPVersion | None:
    current = selectors.draft(la)
    if current is None:
        messages.info(request, "There is no draft: start one to change the ordinarily available provision.")
    return current


@require_POST
def start_draft(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    draft, made = services.start_draft(actor=la_access.actor, local_authority=la_access.la)
    if made:
        messages.success(request, f"Draft version {draft.number} started. Settings see it only once it is published.")
    return redirect("oap:draft", la_id=la_access.la.pk)


def _draft_page(
    request: HttpRequest, la: LocalAuthority, draft: OAPVersion, status: int = 200, **extra: Any
) -> HttpResponse:
    publish_form = extra.pop("publish_form", None) or PublishForm(
        initial={"effective_from": timezone.localdate(), "change_note": draft.change_note, "version": draft.version}
    )
    context = {
        "la": la, "version": draft, "publish_form": publish_form, "remove_errors": extra.pop("remove_errors", None),
        "themes": selectors.expectations_by_theme(list(draft.expectations.all())),
        "groups": selectors.strategies_by_area(list(draft.strategies.all())), **extra,
    }  # fmt: skip
    return render(request, "oap/draft.html", context, status=status)


@require_GET
def draft(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    current = _draft_or_redirect(request, la_access.la)
    if current is None:
        return redirect("oap:overview", la_id=la_access.la.pk)
    return _draft_page(request, la_access.la, current)


def _item_of(draft: OAPVersion, kind: str, item_id: int) -> Expectation | Strategy:
    items = draft.expectations.all() if kind == "expectations" else draft.strategies.all()
    item = next((i for i in items if i.pk == item_id), None)
    if item is None:
        raise Http404("No such item in the draft.")
    return item


@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, la_id: int, kind: str, item_id: int | None = None) -> HttpResponse:
    """Add (no ``item_id``) or change an expectation or a strategy of the draft."""
    la_access = _admin_la(request, la_id)
    la = la_access.la
    if kind not in ITEM_FORMS:
        raise Http404("No such kind of item.")
    current = _draft_or_redirect(request, la)
    if current is None:
        return redirect("oap:overview", la_id=la.pk)
    item = _item_of(current, kind, item_id) if item_id is not None else None
    _, fields = services.ITEM_KINDS[kind]
    saved = {name: getattr(item, name) for name in fields} if item else {}
    form = ITEM_FORMS[kind](request.POST or None, initial={**saved, "version": current.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                seen = form.cleaned_data["version"]
                if item is None:
                    added = services.add_item(
                        actor=la_access.actor, version=current, kind=kind, details=form.details(),
                        expected_version=seen,
                    )  # fmt: skip
                    messages.success(request, f"Added: {added.title}.")
                else:
                    services.change_item(
                        actor=la_access.actor, item=item, kind=kind, details=form.details(), expected_version=seen
                    )
                    messages.success(request, f"Saved: {item.title}.")
                return redirect("oap:draft", la_id=la.pk)
            except ServiceError as error:
                current = selectors.draft(la) or current
                status = _status(form, error)
    context = {
        "la": la, "version": current, "item": item, "form": form, "kind": kind, "kind_name": KIND_NAMES[kind],
        "stale": status == 409,
        "saved_items": current.expectations.all() if kind == "expectations" else current.strategies.all(),
    }  # fmt: skip
    return render(request, "oap/item_form.html", context, status=status)


@require_POST
def remove_item(request: HttpRequest, la_id: int, kind: str, item_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    if kind not in ITEM_FORMS:
        raise Http404("No such kind of item.")
    current = _draft_or_redirect(request, la)
    if current is None:
        return redirect("oap:overview", la_id=la.pk)
    item = _item_of(current, kind, item_id)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, la, current, status=400, remove_errors=form)
    try:
        services.remove_item(actor=la_access.actor, item=item, expected_version=form.cleaned_data["version"])
    except ServiceError as error:
        form.add_error(None, error.message)
        return _draft_page(request, la, selectors.draft(la) or current, status=409, remove_errors=form)
    messages.success(request, f"Removed: {item.title}.")
    return redirect("oap:draft", la_id=la.pk)


@require_POST
def publish(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    current = _draft_or_redirect(request, la)
    if current is None:
        return redirect("oap:overview", la_id=la.pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, la, current, status=400, publish_form=form)
    data = form.cleaned_data
    try:
        published = services.publish(
            actor=la_access.actor, version=current, effective_from=data["effective_from"],
            change_note=data["change_note"], expected_version=data["version"],
        )  # fmt: skip
    except ServiceError as error:
        status = _status(form, error)
        return _draft_page(request, la, selectors.draft(la) or current, status=status, publish_form=form)
    messages.success(
        request, f"Version {published.number} published: in force from {published.effective_from:%-d %B %Y}."
    )
    return redirect("oap:overview", la_id=la.pk)


# -- A cycle's plan ----------------------------------------------------------------------------------


@require_POST
def add_to_plan(request: HttpRequest, pupil_id: int, cycle_id: int) -> HttpResponse:
    """One click on the provision page: the strategy becomes a provision on the plan."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.PLAN_SUPPORT)
    cycle = support_selectors.cycle_for(pupil_access, cycle_id)
    back = reverse("support:provision_add", args=[pupil_access.pupil.pk, cycle.pk])
    form = AddToPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete: choose the strategy again.")
        return redirect(back)
    # Only a strategy of the version in force for the setting's LA may be added: another id is a 404.
    version_id = selectors.in_force_id(pupil_access.setting.local_authority_id, timezone.localdate())
    strategy = Strategy.objects.filter(pk=form.cleaned_data["strategy"], version_id=version_id).first()
    if version_id is None or strategy is None:
        raise Http404("No such strategy in the ordinarily available provision in force.")
    try:
        services.add_strategy_to_plan(
            actor=pupil_access.actor, cycle=cycle, strategy=strategy, expected_version=form.cleaned_data["version"]
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"Added to the plan of cycle {cycle.number}: {strategy.title}.")
    return redirect("support:cycle", pupil_id=pupil_access.pupil.pk, cycle_id=cycle.pk)


# -- Self-review -------------------------------------------------------------------------------------


def _review_form(review: SelfReview | None, expectations: list[Expectation], data: Any = None) -> SelfReviewForm:
    initial: dict[str, Any] = {"version": review.version if review else 0}
    if review is not None:
        for answer in review.answers.all():
            initial[f"rating_{answer.expectation_id}"] = answer.rating
            initial[f"note_{answer.expectation_id}"] = answer.note
    return SelfReviewForm(data, expectations=expectations, initial=initial)


@require_http_methods(["GET", "POST"])
def self_review(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.SELF_REVIEW)
    setting = setting_access.setting
    today = timezone.localdate()
    year = academic_year_start(today)
    review = (
        SelfReview.objects.filter(setting=setting, academic_year=year)
        .select_related("oap_version", "completed_by")
        .prefetch_related("answers")
        .first()
    )
    version = review.oap_version if review else selectors.in_force(setting.local_authority_id, today)
    expectations = list(version.expectations.all()) if version else []
    form = _review_form(review, expectations, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if version is None or not expectations:
            messages.error(request, "There is nothing to review against yet.")
        elif form.is_valid():
            try:
                saved = services.save_self_review(
                    actor=setting_access.actor, setting=setting, academic_year=year, version=version,
                    answers=form.answers(), expected_version=form.cleaned_data["version"], complete=form.complete,
                )  # fmt: skip
            except ServiceError as error:
                status = _status(form, error)
                review = SelfReview.objects.filter(setting=setting, academic_year=year).first() or review
            else:
                done = "marked complete" if saved.is_complete else "saved as a draft"
                messages.success(request, f"The self-review for {academic_year_label(year)} has been {done}.")
                return redirect("oap:self_review", setting_id=setting.pk)
    context = {
        "setting": setting, "la": setting.local_authority, "version": version, "review": review, "form": form,
        "year_label": academic_year_label(year), "themes": _rows_by_theme(form),
        "read_only": review is not None and review.is_complete, "stale": status == 409,
    }  # fmt: skip
    return render(request, "oap/self_review.html", context, status=status)


def _rows_by_theme(form: SelfReviewForm) -> list[tuple[str, list[Any]]]:
    themes: dict[str, list[Any]] = {}
    for row in form.rows():
        themes.setdefault(row[0].theme, []).append(row)
    return list(themes.items())


def _results(request: HttpRequest, la_id: int, *, with_ratings: bool = False) -> tuple[Any, ...]:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LA_FIGURES)
    la = la_access.la
    form = ResultsFilterForm(request.GET or None)
    today = timezone.localdate()
    valid = not form.is_bound or form.is_valid()
    year = (form.cleaned_data.get("year") if form.is_bound and valid else None) or academic_year_start(today)
    phase = (form.cleaned_data.get("phase") if form.is_bound and valid else "") or ""
    version = selectors.in_force(la, today)
    return la, form, valid, oap_results.la_results(la, version, year, phase, with_ratings=with_ratings)


@require_GET
def la_self_reviews(request: HttpRequest, la_id: int) -> HttpResponse:
    la, form, valid, found = _results(request, la_id)
    context = {"la": la, "form": form, "results": found, "year_label": academic_year_label(found.year)}
    return render(request, "oap/la_self_reviews.html", context, status=200 if valid else 400)


@require_GET
def la_self_reviews_csv(request: HttpRequest, la_id: int) -> HttpResponse:
    la, form, valid, found = _results(request, la_id, with_ratings=True)
    if not valid:
        return render(
            request, "oap/la_self_reviews.html",
            {"la": la, "form": form, "results": found, "year_label": academic_year_label(found.year)}, status=400,
        )  # fmt: skip
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="oap-self-reviews-{la.code}-{found.year}.csv"'
    writer = csv.writer(response)
    labels = {"met": "Met", "partly": "Partly met", "not_yet": "Not yet", "": "Not answered"}
    expectations = [r.expectation for r in found.expectations]
    writer.writerow(
        [
            "Setting",
            "URN",
            "Phase",
            "Self-review",
            "Met",
            "Partly met",
            "Not yet",
            *[_cell(e.title) for e in expectations],
        ]
    )
    for row in found.settings:
        writer.writerow(
            [_cell(row.name), row.urn, row.phase_label, row.status, row.met, row.partly, row.not_yet,
             *[labels.get(row.ratings.get(e.pk, ""), "") for e in expectations]]
        )  # fmt: skip
    return response


def _cell(text: str) -> str:
    """No spreadsheet formulas from typed text (CSV injection)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
