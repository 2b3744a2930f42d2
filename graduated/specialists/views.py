"""Referrals: a pupil's referrals to the LA's services, one referral with its dates, advice and
recommendations, and a setting's referrals with their waiting figures.

Readers: whoever may see the pupil's whole record (VIEW_RECORD: SENCO, senior leaders). Writers:
PLAN_SUPPORT (the SENCO), at the setting that made the referral; another setting's referral of
the same pupil is read only. Anyone else gets 404.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.families.consent import answers_to as family_answers_to
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.specialists import selectors, services
from graduated.specialists.forms import DecisionForm, RecommendationForm, ReferralForm
from graduated.specialists.models import Recommendation, RecommendationStatus, Referral


def _reader(request: HttpRequest, pupil_id: int) -> PupilAccess:
    return access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)


def _writer(request: HttpRequest, pupil_id: int) -> PupilAccess:
    return access.get_pupil_for_user(request.user, pupil_id, PupilPermission.PLAN_SUPPORT)


def _changeable(pupil_access: PupilAccess, referral_id: int) -> Referral:
    referral = selectors.referral_for(pupil_access, referral_id)
    if referral.setting_id != pupil_access.setting.pk:
        raise PermissionDenied(f"{referral.setting.name} made this referral: only they can change it.")
    return referral


def _referral_url(referral: Referral) -> str:
    return reverse("specialists:referral", args=[referral.pupil_id, referral.pk])


def _form_page(
    request: HttpRequest, pupil_access: PupilAccess, template: str, form: Form, **extra: Any
) -> HttpResponse:
    if request.method == "GET":
        record_pupil_view(pupil_access, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    context = {
        "pupil": pupil_access.pupil,
        "access": pupil_access,
        "form": form,
        "today": timezone.localdate(),
        **extra,
    }
    return render(request, template, context, status=400 if request.method == "POST" else 200)


@require_GET
def pupil_referrals(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    context = {
        "pupil": pupil_access.pupil, "access": pupil_access, "today": timezone.localdate(),
        "referrals": selectors.pupil_referrals(pupil_access.pupil),
        "can_refer": pupil_access.can(PupilPermission.PLAN_SUPPORT),
    }  # fmt: skip
    record_pupil_view(pupil_access, "referrals")
    return render(request, "specialists/pupil_referrals.html", context)


@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    directory = {service.pk: service for service in selectors.directory_for(pupil_access.setting)}
    choices = [(pk, f"{service.name} ({service.get_kind_display()})") for pk, service in directory.items()]
    form = ReferralForm(
        request.POST or None, pupil=pupil_access.pupil, service_choices=choices, initial={"consent_by": "not_yet"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                actor=pupil_access.actor, pupil=pupil_access.pupil, setting=pupil_access.setting,
                service=directory[form.cleaned_data["service"]], details=form.details(),
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Referral to {referral.service.name} saved.")
            return redirect(_referral_url(referral))
    return _form_page(request, pupil_access, "specialists/referral_form.html", form, directory=directory)


@require_GET
def referral_detail(request: HttpRequest, pupil_id: int, referral_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    referral = selectors.referral_for(pupil_access, referral_id)
    can_change = pupil_access.can(PupilPermission.PLAN_SUPPORT) and referral.setting_id == pupil_access.setting.pk
    context = {
        "pupil": pupil_access.pupil, "access": pupil_access, "referral": referral, "today": timezone.localdate(),
        "recommendations": selectors.recommendations_of(referral), "can_change": can_change,
        "family_consents": family_answers_to(referral),
    }  # fmt: skip
    record_pupil_view(pupil_access, "referral", str(referral.pk))
    return render(request, "specialists/referral.html", context)


@require_http_methods(["GET", "POST"])
def edit_referral(request: HttpRequest, pupil_id: int, referral_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    referral = _changeable(pupil_access, referral_id)
    pupil = pupil_access.pupil
    saved = {name: getattr(referral, name) for name in services.REFERRAL_FIELDS}
    form: Form = ReferralForm(request.POST or None, pupil=pupil, initial={**saved, "version": referral.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        assert isinstance(form, ReferralForm)
        try:
            services.update_referral(
                actor=pupil_access.actor, referral=referral, details=form.details(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except ServiceError as error:
            stale = show_refusal(form, error)
        else:
            messages.success(request, "Referral saved.")
            return redirect(_referral_url(referral))
    return _form_page(request, pupil_access, "specialists/referral_form.html", form, referral=referral, stale=stale)


@require_http_methods(["GET", "POST"])
def new_recommendation(request: HttpRequest, pupil_id: int, referral_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    referral = _changeable(pupil_access, referral_id)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_recommendation(actor=pupil_access.actor, referral=referral, text=form.cleaned_data["text"])
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Recommendation added.")
            return redirect(_referral_url(referral))
    return _form_page(request, pupil_access, "specialists/recommendation_form.html", form, referral=referral)


def _recommendation_of(referral: Referral, recommendation_id: int) -> Recommendation:
    recommendation = Recommendation.objects.filter(pk=recommendation_id, referral=referral).first()
    if recommendation is None:
        raise Http404("No such recommendation.")
    recommendation.referral = referral
    return recommendation


@require_http_methods(["GET", "POST"])
def decide_recommendation(
    request: HttpRequest, pupil_id: int, referral_id: int, recommendation_id: int
) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    referral = _changeable(pupil_access, referral_id)
    recommendation = _recommendation_of(referral, recommendation_id)
    provisions = services.pupil_provisions(pupil_access.pupil)
    initial: dict[str, Any] = {"version": recommendation.version}
    if recommendation.status != RecommendationStatus.NOT_CONSIDERED:
        initial |= {
            "outcome": recommendation.status, "provision": recommendation.provision_id,
            "reason": recommendation.reason_not_in_place, "decided_on": recommendation.decided_on,
        }  # fmt: skip
    form: Form = DecisionForm(request.POST or None, provisions=provisions, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert isinstance(form, DecisionForm)
        data = form.cleaned_data
        try:
            services.decide_recommendation(
                actor=pupil_access.actor, recommendation=recommendation, put_in_place=data["outcome"] == "put_in_place",
                provision=form.chosen_provision(), reason=data["reason"], decided_on=data["decided_on"],
                expected_version=data["version"],
            )  # fmt: skip
        except ServiceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Recommendation marked {recommendation.get_status_display().lower()}.")
            return redirect(_referral_url(referral))
    return _form_page(
        request, pupil_access, "specialists/decision_form.html", form, referral=referral,
        recommendation=recommendation, provisions=provisions,
    )  # fmt: skip


@require_GET
def setting_referrals(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    today = timezone.localdate()
    context = {
        "setting": setting, "today": today, "figures": selectors.setting_waiting_figures(setting, today),
        "referrals": selectors.setting_referrals(setting),
    }  # fmt: skip
    record(
        setting_access.actor, AuditAction.VIEW, object_type="referrals overview",
        object_id=str(setting.pk), description="Referrals to local services and their waiting times",
    )  # fmt: skip
    return render(request, "specialists/setting_referrals.html", context)
