"""An LA admin resets a member's second factor, for someone who lost their phone and their codes.

The member's app, recovery codes and remembered devices go, and their sessions end: at their next
sign-in they set up a new app. Only an LA admin (of the LA, or of the setting's LA) may do it; a
SENCO who manages a setting's people is not offered it (404, as for any page not theirs), since a
reset is the one step that lets a password alone reach an account.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from graduated import access
from graduated.access import OrganisationPermission
from graduated.accounts import second_factor
from graduated.accounts.security import record_security_event
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.organisations.views import _membership, _organisation, _user, la_of


@require_http_methods(["GET", "POST"])
def reset_second_factor(request: HttpRequest, kind: str, organisation_id: int, membership_id: int) -> HttpResponse:
    organisation_access = _organisation(request, kind, organisation_id)
    organisation = organisation_access.organisation
    membership = _membership(organisation, membership_id)
    if OrganisationPermission.MANAGE_MEMBERS not in access.la_permissions(_user(request), la_of(organisation)):
        raise Http404("Only the local authority's administrators may reset a second factor.")
    member = membership.user
    if request.method == "POST":
        second_factor.reset(member)
        actor = organisation_access.actor
        record(actor, AuditAction.CHANGE, obj=member, description=f"Second factor reset for {member.email}",
               changed_fields=["second factor"])  # fmt: skip
        record_security_event("SECOND_FACTOR_RESET", request=request, user=member, detail=f"by {_user(request).email}")
        messages.success(request, f"{member.get_full_name() or member.email} will set up a new authenticator app "
                                  "when they next sign in. They have been signed out everywhere.")  # fmt: skip
        return redirect("organisations:members", kind=kind, organisation_id=organisation.pk)
    context = {"kind": kind, "organisation": organisation, "membership": membership}
    return render(request, "organisations/reset_second_factor.html", context)
