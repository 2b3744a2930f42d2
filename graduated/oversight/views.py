"""The LA dashboard, a setting's figures, and each as a spreadsheet.

Who: the LA's officers and admins (VIEW_LA_FIGURES at the LA, through ``access.get_la_for_user``);
a setting's page answers to the setting's own LA, so everyone else, another LA's officers and every
school's staff among them, gets 404. The pages show aggregates only. A setting's page lists the
setting's requests for an EHC needs assessment, with the pupils' names, only to an officer who works
the LA's cases (WORK_EHC_CASES): the names they reach through the case work anyway, each view
audited for its pupil. Each download writes one EXPORT audit event.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationAccess
from graduated.access import OrganisationPermission as O
from graduated.audit.models import AuditAction
from graduated.audit.services import Entry, record, record_many
from graduated.ehc.models import EHCRequest
from graduated.lib.exports import attachment
from graduated.organisations.models import Setting
from graduated.oversight import exports, outliers, selectors, tables
from graduated.oversight.charts import BarChart, bar_chart
from graduated.oversight.figures import percent_text
from graduated.oversight.forms import FilterForm
from graduated.oversight.selectors import Filters, Overview
from graduated.provision.map_exports import XLSX_TYPE


def today() -> date:
    """The day the figures are for (a function, so that tests can choose it)."""
    return timezone.localdate()


@dataclass(frozen=True)
class Charts:
    needs: BarChart | None
    phases: BarChart | None
    years: BarChart | None
    terms: BarChart | None


def _charts(overview: Overview, prefix: str) -> Charts:
    needs = [(line.label, line.pupils, f"{line.pupils} ({line.sen_support} SEN support, {line.ehc_plans} EHC plans)")
             for line in overview.needs]  # fmt: skip
    phases = [(line.label, line.counts.register_rate or 0, percent_text(line.counts.register_rate))
              for line in overview.phases]  # fmt: skip
    years = [(line.label, line.pupils, str(line.pupils)) for line in overview.years]
    term_bars = [
        (column.label, counts.on_register, f"{counts.on_register} ({percent_text(counts.register_rate)})")
        for column in overview.terms
        if (counts := column.counts) is not None
    ]  # fmt: skip
    return Charts(
        needs=bar_chart(f"{prefix}-needs", "Pupils on the SEN register by primary need", needs),
        phases=bar_chart(f"{prefix}-phases", "Share of pupils on the SEN register by phase", phases)
        if len(phases) > 1
        else None,
        years=bar_chart(f"{prefix}-years", "Pupils on the SEN register by year group", years),
        terms=bar_chart(f"{prefix}-terms", "Pupils on the SEN register at the end of each term, and now", term_bars),
    )


def _filtered(request: HttpRequest, la_access: OrganisationAccess) -> tuple[FilterForm, Filters | None]:
    form = FilterForm(request.GET or None, selectors.la_areas(la_access.la))
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.filters()


def _refused(request: HttpRequest, la_access: OrganisationAccess, form: FilterForm) -> HttpResponse:
    """A filter that is not one of the choices: the page with the message, no figures, a 400."""
    context = {"la": la_access.la, "form": form, "overview": None}
    return render(request, "oversight/dashboard.html", context, status=400)


def _context(overview: Overview, prefix: str) -> dict[str, Any]:
    return {
        "overview": overview, "charts": _charts(overview, prefix), "sheets": tables.page_sheets(overview),
        "outliers": tables.outlier_groups(overview), "rules": outliers.RULES,
    }  # fmt: skip


@require_GET
def dashboard(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LA_FIGURES)
    form, filters = _filtered(request, la_access)
    if filters is None:
        return _refused(request, la_access, form)
    la = la_access.la
    settings = selectors.settings_for(la, filters)
    overview = selectors.overview(la, settings, today(), whole_la=not filters.active)
    context = {"la": la, "form": form, "filters": filters, **_context(overview, "la")}
    return render(request, "oversight/dashboard.html", context)


@require_GET
def dashboard_export(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LA_FIGURES)
    form, filters = _filtered(request, la_access)
    if filters is None:
        return _refused(request, la_access, form)
    la = la_access.la
    settings = selectors.settings_for(la, filters)
    day = today()
    overview = selectors.overview(la, settings, day, whole_la=not filters.active)
    record(
        la_access.actor, AuditAction.EXPORT, object_type="oversight dashboard", object_id=str(la.pk),
        description=f"SEN dashboard spreadsheet: {len(overview.settings)} settings ({filters.words})",
    )  # fmt: skip
    title = f"SEN dashboard – {la.name}"
    content = exports.render(tables.export_sheets(overview), title)
    return attachment(content, XLSX_TYPE, f"sen-dashboard-{slugify(la.name)}-{day.isoformat()}.xlsx")


def _setting_for_officer(request: HttpRequest, setting_id: int) -> tuple[OrganisationAccess, Setting]:
    """The setting, with its LA's access: 404 unless the person sees their LA's figures there."""
    setting = selectors.setting_with_area(setting_id)
    if setting is None:
        raise Http404("No such setting.")
    la_access = access.get_la_for_user(request.user, setting.local_authority_id, O.VIEW_LA_FIGURES)
    return la_access, setting


def _cases(la_access: OrganisationAccess, setting: Setting, overview: Overview) -> list[EHCRequest] | None:
    """The setting's requests this year with the pupils' names, for an officer who works the cases
    (each pupil named gets a VIEW audit event); None for anyone else."""
    if not la_access.can(O.WORK_EHC_CASES):
        return None
    cases = selectors.setting_cases(la_access.la, setting, date(overview.year, 9, 1))
    if cases:
        record_many(
            la_access.actor,
            [
                Entry(
                    AuditAction.VIEW,
                    "oversight setting requests",
                    str(case.pk),
                    case.pupil_id,
                    f"Requests from {setting.name} on the SEN dashboard",
                )
                for case in cases
            ],
        )
    return cases


@require_GET
def setting_page(request: HttpRequest, setting_id: int) -> HttpResponse:
    la_access, setting = _setting_for_officer(request, setting_id)
    la = la_access.la
    overview = selectors.overview(la, [setting], today(), whole_la=False)
    context = {
        "la": la, "setting": setting, "figures": overview.settings[0], "cases": _cases(la_access, setting, overview),
        **_context(overview, "setting"),
    }  # fmt: skip
    return render(request, "oversight/setting.html", context)


@require_GET
def setting_export(request: HttpRequest, setting_id: int) -> HttpResponse:
    la_access, setting = _setting_for_officer(request, setting_id)
    day = today()
    overview = selectors.overview(la_access.la, [setting], day, whole_la=False)
    record(
        la_access.actor, AuditAction.EXPORT, object_type="oversight setting", object_id=str(setting.pk),
        description=f"SEN figures spreadsheet: {setting.name}",
    )  # fmt: skip
    content = exports.render(tables.export_sheets(overview), f"SEN figures – {setting.name}")
    return attachment(content, XLSX_TYPE, f"sen-figures-{slugify(setting.name)}-{day.isoformat()}.xlsx")
