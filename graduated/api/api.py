"""The JSON API, version 1: the NinjaAPI instance, its auth and error handling, and its endpoints.

Every endpoint reaches its object through the access policy (graduated.access) with the token's
owner, exactly as the page showing the same data does, and so writes the same audit events.
"""

from typing import Annotated, Any

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Path, Query
from ninja import Status as Answer
from ninja.openapi.docs import Swagger

from graduated import access
from graduated.access import OrganisationPermission, PupilPermission
from graduated.api import errors
from graduated.api.auth import TokenAuth, caller, writer
from graduated.api.schemas import (
    CaseOut,
    CycleOut,
    Error,
    MeetingOut,
    NeedIn,
    NeedOut,
    PupilChange,
    PupilDetail,
    PupilIn,
    PupilMapOut,
    PupilPage,
    SettingMapOut,
    Status,
    StatusIn,
)
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.ehc import selectors as ehc_selectors
from graduated.meetings import selectors as meeting_selectors
from graduated.provision import provision_maps
from graduated.provision.cost_forms import Period, PeriodError, read_period
from graduated.pupils import selectors as pupil_selectors
from graduated.pupils import services as pupil_services
from graduated.pupils.forms import EditPupilForm, NeedForm, NewPupilForm, StatusForm
from graduated.pupils.identifiers import normalise_upn
from graduated.pupils.models import Pupil
from graduated.support.models import Cycle, Outcome, Provision

P = PupilPermission
MAX_ID = 2**63 - 1  # a bigger id is no row's: refused as malformed (422), not sent to the database
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PAGE_SIZE = 50

api = NinjaAPI(
    title="Graduated API",
    version="1",
    description="The SEND record as JSON. Authenticate with `Authorization: Bearer grd_…` (a token made on "
    'the API tokens page). Errors are `{"detail": ..., "field": ...}`.',
    auth=TokenAuth(),
    urls_namespace="api_v1",
    # Swagger UI from ninja's own static files: nothing from a CDN, and no inline script for the CSP.
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

REFUSALS: dict[int | str, Any] = {401: Error, 403: Error, 404: Error, 422: Error, 429: Error}


def _pupil(request: HttpRequest, pupil_id: int, permission: PupilPermission) -> access.PupilAccess:
    return access.get_pupil_for_user(caller(request).user, pupil_id, permission)


# -- Reading ---------------------------------------------------------------------------------------


@api.get(
    "/settings/{setting_id}/pupils", response={200: PupilPage, **REFUSALS}, url_name="setting_pupils", tags=["pupils"]
)
def setting_pupils(
    request: HttpRequest,
    setting_id: Id,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    upn: Annotated[str, Query(max_length=20)] = "",
) -> Any:
    """The setting's SEN register (pupils with SEN support or an EHC plan), 50 a page, as on the
    register page; with `?upn=`, the pupil on roll with that UPN whatever their SEN status (none or
    one), so that an MIS sync can find whom to update or whether to add them."""
    found = access.get_setting_for_user(caller(request).user, setting_id, OrganisationPermission.VIEW_REGISTER)
    if upn:
        pupils: Any = pupil_selectors.with_current_needs(
            pupil_selectors.with_current_status(
                Pupil.objects.enrolled_in(found.setting).filter(upn=normalise_upn(upn)).order_by("pk")
            )
        )
    else:
        pupils = pupil_selectors.register(found.setting, pupil_selectors.RegisterFilters())
    paginator = Paginator(pupils, PAGE_SIZE)
    current = paginator.get_page(page)
    results = [
        {
            **{name: getattr(pupil, name) for name in ("id", "legal_first_name", "legal_last_name", "upn")},
            "preferred_first_name": pupil.preferred_first_name,
            "preferred_last_name": pupil.preferred_last_name,
            "date_of_birth": pupil.date_of_birth,
            "current_status": pupil.current_status,
            "current_status_since": pupil.current_status_since,
            "current_needs": [need.sen_type for need in pupil.current_needs],
        }
        for pupil in current.object_list
    ]
    # One event for the list, naming the setting and the page, as a list of many pupils.
    record(
        found.actor,
        AuditAction.VIEW,
        object_type="api: setting pupils",
        object_id=str(found.setting.pk),
        description=f"SEN register page {current.number}: {len(results)} pupils",
    )
    return {"count": paginator.count, "page": current.number, "pages": paginator.num_pages, "results": results}


def _detail(pupil: Pupil) -> dict[str, Any]:
    data = pupil_selectors.pupil_record(pupil)
    status = data["current_status"]
    return {
        **{name: getattr(pupil, name) for name in PupilDetail.model_fields if hasattr(pupil, name)},
        "year_group": pupil.year_group(),
        "current_status": status,
        "current_needs": data["current_needs"],
    }


@api.get("/pupils/{pupil_id}", response={200: PupilDetail, **REFUSALS}, url_name="pupil", tags=["pupils"])
def pupil(request: HttpRequest, pupil_id: Id) -> Any:
    """The pupil's details, current SEN status and current needs (what the pupil page shows every role)."""
    found = _pupil(request, pupil_id, P.VIEW_SUMMARY)
    record_pupil_view(found, "api: pupil")
    return _detail(found.pupil)


@api.get(
    "/pupils/{pupil_id}/sen-status", response={200: list[Status], **REFUSALS}, url_name="sen_status", tags=["pupils"]
)
def sen_status(request: HttpRequest, pupil_id: Id) -> Any:
    """The SEN status history, newest first: the whole record, for SENCOs and senior leaders."""
    found = _pupil(request, pupil_id, P.VIEW_RECORD)
    record_pupil_view(found, "api: SEN status history")
    return list(found.pupil.sen_statuses.order_by("-start_date", "-id"))


@api.get("/pupils/{pupil_id}/needs", response={200: list[NeedOut], **REFUSALS}, url_name="needs", tags=["pupils"])
def needs(request: HttpRequest, pupil_id: Id) -> Any:
    """Current needs by rank; past needs too for the roles that see the whole record."""
    found = _pupil(request, pupil_id, P.VIEW_SUMMARY)
    record_pupil_view(found, "api: needs")
    current = list(found.pupil.needs.current().order_by("rank"))
    if not found.can(P.VIEW_RECORD):
        return current
    return current + list(found.pupil.needs.filter(end_date__isnull=False).order_by("-end_date", "-id"))


@api.get("/pupils/{pupil_id}/cycles", response={200: list[CycleOut], **REFUSALS}, url_name="cycles", tags=["support"])
def cycles(request: HttpRequest, pupil_id: Id) -> Any:
    """The APDR cycles, oldest first, each with its outcomes and provision (as the support pages show)."""
    found = _pupil(request, pupil_id, P.VIEW_SUMMARY)
    record_pupil_view(found, "api: support cycles")
    return list(
        Cycle.objects.filter(pupil=found.pupil)
        .order_by("number")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "id")),
            Prefetch("provisions", queryset=Provision.objects.order_by("id")),
        )
    )


