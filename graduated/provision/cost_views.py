"""The cost pages: a setting's staff costs and budgets, and the costed provision maps of a pupil and
of a setting, each as a page, a spreadsheet and a PDF.

Who: a pupil's map needs the whole record (SENCO, senior leaders); a setting's map and its staff
costs are read by those who read the register (SENCO, senior leaders) and the costs are set by
whoever manages the catalogue (the SENCO). Every page or file of pupil data writes one audit event.
"""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.access import PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.lib.exports import PDF_TYPE, ExportUnavailableError, Outline, attachment, render_pdf
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.organisations.models import Setting
from graduated.provision import cost_services, map_exports, provision_maps
from graduated.provision.cost_forms import Period, PeriodError, StaffCostsForm, date_parts, read_period, year_choices
from graduated.provision.cost_services import academic_year_label, budget_key, role_key
from graduated.provision.costs import money
from graduated.provision.models import DeliveryRole, SenBudget, StaffCost
from graduated.pupils.year_groups import academic_year_start

FORMATS = ("xlsx", "pdf")
GRID_PAGE_SIZE = 50  # pupils in a page of the setting map's grid


# -- Staff costs and budgets ------------------------------------------------------------------------------


def _stored(setting: Setting, years: list[int]) -> tuple[dict[str, StaffCost], dict[int, SenBudget]]:
    costs = {row.role: row for row in StaffCost.objects.filter(setting=setting)}
    budgets = {row.year_starting: row for row in SenBudget.objects.filter(setting=setting, year_starting__in=years)}
    return costs, budgets


def _saved_now(costs: dict[str, StaffCost], budgets: dict[int, SenBudget], years: list[int]) -> list[tuple[str, str]]:
    pairs = [
        (f"{role.label} (an hour)", money(costs[role.value].hourly_cost) if role.value in costs else "Not set")
        for role in DeliveryRole
    ]
    pairs += [
        (
            f"Notional SEN budget for {academic_year_label(year)}",
            money(budgets[year].amount) if year in budgets else "Not set",
        )
        for year in years
    ]
    return pairs


@require_http_methods(["GET", "POST"])
def staff_costs(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    can_edit = setting_access.can(O.MANAGE_PROVISION_CATALOGUE)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("Only the SENCO sets staff costs.")
    current = academic_year_start(timezone.localdate())
    years = [current, current + 1]
    costs, budgets = _stored(setting, years)
    data = request.POST if request.method == "POST" else None
    form = StaffCostsForm(data, costs=costs, budgets=budgets, years=years)
    context: dict[str, Any] = {"setting": setting, "can_edit": can_edit, "years": years}
    if data is not None and form.is_valid():
        try:
            changed = cost_services.save_cost_settings(
                actor=setting_access.actor, setting=setting, hourly=form.hourly(),
                budgets=form.budget_amounts(), versions=form.versions(),
            )  # fmt: skip
        except StaleEditError as error:
            # The typing is kept, against the version of each row saved now.
            costs, budgets = _stored(setting, years)
            fresh = data.copy()
            for role in DeliveryRole:
                fresh[f"version_{role_key(role.value)}"] = str(costs[role.value].version if role.value in costs else 0)
            for year in years:
                fresh[f"version_{budget_key(year)}"] = str(budgets[year].version if year in budgets else 0)
            form = StaffCostsForm(fresh, costs=costs, budgets=budgets, years=years)
            show_refusal(form, error, version_field=None)
            context["saved_now"] = _saved_now(costs, budgets, years)
        else:
            messages.success(request, "Staff costs saved." if changed else "Nothing was changed.")
            return redirect("provision:staff_costs", setting_id=setting.pk)
    context |= {"form": form, "saved": _saved_now(costs, budgets, years)}
    return render(request, "provision/staff_costs.html", context, status=400 if form.is_bound else 200)


# -- Provision maps -------------------------------------------------------------------------------------


def _period_context(request: HttpRequest, period: Period | None, error: str = "") -> dict[str, Any]:
    today = timezone.localdate()
    typed = {name: date_parts(request.GET, name) for name in ("from", "to")}
    on_dates = bool(request.GET.get("from") or request.GET.get("to")) or any(
        value for parts in typed.values() for value in parts.values()
    )
    # The date inputs show what was typed, else the dates shown (from a download link's ?from=&to=).
    for name, shown in (("from", period.starts_on if period else None), ("to", period.ends_on if period else None)):
        if not any(typed[name].values()) and shown is not None and on_dates:
            typed[name] = {"day": str(shown.day), "month": str(shown.month), "year": str(shown.year)}
    return {
        "period": period,
        "period_error": error,
        "dates_error": error if on_dates else "",
        "year_error": "" if on_dates else error,
        "year_choices": year_choices(today),
        "chosen_year": period.year_starting if period else None,
        "from_parts": typed["from"],
        "to_parts": typed["to"],
    }


def _download(
    request: HttpRequest, outline: Outline, sheets: list[map_exports.Sheet], file_format: str
) -> HttpResponse:
    if file_format == "xlsx":
        content = map_exports.render_xlsx(sheets, outline.title)
        return attachment(content, map_exports.XLSX_TYPE, outline.filename("xlsx"))
    try:
        content = render_pdf(outline)
    except ExportUnavailableError as error:
        return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)
    return attachment(content, PDF_TYPE, outline.filename("pdf"))


