"""The setting's SEN register, its CSV export, adding a pupil, and a teacher's own pupils."""

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.pupils import selectors, services
from graduated.pupils.forms import NewPupilForm, RegisterFilterForm
from graduated.pupils.year_groups import census_year_code

PAGE_SIZE = 50


def _filters(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilters]:
    form = RegisterFilterForm(request.GET)
    form.is_valid()  # malformed values are dropped, not refused: a filter is not a record
    data: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
    return form, selectors.RegisterFilters(**data)


def _pupil_url_base() -> str:
    """``reverse("pupils:detail", args=[pk])`` is this followed by ``f"{pk}/"``."""
    zero = reverse("pupils:detail", args=[0])
    assert zero.endswith("/0/")
    return zero[:-2]


@require_GET
def register(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    form, filters = _filters(request)
    page = Paginator(selectors.register(setting, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "setting": setting,
        "form": form,
        "filters": filters,
        "page": page,
        "can_add": setting_access.can(OrganisationPermission.ADD_PUPIL),
        "can_export": setting_access.can(OrganisationPermission.EXPORT_REGISTER),
        # Each row links to its pupil: the address is made once here, not reversed for every row.
        "pupil_url_base": _pupil_url_base(),
    }
    template = "pupils/_register_results.html" if request.htmx else "pupils/register.html"  # type: ignore[attr-defined]
    return render(request, template, context)


CSV_HEADER = [
    "UPN", "Legal surname", "Legal forename", "Preferred surname", "Preferred forename",
    "Date of birth", "NC year", "Sex", "SEN provision", "Status since", "SEN type rank 1",
    "SEN type rank 2", "Other SEN types",
]  # fmt: skip


def _safe_cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; quote them to keep data as data."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def register_export(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.EXPORT_REGISTER)
    setting = setting_access.setting
    _, filters = _filters(request)
    pupils = list(selectors.register(setting, filters))
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sen-register-{setting.urn or setting.pk}-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for pupil in pupils:
        # current_needs, current_status and current_status_since are loaded by selectors.register.
        annotated: Any = pupil
        needs = [need.sen_type for need in annotated.current_needs]
        row = [
            pupil.upn, pupil.legal_last_name, pupil.legal_first_name, pupil.preferred_last_name,
            pupil.preferred_first_name, pupil.date_of_birth.isoformat(), census_year_code(pupil.year_group(today)),
            pupil.sex, annotated.current_status, annotated.current_status_since,
            needs[0] if needs else "", needs[1] if len(needs) > 1 else "", " ".join(needs[2:]),
        ]  # fmt: skip
        writer.writerow(_safe_cell(value) for value in row)
    record(
        setting_access.actor,
        AuditAction.EXPORT,
        object_type="sen register",
        object_id=str(setting.pk),
        description=f"SEN register CSV: {len(pupils)} pupils; filters {filters}",
    )
    return response


@require_http_methods(["GET", "POST"])
def add_pupil(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.ADD_PUPIL)
    setting = setting_access.setting
    form = NewPupilForm(request.POST or None, initial={"home_local_authority": setting.local_authority})
    if request.method == "POST" and form.is_valid():
        details = dict(form.cleaned_data)
        start_date = details.pop("start_date")
        actor = setting_access.actor
        pupil = services.register_pupil(actor=actor, setting=setting, start_date=start_date, details=details)
        return redirect("pupils:detail", pupil_id=pupil.pk)
    status = 400 if form.is_bound else 200  # a form sent back with errors is a 400
    return render(request, "pupils/add_pupil.html", {"setting": setting, "form": form}, status=status)
