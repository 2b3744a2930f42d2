"""Pages for professionals' access, mounted at /professionals/.

The setting's side (``pupils/<id>/grants/``): whoever plans the pupil's support (the SENCO) lists,
gives and revokes grants and reads the advice given. The professional's side (``my-pupils/`` and
``pupils/<id>/``...): only through a live grant, checked afresh on every request by
``access.get_pupil_for_professional``; a page their grant's scope leaves out is a 403, any pupil
without a live grant a 404. Every page a professional opens, and everything they do, is audited.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import ProfessionalAccess, ProfessionalScope, PupilPermission
from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record, record_pupil_view
from graduated.documents.models import Document
from graduated.documents.services import DuplicateDocumentError
from graduated.professionals import selectors, services
from graduated.professionals.forms import AdviceForm, InviteForm, ReportForm
from graduated.professionals.models import ProfessionalGrant

# Giving outsiders access to a pupil is part of planning their support: the SENCO.
MANAGE = PupilPermission.PLAN_SUPPORT


def _viewed(pupil_access: ProfessionalAccess, what: str) -> None:
    pupil_id = pupil_access.pupil.pk
    record(pupil_access.actor, AuditAction.VIEW, object_type=what, object_id=str(pupil_id), pupil_id=pupil_id)


# -- The setting's side -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def grants(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    pupil = pupil_access.pupil
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grant = services.invite_professional(
                    actor=pupil_access.actor, pupil=pupil, setting=pupil_access.setting, invitee=form.invitee()
                )
            except services.GrantError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{grant.user.email} has been given access and sent an e-mail.")
                return redirect("professionals:grants", pupil_id=pupil.pk)
        status = 400
    else:
        record_pupil_view(pupil_access, "professionals' access")
    context = {
        "pupil": pupil,
        "access": pupil_access,
        "grants": selectors.grants_for_pupil(pupil),
        "advice": selectors.advice_for_pupil(pupil),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "professionals/grants.html", context, status=status)


@require_POST
def revoke(request: HttpRequest, pupil_id: int, grant_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, MANAGE)
    grant = ProfessionalGrant.objects.filter(pk=grant_id, pupil=pupil_access.pupil).select_related("user").first()
    if grant is None:
        raise Http404("No such grant.")
    if services.revoke_grant(actor=pupil_access.actor, grant=grant):
        messages.success(request, f"{grant.user.email} can no longer see {pupil_access.pupil.display_name}.")
    else:
        messages.info(request, f"{grant.user.email}'s access had already been revoked.")
    return redirect("professionals:grants", pupil_id=pupil_access.pupil.pk)


# -- The professional's side --------------------------------------------------------------------


@require_GET
def my_pupils(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # signed in: LoginRequiredMiddleware
    live = selectors.live_grants_of(user)
    if live:  # the list names pupils: audited once, like a register
        # Ids, never names: audit rows outlive a pupil's record (retention) and must not carry them.
        ids = ", ".join(str(grant.pupil_id) for grant in live)
        record(
            Actor(user=user, role="professional"),
            AuditAction.VIEW,
            object_type="professional's pupils",
            description=f"My pupils (professional): {len(live)} (ids {ids})"[:300],
        )
    return render(request, "professionals/my_pupils.html", {"grants": live})


@require_GET
def pupil(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_professional(request.user, pupil_id, ProfessionalScope.READ_PLAN)
    _viewed(pupil_access, "plan (professional)")
    context = {"pupil": pupil_access.pupil, "access": pupil_access, **selectors.current_plan(pupil_access.pupil)}
    return render(request, "professionals/pupil.html", context)


@require_http_methods(["GET", "POST"])
def advice(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_professional(request.user, pupil_id, ProfessionalScope.ADVISE)
    form = AdviceForm(request.POST or None, initial={"given_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.give_advice(
                access=pupil_access,
                given_on=form.cleaned_data["given_on"],
                advice=form.cleaned_data["advice"],
                recommendations=form.cleaned_data["recommendations"].strip(),
            )
            messages.success(request, "Your advice has been sent to the SENCO.")
            return redirect("professionals:advice", pupil_id=pupil_access.pupil.pk)
        status = 400
    else:
        _viewed(pupil_access, "advice (professional)")
    given = pupil_access.pupil.professional_advice.filter(written_by=pupil_access.user)
    context = {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, "given": list(given)}
    return render(request, "professionals/advice.html", context, status=status)


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_professional(request.user, pupil_id, ProfessionalScope.UPLOAD_REPORT)
    form = ReportForm()
    status = 200
    if request.method == "POST":
        # Oversized requests never get here: lib.middleware.RequestSizeLimitMiddleware refuses them.
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid() and form.file_type is not None:
            try:
                document = services.upload_report(
                    access=pupil_access,
                    upload=form.cleaned_data["file"],
                    file_type=form.file_type,
                    title=form.cleaned_data["title"],
                    dated=form.cleaned_data["dated"],
                )
            except DuplicateDocumentError:
                form.add_error("file", "This file has already been added to this pupil's documents")
            else:
                messages.success(request, f"{document.title} has been sent to the SENCO.")
                return redirect("professionals:report", pupil_id=pupil_access.pupil.pk)
        status = 400
    else:
        _viewed(pupil_access, "report upload (professional)")
    uploaded = Document.objects.filter(pupil=pupil_access.pupil, uploaded_by=pupil_access.user)
    context = {"pupil": pupil_access.pupil, "access": pupil_access, "form": form, "uploaded": list(uploaded)}
    return render(request, "professionals/report.html", context, status=status)