@require_GET
def pupil_map(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    pupil = pupil_access.pupil
    try:
        period = read_period(request.GET, timezone.localdate())
    except PeriodError as error:
        context = {"pupil": pupil, **_period_context(request, None, error.message)}
        return render(request, "provision/pupil_map.html", context, status=400)
    costed = provision_maps.pupil_map(pupil, period)
    record_pupil_view(pupil_access, "costed provision map")
    context = {
        "pupil": pupil, "map": costed,
        "rows": [(line, money(line.cost.staff_cost), money(line.cost.resources_share), money(line.cost.total))
                 for line in costed.lines],
        "totals": [money(costed.staff_total), money(costed.resources_total), money(costed.total)],
        "summary": map_exports.page_facts(map_exports.pupil_summary(costed)),
        "warning": map_exports.over_threshold_warning(costed.total) if costed.over_element_2 else "",
        "costed_from_the_plan": map_exports.COSTED_FROM_THE_PLAN, "weeks_counted": map_exports.WEEKS_COUNTED,
        **_period_context(request, period),
    }  # fmt: skip
    return render(request, "provision/pupil_map.html", context)


@require_GET
def pupil_map_export(request: HttpRequest, pupil_id: int, file_format: str) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    if file_format not in FORMATS:
        raise Http404("No such format.")
    pupil = pupil_access.pupil
    try:
        period = read_period(request.GET, timezone.localdate())
    except PeriodError as error:
        context = {"pupil": pupil, **_period_context(request, None, error.message)}
        return render(request, "provision/pupil_map.html", context, status=400)
    costed = provision_maps.pupil_map(pupil, period)
    outline = map_exports.pupil_outline(costed)
    response = _download(request, outline, map_exports.pupil_sheets(costed), file_format)
    if response.status_code == 200:
        record(
            pupil_access.actor, AuditAction.EXPORT, object_type="costed provision map", object_id=str(pupil.pk),
            pupil_id=pupil.pk, description=f"Costed provision map ({outline.subtitle}) as {file_format.upper()}",
        )  # fmt: skip
    return response


def _setting_map_page(request: HttpRequest, setting: Setting, period: Period | None, error: str = "") -> HttpResponse:
    context: dict[str, Any] = {"setting": setting, **_period_context(request, period, error)}
    if period is None:
        return render(request, "provision/setting_map.html", context, status=400)
    costed = provision_maps.setting_map(setting, period)
    _summary, grid, interventions, *totals, over = map_exports.setting_sheets(costed)
    # The grid a page of pupils at a time (?page=), its last row the whole setting's totals on every
    # page: a school's grid of hundreds of pupils by dozens of interventions is too slow to draw at once.
    pupils = Paginator(grid.rows[:-1], GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = replace(grid, rows=[*pupils.object_list, *grid.rows[-1:]])
    permissions = access.setting_permissions(request.user, setting)
    context |= {
        "map": costed, "summary": map_exports.page_facts(map_exports.setting_summary(costed)), "grid": shown,
        "page": pupils,
        "interventions": interventions, "totals": totals, "over": over,
        "can_export": O.EXPORT_REGISTER in permissions, "can_set_costs": O.MANAGE_PROVISION_CATALOGUE in permissions,
        "costed_from_the_plan": map_exports.COSTED_FROM_THE_PLAN, "weeks_counted": map_exports.WEEKS_COUNTED,
    }  # fmt: skip
    return render(request, "provision/setting_map.html", context)


@require_GET
def setting_map(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    try:
        period = read_period(request.GET, timezone.localdate())
    except PeriodError as error:
        return _setting_map_page(request, setting, None, error.message)
    response = _setting_map_page(request, setting, period)
    record(
        setting_access.actor, AuditAction.VIEW, object_type="setting provision map",
        object_id=str(setting.pk), description=f"Provision map of {setting.name}, {period.label}",
    )  # fmt: skip
    return response


@require_GET
def setting_map_export(request: HttpRequest, setting_id: int, file_format: str) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.EXPORT_REGISTER)
    setting = setting_access.setting
    if file_format not in FORMATS:
        raise Http404("No such format.")
    try:
        period = read_period(request.GET, timezone.localdate())
    except PeriodError as error:
        return _setting_map_page(request, setting, None, error.message)
    costed = provision_maps.setting_map(setting, period)
    outline = map_exports.setting_outline(costed)
    response = _download(request, outline, map_exports.setting_sheets(costed), file_format)
    if response.status_code == 200:
        record(
            setting_access.actor, AuditAction.EXPORT, object_type="setting provision map",
            object_id=str(setting.pk), description=f"{outline.title} ({outline.subtitle}) as {file_format.upper()}",
        )  # fmt: skip
    return response
