"""The pages of a pupil's SEN record following them to another setting.

A setting's SENCO (``TRANSFER_RECORDS``) asks for a record, sees the requests their setting has
made and been sent, and decides those it was sent. Any other person, and any transfer neither sent
nor received by the setting, gets 404. The receiving setting reads the previous settings' part of
a transferred pupil's record on ``previous_settings``.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationAccess, OrganisationPermission, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.records import previous, transfers
from graduated.records.models import RecordTransfer, TransferStatus
from graduated.records.transfer_forms import DecisionForm, RequestForm

TRANSFER = OrganisationPermission.TRANSFER_RECORDS
LISTED = 50


def _setting(request: HttpRequest, setting_id: int) -> OrganisationAccess:
    return access.get_setting_for_user(request.user, setting_id, TRANSFER)


def _transfer(setting_access: OrganisationAccess, transfer_id: int) -> RecordTransfer:
    transfer = transfers.transfer_of(setting_access.setting, transfer_id)
    if transfer is None:
        raise Http404("No such request.")
    return transfer


@require_GET
def transfer_list(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = _setting(request, setting_id)
    setting = setting_access.setting
    asked, made = transfers.transfers_of(setting)
    context = {"setting": setting, "asked": list(asked[:LISTED]), "made": list(made[:LISTED])}
    record(setting_access.actor, AuditAction.VIEW, object_type="record transfers", object_id=str(setting.pk),
           description=f"Viewed the record transfers of setting {setting.pk}")  # fmt: skip
    return render(request, "records/transfers.html", context)


@require_http_methods(["GET", "POST"])
def transfer_request(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = _setting(request, setting_id)
    setting = setting_access.setting
    form = RequestForm(request.POST or None, setting=setting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfers.request_record(
                actor=setting_access.actor, setting=setting, upn=data["upn"], date_of_birth=data["date_of_birth"],
                starts_on=data["starts_on"], declared=data.get("declared", ()),
                declaration_notes=data.get("declaration_notes", ""),
            )  # fmt: skip
        except ServiceError as refused:
            show_refusal(form, refused, version_field=None)
        else:
            messages.success(request, f"You have asked {transfer.from_setting.name} for the pupil's record.")
            return redirect("records:transfer", setting_id=setting.pk, transfer_id=transfer.pk)
    context = {"setting": setting, "form": form, "post_16": transfers.takes_declarations(setting)}
    return render(request, "records/transfer_request.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, setting_id: int, transfer_id: int) -> HttpResponse:
    setting_access = _setting(request, setting_id)
    transfer = _transfer(setting_access, transfer_id)
    sending = transfer.from_setting_id == setting_access.setting.pk
    may_decide = sending and transfer.status == TransferStatus.REQUESTED
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not sending:
            raise Http404("No such request to decide.")
        if not may_decide:  # a second submit, or someone else decided first
            messages.info(request, f"This request has already been decided: {transfer.get_status_display().lower()}.")
            return redirect("records:transfer", setting_id=setting_access.setting.pk, transfer_id=transfer.pk)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    transfers.approve(actor=setting_access.actor, transfer=transfer)
                    messages.success(request, f"The record has gone to {transfer.to_setting.name}.")
                else:
                    transfers.refuse(actor=setting_access.actor, transfer=transfer, reason=form.cleaned_data["reason"])
                    messages.success(request, f"You have refused the request. {transfer.to_setting.name} is told why.")
            except ServiceError as refused:
                show_refusal(form, refused, version_field=None)
            else:
                return redirect("records:transfers", setting_id=setting_access.setting.pk)
    if request.method == "GET":
        # On the pupil's trail either way: the sending setting sees whose record it is, the
        # receiving one only what it typed until the record is released.
        record(
            setting_access.actor, AuditAction.VIEW, obj=transfer, pupil_id=transfer.pupil_id,
            description=f"Viewed record transfer {transfer.pk}",
        )  # fmt: skip
    context = {
        "setting": setting_access.setting, "transfer": transfer, "sending": sending, "form": form,
        "may_decide": may_decide, "open_cycle": previous.open_cycle_at(transfer) if may_decide else None,
    }  # fmt: skip
    return render(request, "records/transfer_detail.html", context, status=400 if form.is_bound else 200)


@require_POST
def transfer_withdraw(request: HttpRequest, setting_id: int, transfer_id: int) -> HttpResponse:
    setting_access = _setting(request, setting_id)
    transfer = _transfer(setting_access, transfer_id)
    if transfer.to_setting_id != setting_access.setting.pk:
        raise Http404("No such request to withdraw.")
    try:
        transfers.withdraw(actor=setting_access.actor, transfer=transfer)
    except ServiceError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "You have withdrawn the request.")
    return redirect("records:transfers", setting_id=setting_access.setting.pk)


@require_GET
def previous_settings(request: HttpRequest, pupil_id: int) -> HttpResponse:
    """What the pupil's previous settings wrote, read-only (the page's VIEW event is written by
    construction: the lookup notes the pupil)."""
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    parts = previous.parts_for(pupil_access)
    if not parts:
        raise Http404("This pupil's record has not come from another setting.")
    return render(request, "records/previous_settings.html", {"pupil": pupil_access.pupil, "parts": parts})
