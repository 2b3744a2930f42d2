"""The signed-in person's API tokens: make one (shown once), personal or for a service; see them;
revoke one."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from graduated.api import services
from graduated.api.forms import NewTokenForm


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    organisations = services.organisations_for_service_tokens(user)
    may_make = bool(organisations)
    form = NewTokenForm(request.POST or None, organisations=organisations)
    created_raw = None
    status = 200
    if request.method == "POST":
        if not may_make:
            raise PermissionDenied("Only a SENCO or an LA admin may make API tokens.")
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ("name", "scope", "days")}
            organisation = form.organisation()
            if organisation is None:
                _, created_raw = services.create_token(owner=user, **data)
            else:
                _, created_raw = services.create_service_token(made_by=user, organisation=organisation, **data)
            form = NewTokenForm(organisations=organisations)
        else:
            status = 400
    context = {
        "form": form,
        "may_make": may_make,
        "created_raw": created_raw,
        "tokens": services.tokens_for(user),
    }
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    # A token this person may not revoke, or one revoked already, is not found: a 404, as everywhere.
    token = services.revoke_token(owner=request.user, token_id=token_id)  # type: ignore[arg-type]
    if token is None:
        raise Http404("No such token.")
    messages.success(request, f"The token {token.name} no longer works.")
    return redirect("api:tokens")
