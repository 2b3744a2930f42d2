"""A school's request for an EHC needs assessment, under /pupils/<id>/ehc-request/.

Readers: whoever may see the pupil's whole record (VIEW_RECORD: the SENCO, senior leaders) at the
setting that prepares the request; another setting's requests of the same pupil are not theirs (404).
Writers: PLAN_SUPPORT (the SENCO). Pages with the pupil's data write one audit VIEW event; the
downloads an EXPORT event.

A sent request's bundle is made in the background (tasks.py): until it is ready the request's page
says so and reloads itself (the Refresh header, as an import's page does: no JavaScript needed), and
its download is a page saying so.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import PupilAccess, PupilPermission
from graduated.assessment_requests import services
from graduated.assessment_requests.bundles import evidence_bundle, request_documents, request_readiness, sent_outline
from graduated.assessment_requests.forms import INCOMPLETE, DetailsForm
from graduated.assessment_requests.models import PreparedRequest
from graduated.audit.models import AuditAction
from graduated.audit.services import record, record_pupil_view
from graduated.families.consent import answers_to as family_answers_to
from graduated.lib.errors import ServiceError
from graduated.lib.exports import DOCX_TYPE, PDF_TYPE, ExportUnavailableError, attachment, render_docx
from graduated.lib.forms import show_refusal


def _reader(request: HttpRequest, pupil_id: int) -> PupilAccess:
    return access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)


def _writer(request: HttpRequest, pupil_id: int) -> PupilAccess:
    return access.get_pupil_for_user(request.user, pupil_id, PupilPermission.PLAN_SUPPORT)


def _prepared(pupil_access: PupilAccess, request_id: int) -> PreparedRequest:
    """The reader's own setting's request of this pupil; any other id is a 404."""
    prepared = (
        PreparedRequest.objects.filter(pk=request_id, pupil=pupil_access.pupil, setting=pupil_access.setting)
        .select_related("pupil__home_local_authority", "setting__local_authority", "case__local_authority")
        .first()
    )
    if prepared is None:
        raise Http404("No such request.")
    return prepared


def page_url(pupil_id: int) -> str:
    return reverse("assessment_requests:page", args=[pupil_id])


REFRESH_SECONDS = 3  # how often the request's page reloads itself while a bundle is being made


def _export_unavailable(request: HttpRequest, error: ExportUnavailableError) -> HttpResponse:
    return render(request, "errors/export_unavailable.html", {"reason": str(error)}, status=503)


@require_GET
def request_page(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    pupil, today = pupil_access.pupil, timezone.localdate()
    requests = list(
        PreparedRequest.objects.filter(pupil=pupil, setting=pupil_access.setting).select_related(
            "case__local_authority", "submitted_by"
        )
    )
    current = next((r for r in requests if not r.is_submitted), None)
    if current is not None:
        current.pupil = pupil
        documents = request_documents(current, today)
        outline, results = documents.outline, documents.results
    else:
        # Before a request is started the readiness panel still tells the SENCO where the record stands.
        outline, results = None, request_readiness(pupil, pupil_access.setting, today)
    record_pupil_view(pupil_access, "request for an EHC needs assessment")
    building = any(r.bundle_building for r in requests)
    refreshing = building and request.GET.get("refresh") != "off"
    context = {
        "pupil": pupil, "access": pupil_access, "today": today, "current": current,
        "submitted": [r for r in requests if r.is_submitted], "outline": outline, "results": results,
        "missing": services.missing_for_submission(current, today) if current else [],
        "can_write": pupil_access.can(PupilPermission.PLAN_SUPPORT),
        "la": services.deciding_la(pupil, pupil_access.setting),
        "family_consents": family_answers_to(current) if current else [],
        "building": building, "refreshing": refreshing, "refresh_seconds": REFRESH_SECONDS,
    }  # fmt: skip
    response = render(request, "assessment_requests/page.html", context)
    if refreshing:
        # Reloads the page without JavaScript until the bundle is ready; "Stop refreshing" (?refresh=off)
        # turns it off for whoever needs the page to stay still (WCAG 2.2.1, timing adjustable).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_POST
def start(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    services.start_request(actor=pupil_access.actor, pupil=pupil_access.pupil, setting=pupil_access.setting)
    return redirect(page_url(pupil_id))


def _initial(prepared: PreparedRequest) -> dict[str, object]:
    return {name: getattr(prepared, name) for name in services.DETAIL_FIELDS} | {"version": prepared.version}


@require_http_methods(["GET", "POST"])
def edit_details(request: HttpRequest, pupil_id: int, request_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    prepared = _prepared(pupil_access, request_id)
    if prepared.is_submitted:
        messages.error(request, "This request has been submitted: it cannot change now.")
        return redirect(page_url(pupil_id))
    form = DetailsForm(request.POST or None, initial=_initial(prepared), pupil=pupil_access.pupil)
    status, stale = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_details(
                    actor=pupil_access.actor, prepared=prepared, values=form.details(),
                    expected_version=form.cleaned_data["version"],
                )  # fmt: skip
            except ServiceError as error:
                # The typing is kept; after a stale edit the next save is measured against what is saved now.
                prepared.refresh_from_db()
                stale = show_refusal(form, error)
            else:
                messages.success(request, "The request's details are saved.")
                return redirect(page_url(pupil_id))
        status = 400
    else:
        record_pupil_view(pupil_access, "request for an EHC needs assessment: details", str(prepared.pk))
    context = {"pupil": pupil_access.pupil, "prepared": prepared, "form": form, "stale": stale}
    return render(request, "assessment_requests/details_form.html", context, status=status)


@require_GET
def bundle_pdf(request: HttpRequest, pupil_id: int, request_id: int) -> HttpResponseBase:
    pupil_access = _reader(request, pupil_id)
    prepared = _prepared(pupil_access, request_id)
    if prepared.is_submitted:
        if not prepared.bundle_ready:
            record_pupil_view(pupil_access, "evidence bundle, not ready yet", str(prepared.pk))
            return bundle_not_ready(
                request, prepared, back_url=page_url(pupil_id), back_text="Back to the request",
                can_try_again=pupil_access.can(PupilPermission.PLAN_SUPPORT),
                retry_note="The SENCO can ask for it again from the request's page.",
            )  # fmt: skip
        return _stored_bundle(prepared, pupil_access)
    try:
        outline, bundle = evidence_bundle(prepared, timezone.localdate())
    except ExportUnavailableError as error:
        return _export_unavailable(request, error)
    record(
        pupil_access.actor, AuditAction.EXPORT, obj=prepared, pupil_id=prepared.pupil_id,
        description=f"Evidence bundle (draft) as PDF, {len(bundle.appended)} reports appended",
    )  # fmt: skip
    return attachment(bundle.pdf, PDF_TYPE, outline.filename("pdf"))


def stored_bundle_response(prepared: PreparedRequest) -> FileResponse:
    """The bundle exactly as it was sent; the caller has checked access and writes the audit event."""
    try:
        handle = prepared.bundle.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The bundle's file is missing.") from error
    name = f"ehc-request-{prepared.pupil.display_name}-{prepared.submitted_on:%Y-%m-%d}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name.replace(" ", "-").lower(), content_type=PDF_TYPE)


LA_RETRY_NOTE = "The school's page for the request says so, and lets the school try again."


def bundle_not_ready(
    request: HttpRequest,
    prepared: PreparedRequest,
    *,
    back_url: str,
    back_text: str,
    can_try_again: bool = False,
    retry_note: str = LA_RETRY_NOTE,
) -> HttpResponse:
    """What a download of a sent request's bundle answers until the bundle is ready: a page saying how
    far it has got (409: the file is not there yet), never an empty or broken file. ``retry_note`` says
    who can try again, to whoever cannot. The caller has checked access and writes the audit event."""
    context = {"prepared": prepared, "pupil": prepared.pupil, "back_url": back_url, "back_text": back_text,
               "can_try_again": can_try_again, "retry_note": retry_note}  # fmt: skip
    return render(request, "assessment_requests/bundle_not_ready.html", context, status=409)


def _stored_bundle(prepared: PreparedRequest, pupil_access: PupilAccess) -> FileResponse:
    response = stored_bundle_response(prepared)
    record(pupil_access.actor, AuditAction.EXPORT, obj=prepared, pupil_id=prepared.pupil_id,
           description="Evidence bundle as sent, PDF")  # fmt: skip
    return response


@require_GET
def form_docx(request: HttpRequest, pupil_id: int, request_id: int) -> HttpResponse:
    pupil_access = _reader(request, pupil_id)
    prepared = _prepared(pupil_access, request_id)
    # A sent request's form is what was sent, as its bundle is; a draft's is drawn from the record now.
    outline = sent_outline(prepared) if prepared.is_submitted else None
    if outline is None:
        outline = request_documents(prepared, prepared.submitted_on or timezone.localdate()).outline
    record(pupil_access.actor, AuditAction.EXPORT, obj=prepared, pupil_id=prepared.pupil_id,
           description="Request form as Word")  # fmt: skip
    return attachment(render_docx(outline), DOCX_TYPE, outline.filename("docx"))


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pupil_id: int, request_id: int) -> HttpResponse:
    pupil_access = _writer(request, pupil_id)
    prepared = _prepared(pupil_access, request_id)
    today = timezone.localdate()
    if prepared.is_submitted:
        messages.info(request, f"This request was already sent on {prepared.submitted_on:%-d %B %Y}.")
        return redirect(page_url(pupil_id))
    error, status = "", 200
    if request.method == "POST":
        version = request.POST.get("version", "")
        if not version.isdigit():
            error, status = INCOMPLETE, 400
        else:
            try:
                case = services.submit(
                    actor=pupil_access.actor, prepared=prepared, expected_version=int(version), on=today
                )
            except ServiceError as refused:
                error, status = refused.message, 400
                prepared.refresh_from_db()
            else:
                messages.success(
                    request,
                    f"The request was sent to {case.local_authority.name}. It must decide whether to assess by "
                    f"{case.deadlines.decision_to_assess:%-d %B %Y}. The evidence bundle is being prepared: "
                    "this page shows when it is ready.",
                )
                return redirect(page_url(pupil_id))
    else:
        record_pupil_view(pupil_access, "request for an EHC needs assessment: send", str(prepared.pk))
    context = {
        "pupil": pupil_access.pupil, "prepared": prepared, "error": error,
        "results": request_readiness(pupil_access.pupil, pupil_access.setting, today),
        "missing": services.missing_for_submission(prepared, today), "la": services.deciding_la(
            pupil_access.pupil, pupil_access.setting),
    }  # fmt: skip
    return render(request, "assessment_requests/submit.html", context, status=status)


@require_POST
def bundle_again(request: HttpRequest, pupil_id: int, request_id: int) -> HttpResponse:
    """The SENCO's "try again": ask once more for a sent request's bundle that could not be made, or stopped."""
    pupil_access = _writer(request, pupil_id)
    prepared = _prepared(pupil_access, request_id)
    if not prepared.is_submitted:
        raise Http404("This request has not been sent.")
    try:
        services.make_bundle_again(actor=pupil_access.actor, prepared=prepared)
    except ServiceError as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "The evidence bundle is being prepared again.")
    return redirect(page_url(pupil_id))
