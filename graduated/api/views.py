"""The signed-in person's API tokens: make one (shown once), see them, revoke one."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from graduated.access import memberships_of
from graduated.api import services
from graduated.api.forms import NewTokenForm
from graduated.api.models import ApiToken
from graduated.organisations.models import Role

# Who may make tokens: those who run a setting's SEND record or an LA's set-up. A token carries
# its owner's access and no more, so this only keeps the number of credentials small.
TOKEN_ROLES = {Role.SENCO, Role.LA_ADMIN}


def _may_make_tokens(user: Any) -> bool:
    return any(m.role in TOKEN_ROLES for m in memberships_of(user))


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    may_make = _may_make_tokens(user)
    form = NewTokenForm(request.POST or None)
    created_raw = None
    status = 200
    if request.method == "POST":
        if not may_make:
            raise PermissionDenied("Only a SENCO or an LA admin may make API tokens.")
        if form.is_valid():
            _, created_raw = services.create_token(owner=user, **form.cleaned_data)
            form = NewTokenForm()
        else:
            status = 400
    context = {
        "form": form,
        "may_make": may_make,
        "created_raw": created_raw,
        "tokens": ApiToken.objects.filter(owner=user),
    }
    return render(request, "api/tokens.html", context, status=status)


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    # Someone else's token, or one revoked already, is not found: a 404, as everywhere.
    token = services.revoke_token(owner=request.user, token_id=token_id)  # type: ignore[arg-type]
    if token is None:
        raise Http404("No such token.")
    messages.success(request, f"The token {token.name} no longer works.")
    return redirect("api:tokens")