@api.get(
    "/pupils/{pupil_id}/meetings", response={200: list[MeetingOut], **REFUSALS}, url_name="meetings", tags=["support"]
)
def meetings(request: HttpRequest, pupil_id: Id) -> Any:
    """Meetings about the pupil, newest first, with who attended and the actions agreed."""
    found = _pupil(request, pupil_id, P.VIEW_SUMMARY)
    record_pupil_view(found, "api: meetings")
    return list(meeting_selectors.meetings_for_pupil(found.pupil))


PeriodQuery = Annotated[str, Query(max_length=20)]


def _period(year: str, starts: str, ends: str) -> Period:
    """The map's period from ``?year=2026`` or ``?from=…&to=…`` (nothing: this academic year),
    refused as the page refuses it, with the parameter at fault."""
    try:
        return read_period({"year": year, "from": starts, "to": ends}, timezone.localdate())  # type: ignore[arg-type]
    except PeriodError as error:
        raise errors.FormRefused({"from" if starts or ends else "year": [error.message]}) from error


def _line(line: provision_maps.MapLine) -> dict[str, Any]:
    cost, provision = line.cost, line.provision
    dosage = cost.dosage
    return {
        "provision_id": provision.pk, "pupil_id": provision.cycle.pupil_id, "description": cost.description,
        "role": cost.role, "starts_on": line.starts_on, "ends_on": line.ends_on,
        "dosage": None if dosage is None else {
            "sessions_per_week": dosage.sessions_per_week, "minutes_per_session": dosage.minutes_per_session,
            "group_size": dosage.group_size,
        },
        "staff_cost": cost.staff_cost, "resources_cost": cost.resources_share, "total": cost.total,
        "costed": line.costed, "missing": list(cost.missing),
    }  # fmt: skip


