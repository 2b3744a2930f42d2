"""Raising and deciding concerns, the pupil's stage, and the SENCO's list of concerns."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission, PupilAccess, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record, record_pupil_view
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.oap import concerns as oap_concerns  # OAP: strategies offered on a concern
from graduated.pathway import selectors, services
from graduated.pathway.forms import ConcernForm, DecisionForm, RemoveFromSENSupportForm, StageForm
from graduated.pathway.models import Concern
from graduated.pupils.codes import SENProvision
from graduated.pupils.services import current_status

P = PupilPermission


def _page(
    request: HttpRequest, pupil_access: PupilAccess, template: str, form: Form | None, **extra: object
) -> HttpResponse:
    """A form page: 200 with a view event on GET, 400 when a POST comes back with errors."""
    if request.method == "GET":
        record_pupil_view(pupil_access, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    status = 400 if request.method == "POST" else 200
    context = {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, **extra}
    return render(request, template, context, status=status)


def _concern_for(pupil_access: PupilAccess, concern_id: int) -> Concern:
    """The concern, only if it is about this pupil: another pupil's id is a 404."""
    concern = (
        Concern.objects.filter(pk=concern_id, pupil=pupil_access.pupil)
        .select_related("raised_by", "decided_by")
        .first()
    )
    if concern is None:
        raise Http404("No such concern.")
    concern.pupil = pupil_access.pupil
    return concern


@require_http_methods(["GET", "POST"])
def raise_concern(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.RAISE_CONCERN)
    form = ConcernForm(request.POST or None)
    # OAP (graduated/oap/concerns.py): the strategies in force for the areas chosen, offered as tried.
    offer = oap_concerns.offer_form(pupil_access, request.POST or None)
    if oap_concerns.showing_only(request):  # "Show strategies for these areas": nothing is saved
        form = oap_concerns.keep_area_errors_only(form)
        context = {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, "oap_offer": offer}
        return render(request, "pathway/raise_concern.html", context, status=400 if form.errors else 200)
    if request.method == "POST" and form.is_valid() and offer.is_valid():
        with transaction.atomic():
            try:
                concern = services.raise_concern(
                    actor=pupil_access.actor, pupil=pupil_access.pupil, **form.cleaned_data
                )
            except services.DuplicateConcernError as duplicate:  # a double submit: keep the first
                messages.info(request, "You have already raised this concern. It has not been raised twice.")
                concern = duplicate.concern
            else:
                messages.success(request, "Concern raised. The SENCO will decide what happens next.")
            oap_concerns.record_tried(pupil_access, concern, offer)  # OAP: the strategies ticked
        return redirect("pathway:concern", pupil_id=pupil_access.pupil.pk, concern_id=concern.pk)
    return _page(request, pupil_access, "pathway/raise_concern.html", form, oap_offer=offer)


def _decision_form(concern: Concern, data: object = None) -> DecisionForm:
    return DecisionForm(data, concern=concern, initial={"version": concern.version})


def _concern_page(
    request: HttpRequest, pupil_access: PupilAccess, concern: Concern, form: DecisionForm | None, **extra: object
) -> HttpResponse:
    return _page(
        request, pupil_access, "pathway/concern.html", form, concern=concern,
        can_decide=pupil_access.can(P.PLAN_SUPPORT) and concern.is_open, **extra,
    )  # fmt: skip


@require_GET
def concern_detail(request: HttpRequest, pupil_id: int, concern_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.VIEW_SUMMARY)
    concern = _concern_for(pupil_access, concern_id)
    form = _decision_form(concern) if pupil_access.can(P.PLAN_SUPPORT) and concern.is_open else None
    return _concern_page(request, pupil_access, concern, form)


@require_POST
def decide_concern(request: HttpRequest, pupil_id: int, concern_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    concern = _concern_for(pupil_access, concern_id)
    if not concern.is_open:
        # A double submit, or another SENCO decided first: nothing changes.
        messages.info(request, "A decision on this concern has already been recorded. It has not been changed.")
        return redirect("pathway:concern", pupil_id=pupil_access.pupil.pk, concern_id=concern.pk)
    form = _decision_form(concern, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_concern(
                actor=pupil_access.actor, concern=concern, decision=data["decision"], decided_on=data["decided_on"],
                note=data["decision_note"], look_again_on=data["look_again_on"],
                parents_notified_on=data["parents_notified_on"], expected_version=data["version"],
                needs=[] if form.keeps_current_needs else form.chosen_needs(),
                replace_needs=bool(data.get("replace_needs")),
            )  # fmt: skip
        except services.AlreadyDecidedError as decided:
            messages.info(request, decided.message)
            return redirect("pathway:concern", pupil_id=pupil_access.pupil.pk, concern_id=concern.pk)
        except ServiceError as error:  # someone else changed the concern since the form was read
            concern.refresh_from_db()
            show_refusal(form, error)
        except ValidationError as error:  # the pupil's status or stage changed since the form was checked
            form.add_error(None, error.messages)
        else:
            concern.refresh_from_db()
            messages.success(request, f"Decision recorded: {concern.get_decision_display()}.")
            return redirect("pupils:detail", pupil_id=pupil_access.pupil.pk)
    return _concern_page(request, pupil_access, concern, form)


@require_http_methods(["GET", "POST"])
def change_stage(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    pupil = pupil_access.pupil
    stages = services.stages_for(pupil_access.setting.local_authority)
    form = StageForm(request.POST or None, pupil=pupil, stages=stages)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.change_stage(actor=pupil_access.actor, pupil=pupil, **form.cleaned_data)
        except ValidationError as error:  # someone changed the stage since the form was checked
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Stage is now ‘{period.stage.name}’.")
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return _page(
        request, pupil_access, "pathway/change_stage.html", form,
        history=selectors.stage_history(pupil),
        **selectors.pupil_pathway(pupil, pupil_access.setting.local_authority_id),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def remove_from_sen_support(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, P.PLAN_SUPPORT)
    pupil = pupil_access.pupil
    status = current_status(pupil)
    form = RemoveFromSENSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_from_sen_support(actor=pupil_access.actor, pupil=pupil, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_messages)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "The pupil no longer has SEN support (status N).")
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return _page(
        request, pupil_access, "pathway/remove_sen_support.html", form,
        current_status=status, has_sen_support=status is not None and status.status == SENProvision.SEN_SUPPORT,
    )  # fmt: skip


@require_GET
def setting_concerns(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    role = next((m.role for m in access.memberships_of(request.user) if m.setting_id == setting.pk), "")
    record(
        Actor(user=request.user, role=role, setting_id=setting.pk),  # type: ignore[arg-type]
        AuditAction.VIEW,
        object_type="open concerns",
        object_id=str(setting.pk),
    )
    return render(request, "pathway/setting_concerns.html", {"setting": setting, **selectors.setting_concerns(setting)})
