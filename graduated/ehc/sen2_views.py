"""The SEN2 return's pages: the check of a year's return with its downloads (XML, or CSV by module),
and the case's placements and SEN2 details. The return needs VIEW_LA_FIGURES; the case's pages the
case work permission, as every action on a case.

The return is built in the background (sen2_builds.py, "Build the return again") and kept: the check
page shows the last one built, how far a new build has got (refreshing itself meanwhile, as the
evidence bundle's page does: no JavaScript needed) and whether the cases changed since; the downloads
serve the stored files, or a page saying there is none yet (409)."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc import sen2_builds, sen2_forms, sen2_return, sen2_services, services
from graduated.ehc.models import EHCPlan, EHCRequest, Placement
from graduated.ehc.timeline import plan_of
from graduated.ehc.views import action_page
from graduated.lib.errors import ServiceError

FIRST_YEAR = 2023  # the person-level return's first year
YEAR_ERROR = "Choose a year from the list"


class YearForm(django_forms.Form):
    year = django_forms.TypedChoiceField(label="Return", coerce=int, required=False, error_messages={
        "invalid_choice": YEAR_ERROR})  # fmt: skip

    def __init__(self, *args: Any, latest: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = range(latest, FIRST_YEAR - 1, -1)
        field = self.fields["year"]
        assert isinstance(field, django_forms.TypedChoiceField)
        field.choices = [(year, f"SEN2 {year} (census {sen2_return.reference_date(year):%-d %B %Y})") for year in years]


def _year(request: HttpRequest, la_id: int) -> tuple[access.OrganisationAccess, YearForm, int | None]:
    """The LA (VIEW_LA_FIGURES, else 404) and the year chosen (GET, or the build's POST); None if invalid."""
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    latest = sen2_return.return_year(timezone.localdate())
    data = request.POST if request.method == "POST" else request.GET
    form = YearForm(data or None, latest=latest)
    if form.is_bound and not form.is_valid():
        return la_access, form, None
    return la_access, form, (form.cleaned_data.get("year") if form.is_bound else None) or latest


def _check_url(la_id: int, year: int) -> str:
    return f"{reverse('ehc:sen2_check', args=[la_id])}?year={year}"


REFRESH_SECONDS = 5  # how often the check page reloads itself while the return is being built


def _invalid_year(request: HttpRequest, la_access: access.OrganisationAccess, form: YearForm) -> HttpResponse:
    return render(request, "ehc/sen2_check.html", {"la": la_access.la, "form": form}, status=400)


@require_GET
def sen2_check(request: HttpRequest, la_id: int) -> HttpResponse:
    """The return last built for the year (built in the background: sen2_builds), its findings, and
    "Build the return again". A fixed number of queries, whatever the size of the LA."""
    la_access, form, year = _year(request, la_id)
    if year is None:
        return _invalid_year(request, la_access, form)
    la = la_access.la
    build = sen2_builds.stored_build(la, year)
    built_at = build.built_at if build is not None else None
    out_of_date = built_at is not None and sen2_builds.changed_since(la, built_at)
    summary = f"{build.people} people, {build.error_count} errors" if build and built_at else "not built yet"
    record(la_access.actor, AuditAction.VIEW, object_type="ehc sen2 check", object_id=str(la.pk),
           description=f"SEN2 {year} check: {summary}")  # fmt: skip
    refreshing = build is not None and build.building and request.GET.get("refresh") != "off"
    context = {
        "la": la, "form": form, "year": year, "collection": sen2_return.Collection(year), "build": build,
        "out_of_date": out_of_date, "refreshing": refreshing, "refresh_seconds": REFRESH_SECONDS,
    }  # fmt: skip
    response = render(request, "ehc/sen2_check.html", context)
    if refreshing:
        # Reloads the page without JavaScript until the return is built; "Stop refreshing" (?refresh=off)
        # turns it off for whoever needs the page to stay still (WCAG 2.2.1, timing adjustable).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_POST
def sen2_build(request: HttpRequest, la_id: int) -> HttpResponse:
    """ "Build the return (again)": asks the background worker for it; refused while one is being built."""
    la_access, form, year = _year(request, la_id)
    if year is None:
        return _invalid_year(request, la_access, form)
    try:
        sen2_builds.ask_for_build(actor=la_access.actor, la=la_access.la, year=year)
    except ServiceError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, f"The SEN2 {year} return is being built: this page shows when it is ready.")
    return redirect(_check_url(la_access.la.pk, year))