@api.get(
    "/pupils/{pupil_id}/provision-map",
    response={200: PupilMapOut, **REFUSALS},
    url_name="pupil_provision_map",
    tags=["provision"],
)
def pupil_provision_map(
    request: HttpRequest,
    pupil_id: Id,
    year: PeriodQuery = "",
    starts: Annotated[str, Query(alias="from", max_length=20)] = "",
    to: PeriodQuery = "",
) -> Any:
    """The pupil's costed provision map over a period, as on their provision map page: `?year=2026`
    for the academic year 2026/27, or `?from=2026-09-01&to=2026-12-31`; nothing, this academic year.
    Amounts are pounds, as strings."""
    found = _pupil(request, pupil_id, P.VIEW_RECORD)
    period = _period(year, starts, to)
    costed = provision_maps.pupil_map(found.pupil, period)
    record_pupil_view(found, "api: costed provision map")
    return {
        "pupil_id": found.pupil.pk, "period_starts_on": period.starts_on, "period_ends_on": period.ends_on,
        "lines": [_line(line) for line in costed.lines], "staff_total": costed.staff_total,
        "resources_total": costed.resources_total, "total": costed.total, "over_element_2": costed.over_element_2,
    }  # fmt: skip


@api.get(
    "/settings/{setting_id}/provision-map",
    response={200: SettingMapOut, **REFUSALS},
    url_name="setting_provision_map",
    tags=["provision"],
)
def setting_provision_map(
    request: HttpRequest,
    setting_id: Id,
    year: PeriodQuery = "",
    starts: Annotated[str, Query(alias="from", max_length=20)] = "",
    to: PeriodQuery = "",
) -> Any:
    """The setting's provision map over a period, as on its provision map page: each pupil's total,
    and each intervention's pupils, staff hours and cost. The period as for a pupil's map."""
    found = access.get_setting_for_user(caller(request).user, setting_id, OrganisationPermission.VIEW_REGISTER)
    period = _period(year, starts, to)
    costed = provision_maps.setting_map(found.setting, period)
    record(
        found.actor, AuditAction.VIEW, object_type="api: setting provision map", object_id=str(found.setting.pk),
        description=f"Provision map of setting {found.setting.pk}, {period.label}: {len(costed.rows)} pupils",
    )  # fmt: skip
    return {
        "setting_id": found.setting.pk, "period_starts_on": period.starts_on, "period_ends_on": period.ends_on,
        "total": costed.total, "staff_hours": costed.staff_hours, "budget": costed.budget,
        "pupils": [
            {"pupil_id": row.pupil.pk, "name": row.pupil.display_name, "year_group": row.year_group,
             "total": row.total, "over_element_2": row.over_element_2}
            for row in costed.rows
        ],
        "interventions": [
            {"label": column.label, "tier": column.tier, "areas": column.areas, "pupils": column.pupils,
             "provisions": column.provisions, "staff_hours": column.staff_hours, "cost": column.cost}
            for column in costed.interventions
        ],
    }  # fmt: skip


@api.get("/las/{la_id}/ehc-cases", response={200: list[CaseOut], **REFUSALS}, url_name="ehc_cases", tags=["ehc"])
def ehc_cases(request: HttpRequest, la_id: Id) -> Any:
    """The LA's EHC needs assessment cases, for officers with the LA's case work."""
    found = access.get_la_for_user(caller(request).user, la_id, OrganisationPermission.WORK_EHC_CASES)
    cases = ehc_selectors.all_cases(found.la)
    record(
        found.actor,
        AuditAction.VIEW,
        object_type="api: EHC cases",
        object_id=str(found.la.pk),
        description=f"EHC cases: {len(cases)}",
    )
    return cases


@api.get("/las/{la_id}/ehc-cases/{case_id}", response={200: CaseOut, **REFUSALS}, url_name="ehc_case", tags=["ehc"])
def ehc_case(request: HttpRequest, la_id: Id, case_id: Id) -> Any:
    """One of the LA's cases; another LA's case is a 404."""
    found = access.get_case_for_user(caller(request).user, la_id, case_id)
    record(
        found.actor,
        AuditAction.VIEW,
        object_type="api: EHC case",
        object_id=str(found.case.pk),
        pupil_id=found.case.pupil_id,
    )
    return found.case


# -- Writing: through the pages' own forms, so the rules and messages are the same -----------------


