"""The LA's services directory: the LA's own pages (read by its officers and admins, kept by its
admins) and a setting's view of its LA's directory (SENCOs and senior leaders).

Reading it needs VIEW_LOCAL_OFFER at the LA; keeping it, MANAGE_SERVICES_DIRECTORY (the LA's admins).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.access import OrganisationPermission as O
from graduated.lib.errors import ServiceError
from graduated.lib.forms import show_refusal
from graduated.specialists import selectors, services
from graduated.specialists.forms import DirectoryFilterForm, ServiceForm
from graduated.specialists.models import Service


@require_GET
def la_directory(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LOCAL_OFFER)
    la = la_access.la
    context = {
        "la": la, "services": selectors.services_of(la),
        "can_keep": la_access.can(OrganisationPermission.MANAGE_SERVICES_DIRECTORY),
        "figures": selectors.la_waiting_figures(la, timezone.localdate()),
    }  # fmt: skip
    return render(request, "specialists/la_directory.html", context)


@require_GET
def la_service(request: HttpRequest, la_id: int, service_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LOCAL_OFFER)
    la = la_access.la
    service = selectors.service_of(la, service_id)
    return render(
        request,
        "specialists/service.html",
        {"la": la, "service": service, "can_keep": la_access.can(O.MANAGE_SERVICES_DIRECTORY)},
    )


@require_http_methods(["GET", "POST"])
def edit_service(request: HttpRequest, la_id: int, service_id: int | None = None) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, OrganisationPermission.MANAGE_SERVICES_DIRECTORY)
    la = la_access.la
    service: Service | None = selectors.service_of(la, service_id) if service_id is not None else None
    initial = ServiceForm.initial_for(service) if service else {"is_active": True}
    form = ServiceForm(request.POST or None, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        actor = la_access.actor
        try:
            if service is None:
                service = services.add_service(actor=actor, la=la, details=form.details())
                messages.success(request, f"{service.name} has been added to the directory.")
            else:
                services.update_service(
                    actor=actor, service=service, details=form.details(),
                    expected_version=form.cleaned_data["version"] or 0,
                )  # fmt: skip
                messages.success(request, f"{service.name} has been saved.")
            return redirect("specialists:la_service", la_id=la.pk, service_id=service.pk)
        except ServiceError as error:
            # Keep what they typed (after a stale edit, against the version saved now, shown beside it).
            stale = show_refusal(form, error)
    status = 400 if form.is_bound else 200
    context = {"la": la, "service": service, "form": form, "stale": stale}
    return render(request, "specialists/service_form.html", context, status=status)


@require_GET
def setting_directory(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    setting = setting_access.setting
    form = DirectoryFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    kind, phase = (form.cleaned_data["kind"], form.cleaned_data["phase"]) if form.is_bound and valid else ("", "")
    context = {
        "setting": setting, "la": setting.local_authority, "form": form, "filtered": bool(kind or phase),
        "services": selectors.directory_for(setting, kind, phase),
    }  # fmt: skip
    return render(request, "specialists/setting_directory.html", context, status=200 if valid else 400)