FILES = {
    "xml": ("xml", "application/xml", "{name}.xml"),
    "csv": ("csv_zip", "application/zip", "{name}-csv.zip"),
}


def _download(request: HttpRequest, la_id: int, kind: str) -> HttpResponseBase:
    la_access, form, year = _year(request, la_id)
    if year is None:
        return _invalid_year(request, la_access, form)
    la = la_access.la
    build = sen2_builds.stored_build(la, year)
    if build is None or not build.is_built:
        context = {"la": la, "year": year, "collection": sen2_return.Collection(year), "build": build}
        return render(request, "ehc/sen2_not_ready.html", context, status=409)
    if build.error_count:
        count = build.error_count
        messages.error(request, f"The return has {count} error{'s' if count != 1 else ''}: put them "
                       "right in the cases before downloading it.")  # fmt: skip
        return redirect(_check_url(la.pk, year))
    field, content_type, file_name = FILES[kind]
    try:
        handle = getattr(build, field).open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The return's file is missing: build it again.") from error
    name = file_name.format(name=f"sen2-{year}-{la.code}")
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    record(
        la_access.actor, AuditAction.EXPORT, object_type="ehc sen2 return", object_id=str(la.pk),
        description=f"SEN2 {year} return as {kind.upper()}: {build.people} people",
    )  # fmt: skip
    return response


@require_GET
def sen2_xml(request: HttpRequest, la_id: int) -> HttpResponseBase:
    return _download(request, la_id, "xml")


@require_GET
def sen2_csv(request: HttpRequest, la_id: int) -> HttpResponseBase:
    return _download(request, la_id, "csv")


def _final_plan(case: EHCRequest) -> EHCPlan:
    plan = plan_of(case)
    if plan is None or not plan.is_final:
        raise services.EHCError("Placements are recorded once the final plan is issued.")
    plan.request = case
    return plan


@require_http_methods(["GET", "POST"])
def placement_form(request: HttpRequest, la_id: int, case_id: int, placement_id: int | None = None) -> HttpResponse:
    found: dict[str, Placement] = {}

    def make_form(data: Any, case: EHCRequest) -> django_forms.Form:
        initial: dict[str, Any] = {}
        if placement_id is not None:
            plan = plan_of(case)
            placement = plan.placements.filter(pk=placement_id).first() if plan else None
            if placement is None:
                raise Http404("No such placement on this case.")
            found["placement"] = placement
            initial = {name: getattr(placement, name) for name in sen2_services.PLACEMENT_FIELDS}
            initial["version"] = placement.version
        return sen2_forms.PlacementForm(data, initial=initial, la=case.local_authority)

    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        plan = _final_plan(case)
        if "placement" in found:
            placement = found["placement"]
            placement.plan = plan
            return sen2_services.update_placement(
                actor=by, placement=placement, data=data, expected_version=data["version"] or 0
            )
        return sen2_services.add_placement(actor=by, plan=plan, data=data)

    editing = placement_id is not None
    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="Change the placement" if editing else "Add a placement", button="Save placement",
        done="Placement saved.",
        intro="Where the plan places the child or young person, for the SEN2 return: a setting, or the kind of "
        "arrangement when there is none. When they move, give the old placement a leaving date and add the new one.",
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def sen2_details(request: HttpRequest, la_id: int, case_id: int) -> HttpResponse:
    def make_form(data: Any, case: EHCRequest) -> django_forms.Form:
        plan = plan_of(case)
        initial: dict[str, Any] = {name: getattr(case, name) for name in sen2_services.REQUEST_FLAGS}
        initial["version"] = case.version
        if plan is not None:
            initial |= {name: getattr(plan, name) for name in sen2_services.PLAN_FLAGS}
            initial["plan_version"] = plan.version
        return sen2_forms.Sen2DetailsForm(data, initial=initial, plan=plan)

    def perform(by: Actor, case: EHCRequest, data: dict[str, Any]) -> object:
        plan = plan_of(case)
        return sen2_services.update_sen2_details(
            actor=by, request=case, plan=plan, data=data, expected_version=data["version"],
            expected_plan_version=data.get("plan_version"),
        )  # fmt: skip

    return action_page(
        request, la_id, case_id, perform=perform, make_form=make_form,
        heading="SEN2 details", button="Save SEN2 details", done="SEN2 details saved.",
        intro="What the SEN2 return asks beyond the case's dates: whether the family went to mediation or the "
        "Tribunal, and the plan's arrangements.",
    )  # fmt: skip