def _bound(form: Any) -> Any:
    if not form.is_valid():
        raise errors.FormRefused({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    return form.cleaned_data


def _date_parts(name: str, value: Any) -> dict[str, Any]:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


@api.patch(
    "/pupils/{pupil_id}", response={200: PupilDetail, 409: Error, **REFUSALS}, url_name="pupil_change", tags=["pupils"]
)
def change_pupil(request: HttpRequest, pupil_id: Id, payload: PupilChange) -> Any:
    """Change the pupil's details; send the ``version`` you read. A stale version is refused with 409."""
    token_caller = writer(request)
    found = access.get_pupil_for_user(token_caller.user, pupil_id, P.EDIT)
    pupil = found.pupil
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("version")
    fields = [name for name in EditPupilForm.base_fields if name != "version"]
    initial: dict[str, Any] = {name: getattr(pupil, name) for name in fields}
    initial["home_local_authority"] = pupil.home_local_authority_id
    merged = {**initial, **{k: v for k, v in sent.items() if v is not None}}
    data: dict[str, Any] = {
        name: ("" if value is None else value) for name, value in merged.items() if name != "date_of_birth"
    }
    data.update(_date_parts("date_of_birth", merged["date_of_birth"]))
    data["version"] = version
    form = EditPupilForm(data, initial=initial, pupil=pupil)
    cleaned = _bound(form)
    changes = {name: cleaned[name] for name in form.changed_data if name != "version"}
    pupil_services.update_pupil_details(actor=found.actor, pupil=pupil, changes=changes, expected_version=version)
    return _detail(pupil)


@api.post(
    "/settings/{setting_id}/pupils", response={201: PupilDetail, **REFUSALS}, url_name="pupil_add", tags=["pupils"]
)
def add_pupil(request: HttpRequest, setting_id: Id, payload: PupilIn) -> Any:
    """Add a pupil to the setting's roll, as the "Add a pupil" page does (a UPN already held is
    refused: look the pupil up with `?upn=` first, or ask their last setting for their record)."""
    token_caller = writer(request)
    found = access.get_setting_for_user(token_caller.user, setting_id, OrganisationPermission.ADD_PUPIL)
    sent = payload.model_dump()
    home = sent.pop("home_local_authority_id") or found.setting.local_authority_id
    data: dict[str, Any] = {
        **{name: sent[name] for name in ("legal_first_name", "legal_last_name", "preferred_first_name",
                                          "preferred_last_name", "sex", "upn")},
        **_date_parts("date_of_birth", payload.date_of_birth), **_date_parts("start_date", payload.start_date),
        "home_local_authority": home,
    }  # fmt: skip
    details = dict(_bound(NewPupilForm(data)))
    start_date = details.pop("start_date")
    with transaction.atomic():
        pupil = pupil_services.register_pupil(
            actor=found.actor, setting=found.setting, start_date=start_date, details=details
        )
    return Answer(201, _detail(pupil))


@api.post("/pupils/{pupil_id}/needs", response={201: NeedOut, **REFUSALS}, url_name="need_add", tags=["pupils"])
def add_need(request: HttpRequest, pupil_id: Id, payload: NeedIn) -> Any:
    """Record a type of need, as the "Add a need" page does."""
    token_caller = writer(request)
    found = access.get_pupil_for_user(token_caller.user, pupil_id, P.EDIT)
    data = {"sen_type": payload.sen_type, "rank": payload.rank, **_date_parts("start_date", payload.start_date)}
    cleaned = _bound(NeedForm(data, pupil=found.pupil))
    with transaction.atomic():
        need = pupil_services.record_need(actor=found.actor, pupil=found.pupil, **cleaned)
    return Answer(201, need)


@api.post(
    "/pupils/{pupil_id}/sen-status", response={201: Status, **REFUSALS}, url_name="sen_status_change", tags=["pupils"]
)
def change_status(request: HttpRequest, pupil_id: Id, payload: StatusIn) -> Any:
    """Change the SEN status from a date, as the "Change SEN status" page does."""
    token_caller = writer(request)
    found = access.get_pupil_for_user(token_caller.user, pupil_id, P.EDIT)
    data = {"status": payload.status, "reason": payload.reason, **_date_parts("start_date", payload.start_date)}
    cleaned = _bound(StatusForm(data, pupil=found.pupil))
    with transaction.atomic():
        period = pupil_services.change_sen_status(actor=found.actor, pupil=found.pupil, **cleaned)
    return Answer(201, period)
