"""The SEN2 return's pages: the check of a year's return with its downloads (XML, or CSV by module),
and the case's placements and SEN2 details. The return needs VIEW_LA_FIGURES; the case's pages the
case work permission, as every action on a case."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.ehc import sen2_checks, sen2_files, sen2_forms, sen2_return, sen2_services, services
from graduated.ehc.models import EHCPlan, EHCRequest, Placement
from graduated.ehc.timeline import plan_of
from graduated.ehc.views import action_page
from graduated.lib.db_routing import from_replica

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


def _built(
    request: HttpRequest, la_id: int
) -> tuple[access.OrganisationAccess, YearForm, sen2_return.Sen2Return | None]:
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    latest = sen2_return.return_year(timezone.localdate())
    form = YearForm(request.GET or None, latest=latest)
    if form.is_bound and not form.is_valid():
        return la_access, form, None
    year = (form.cleaned_data.get("year") if form.is_bound else None) or latest
    collection = sen2_return.Collection(year)
    with from_replica():
        cases = sen2_return.cases_for_return(la_access.la, collection)
    return la_access, form, sen2_return.build_return(la_access.la, collection, cases)


@require_GET
def sen2_check(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access, form, built = _built(request, la_id)
    la = la_access.la
    if built is None:
        return render(request, "ehc/sen2_check.html", {"la": la, "form": form}, status=400)
    findings = sen2_checks.check(built)
    errors = [finding for finding in findings if finding.error]
    record(
        la_access.actor, AuditAction.VIEW, object_type="ehc sen2 check", object_id=str(la.pk),
        description=f"SEN2 {built.collection.year} check: {len(built.rows('person'))} people, {len(errors)} errors",
    )  # fmt: skip
    counts = [(sen2_files.ELEMENT[module], len(rows)) for module, rows in built.modules.items()]
    context = {
        "la": la, "form": form, "built": built, "errors": errors, "counts": counts,
        "warnings": [finding for finding in findings if not finding.error],
    }  # fmt: skip
    return render(request, "ehc/sen2_check.html", context)


def _download(request: HttpRequest, la_id: int, kind: str) -> HttpResponse:
    la_access, form, built = _built(request, la_id)
    if built is None:
        return render(request, "ehc/sen2_check.html", {"la": la_access.la, "form": form}, status=400)
    la = la_access.la
    errors = [finding for finding in sen2_checks.check(built) if finding.error]
    if errors:
        messages.error(request, f"The return has {len(errors)} error{'s' if len(errors) != 1 else ''}: put them "
                       "right in the cases before downloading it.")  # fmt: skip
        return redirect(f"{reverse('ehc:sen2_check', args=[la.pk])}?year={built.collection.year}")
    created = timezone.localtime()
    name = f"sen2-{built.collection.year}-{la.code}"
    if kind == "xml":
        response = HttpResponse(sen2_files.as_xml(built, created), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{name}.xml"'
    else:
        response = HttpResponse(sen2_files.as_csv_zip(built, created), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}-csv.zip"'
    record(
        la_access.actor, AuditAction.EXPORT, object_type="ehc sen2 return", object_id=str(la.pk),
        description=f"SEN2 {built.collection.year} return as {kind.upper()}: {len(built.rows('person'))} people",
    )  # fmt: skip
    return response


@require_GET
def sen2_xml(request: HttpRequest, la_id: int) -> HttpResponse:
    return _download(request, la_id, "xml")


@require_GET
def sen2_csv(request: HttpRequest, la_id: int) -> HttpResponse:
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
