"""Pages for an LA's rule pack, its pathway stages, and a pupil's readiness against the local rules.

Readers: the LA's officers and admins (VIEW_LOCAL_OFFER); the SENCOs and senior leaders of the
LA's settings read the version in force (VIEW_REGISTER at the setting). Editors: the LA's admins
(MANAGE_LOCAL_RULES). The readiness page shows pupil data: those who see
the whole record (VIEW_RECORD), with one audit VIEW event per page. Outsiders get 404.
"""

from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.access import PupilPermission
from graduated.audit.services import record_pupil_view
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.organisations.models import LocalAuthority
from graduated.pathway.services import stages_for
from graduated.rulepacks import selectors, services
from graduated.rulepacks.forms import PublishForm, RuleForm, StagesForm, StepForm, VersionForm, WordsForm
from graduated.rulepacks.models import LocalRule, RulePack, Step, step_name
from graduated.rulepacks.readiness import evaluate, pack_for


def _admin_la(request: HttpRequest, la_id: int) -> access.OrganisationAccess:
    return access.get_la_for_user(request.user, la_id, O.MANAGE_LOCAL_RULES)


def _draft_or_none(request: HttpRequest, la: LocalAuthority) -> RulePack | None:
    draft = selectors.draft(la)
    if draft is None:
        messages.info(request, "There is no draft: start one to change the local rules.")
    return draft


# -- The LA's pack -----------------------------------------------------------------------------------


@require_GET
def pack(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LOCAL_OFFER)
    la = la_access.la
    today = timezone.localdate()
    current = selectors.in_force(la, today)
    history = selectors.history(la)
    context = {
        "la": la, "pack": current, "today": today, "history": history, "can_edit": la_access.can(O.MANAGE_LOCAL_RULES),
        "draft": next((p for p in history if p.is_draft), None),
        "coming": [p for p in history if not p.is_draft and p.effective_from and p.effective_from > today],
    }  # fmt: skip
    return render(request, "rulepacks/pack.html", context)


@require_GET
def version(request: HttpRequest, la_id: int, number: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LOCAL_OFFER)
    la = la_access.la
    shown = selectors.version(la, number)
    if shown is None:
        raise Http404("No such version.")
    return render(request, "rulepacks/version.html", {"la": la, "pack": shown})


