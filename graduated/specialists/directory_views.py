"""The LA's services directory: the LA's own pages (read by its officers and admins, kept by its
admins) and a setting's view of its LA's directory (SENCOs and senior leaders).

Keeping the directory reuses MANAGE_CATALOGUE at the LA, the permission that keeps the LA's shared
intervention catalogue: the same people (LA admins) keep the LA's published offer.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from graduated.accounts.models import User
from graduated.organisations import access
from graduated.organisations.access import OrganisationPermission
from graduated.organisations.models import LocalAuthority
from graduated.organisations.services import actor_for
from graduated.specialists import selectors, services
from graduated.specialists.forms import DirectoryFilterForm, ServiceForm
from graduated.specialists.models import Service


def _can_keep(request: HttpRequest, la: LocalAuthority) -> bool:
    # Memberships are cached on the user for the request: this costs no query.
    return OrganisationPermission.MANAGE_CATALOGUE in access.la_permissions(request.user, la)


@login_required
@require_GET
def la_directory(request: HttpRequest, la_id: int) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    context = {
        "la": la, "services": selectors.services_of(la), "can_keep": _can_keep(request, la),
        "figures": selectors.la_waiting_figures(la, timezone.localdate()),
    }  # fmt: skip
    return render(request, "specialists/la_directory.html", context)


@login_required
@require_GET
def la_service(request: HttpRequest, la_id: int, service_id: int) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, OrganisationPermission.VIEW_LA_FIGURES)
    service = selectors.service_of(la, service_id)
    return render(
        request, "specialists/service.html", {"la": la, "service": service, "can_keep": _can_keep(request, la)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_service(request: HttpRequest, la_id: int, service_id: int | None = None) -> HttpResponse:
    la = access.get_la_for_user(request.user, la_id, OrganisationPermission.MANAGE_CATALOGUE)
    service: Service | None = selectors.service_of(la, service_id) if service_id is not None else None
    initial = ServiceForm.initial_for(service) if service else {"is_active": True}
    form = ServiceForm(request.POST or None, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        user = request.user
        assert isinstance(user, User)  # behind login_required
        actor = actor_for(user, la)
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
        except services.StaleEditError as error:
            # Keep what they typed, against the version saved now, and show that version beside it.
            assert service is not None
            service.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(service.version)
            form = ServiceForm(data)
            form.is_valid()
            form.add_error(None, error.message)
            stale = True
        except services.ReferralError as error:
            form.add_error(None, error.message)
    status = 400 if form.is_bound else 200
    context = {"la": la, "service": service, "form": form, "stale": stale}
    return render(request, "specialists/service_form.html", context, status=status)


@login_required
@require_GET
def setting_directory(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.VIEW_REGISTER)
    form = DirectoryFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    kind, phase = (form.cleaned_data["kind"], form.cleaned_data["phase"]) if form.is_bound and valid else ("", "")
    context = {
        "setting": setting, "la": setting.local_authority, "form": form, "filtered": bool(kind or phase),
        "services": selectors.directory_for(setting, kind, phase),
    }  # fmt: skip
    return render(request, "specialists/setting_directory.html", context, status=200 if valid else 400)