@require_GET
def setting_rules(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    current = selectors.in_force(setting.local_authority_id, today)
    context = {"setting": setting, "la": setting.local_authority, "pack": current, "today": today}
    return render(request, "rulepacks/setting_rules.html", context)


# -- The draft ---------------------------------------------------------------------------------------


@require_POST
def start_draft(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    draft, made = services.start_draft(actor=la_access.actor, local_authority=la)
    if made:
        messages.success(request, f"Draft version {draft.number} started. Settings see it only once it is published.")
    return redirect("rulepacks:draft", la_id=la.pk)


def _draft_page(
    request: HttpRequest, la: LocalAuthority, draft: RulePack, form: Form, status: int = 200, **extra: Any
) -> HttpResponse:
    publish_form = extra.pop("publish_form", None) or PublishForm(
        initial={"effective_from": timezone.localdate(), "change_note": draft.change_note, "version": draft.version}
    )
    context = {
        "la": la, "pack": draft, "form": form, "publish_form": publish_form,
        "remove_errors": VersionForm(), **extra,
    }  # fmt: skip
    return render(request, "rulepacks/draft.html", context, status=status)


def _refused(form: Form, error: ServiceError) -> int:
    """Keep what was typed (after a stale edit, against the version saved now), with the reason; the
    status to answer: 409 for a stale edit."""
    return 409 if show_refusal(form, error) else 400


@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    current = _draft_or_none(request, la)
    if current is None:
        return redirect("rulepacks:pack", la_id=la.pk)
    form = WordsForm.for_pack(current, request.POST or None)
    if request.method == "GET":
        return _draft_page(request, la, current, form)
    if form.is_valid():
        try:
            services.save_words(
                actor=la_access.actor, pack=current, details=form.details(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except ServiceError as error:
            fresh = selectors.draft(la) or current
            status = _refused(form, error)
            return _draft_page(request, la, fresh, form, status=status, stale=status == 409)
        messages.success(request, "The words have been saved.")
        return redirect("rulepacks:draft", la_id=la.pk)
    return _draft_page(request, la, current, form, status=400)


def _rule_of_draft(draft: RulePack, rule_id: int) -> LocalRule:
    rule = next((r for r in draft.rules.all() if r.pk == rule_id), None)
    if rule is None:
        raise Http404("No such rule in the draft.")
    return rule


@require_http_methods(["GET", "POST"])
def edit_rule(request: HttpRequest, la_id: int, rule_id: int | None = None) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    current = _draft_or_none(request, la)
    if current is None:
        return redirect("rulepacks:pack", la_id=la.pk)
    rule = _rule_of_draft(current, rule_id) if rule_id is not None else None
    saved = {name: getattr(rule, name) for name in services.RULE_FIELDS} if rule else {}
    form = RuleForm(request.POST or None, initial={**saved, "version": current.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actor, version_seen = la_access.actor, form.cleaned_data["version"]
                if rule is None:
                    added = services.add_rule(
                        actor=actor, pack=current, details=form.details(), expected_version=version_seen
                    )
                    messages.success(request, f"Rule added: {added.summary(current)}.")
                else:
                    services.change_rule(actor=actor, rule=rule, details=form.details(), expected_version=version_seen)
                    messages.success(request, f"Rule saved: {rule.summary(current)}.")
                return redirect("rulepacks:draft", la_id=la.pk)
            except ServiceError as error:
                current = selectors.draft(la) or current
                status = _refused(form, error)
    context = {"la": la, "pack": current, "rule": rule, "form": form, "stale": status == 409}
    return render(request, "rulepacks/rule_form.html", context, status=status)


@require_POST
def remove_rule(request: HttpRequest, la_id: int, rule_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    current = _draft_or_none(request, la)
    if current is None:
        return redirect("rulepacks:pack", la_id=la.pk)
    rule = _rule_of_draft(current, rule_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, la, current, WordsForm.for_pack(current), status=400, remove_errors=form)
    try:
        services.remove_rule(actor=la_access.actor, rule=rule, expected_version=form.cleaned_data["version"])
    except ServiceError as error:
        fresh = selectors.draft(la) or current
        form.add_error(None, error.message)
        return _draft_page(request, la, fresh, WordsForm.for_pack(fresh), status=409, remove_errors=form)
    messages.success(request, f"Rule removed: {rule.summary(current)}.")
    return redirect("rulepacks:draft", la_id=la.pk)


@require_POST
def publish(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = _admin_la(request, la_id)
    la = la_access.la
    current = _draft_or_none(request, la)
    if current is None:
        return redirect("rulepacks:pack", la_id=la.pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            published = services.publish(
                actor=la_access.actor, pack=current, effective_from=data["effective_from"],
                change_note=data["change_note"], expected_version=data["version"],
            )  # fmt: skip
        except ServiceError as error:
            fresh = selectors.draft(la) or current
            status = _refused(form, error)
            return _draft_page(request, la, fresh, WordsForm.for_pack(fresh), status=status, publish_form=form)
        messages.success(
            request, f"Version {published.number} published: in force from {published.effective_from:%-d %B %Y}."
        )
        return redirect("rulepacks:pack", la_id=la.pk)
    return _draft_page(request, la, current, WordsForm.for_pack(current), status=400, publish_form=form)


# -- The pathway stages ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def stages(request: HttpRequest, la_id: int) -> HttpResponse:
    """The LA's stages of the pathway, renamed and reordered (pathway keeps them; it has no page for it)."""
    la_access = _admin_la(request, la_id)
    la = la_access.la
    saved = stages_for(la)
    form = StagesForm(request.POST or None, stages=saved, initial={"seen": services.stages_token(saved)})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.arrange_stages(
                    actor=la_access.actor, local_authority=la, names=form.names(), order=form.order(),
                    seen=form.cleaned_data["seen"],
                )  # fmt: skip
            except ServiceError as error:
                saved = stages_for(la)  # show the stages as saved now, to change again
                form = StagesForm(stages=saved, initial={"seen": services.stages_token(saved)})
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, "The stages have been saved.")
                return redirect("rulepacks:pack", la_id=la.pk)
    return render(request, "rulepacks/stages.html", {"la": la, "form": form}, status=status)


# -- A pupil's readiness -----------------------------------------------------------------------------


@require_GET
def readiness(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    pupil = pupil_access.pupil
    form = StepForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "rulepacks/readiness.html", {"pupil": pupil, "form": form}, status=400)
    step = (form.cleaned_data.get("step") if form.is_bound else "") or Step.REQUEST
    today = timezone.localdate()
    # The home LA decides a request; a pupil without one is checked against the setting's LA.
    la_id = pupil.home_local_authority_id or pupil_access.setting.local_authority_id
    current = pack_for(pupil, today, la_id)
    results = evaluate(pupil, current, step=step, on=today)
    record_pupil_view(pupil_access, "readiness against local rules")
    context = {
        "pupil": pupil, "form": form, "pack": current, "results": results, "today": today, "step": step,
        "step_name": step_name(step, current), "la": current.local_authority if current else None,
        "steps": [(value, step_name(value, current)) for value in Step.values],
    }  # fmt: skip
    return render(request, "rulepacks/readiness.html", context)
