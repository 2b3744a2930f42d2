"""Importing pupils into a setting: upload, match a CSV's columns, the dry run, the import's progress.

Only those who may add pupils to the setting (its SENCOs) reach these pages; anyone else, and any
import of another setting, gets 404. Every page writes an audit event naming the import.
"""

import csv

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from graduated import access
from graduated.access import OrganisationAccess, OrganisationPermission
from graduated.audit.context import current_context
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.lib.middleware import upload_limit
from graduated.records import runs
from graduated.records.csv_import import column_letter, guess_mapping, safe_cell
from graduated.records.forms import MappingForm, StartForm, UploadForm, initial_mapping
from graduated.records.models import ImportKind, ImportRun, ImportStatus

IMPORT = OrganisationPermission.ADD_PUPIL
RECENT = 10


def _setting(request: HttpRequest, setting_id: int) -> OrganisationAccess:
    return access.get_setting_for_user(request.user, setting_id, IMPORT)


def _run(request: HttpRequest, setting_id: int, run_id: int) -> tuple[OrganisationAccess, ImportRun]:
    setting_access = _setting(request, setting_id)
    run = ImportRun.objects.filter(pk=run_id, setting=setting_access.setting).select_related("created_by").first()
    if run is None:
        raise Http404("No such import.")
    return setting_access, run


REFRESH_SECONDS = 2  # how often a working import's page reloads itself


def _viewed(setting_access: OrganisationAccess, run: ImportRun, what: str) -> None:
    record(setting_access.actor, AuditAction.VIEW, obj=run, description=f"Viewed {what} of import {run.pk}")


def _to_run(run: ImportRun) -> HttpResponse:
    return redirect("records:run", setting_id=run.setting_id, run_id=run.pk)


@upload_limit("IMPORT_MAX_MB")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = _setting(request, setting_id)
    setting = setting_access.setting
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.kind is not None:
        try:
            run = runs.upload(
                actor=setting_access.actor, setting=setting, user=setting_access.user, file=form.cleaned_data["file"],
                kind=form.kind,
            )  # fmt: skip
        except runs.ImportRefusedError as refused:
            form.add_error("file", refused.message)
        else:
            if run.kind == ImportKind.CSV:
                return redirect("records:columns", setting_id=setting.pk, run_id=run.pk)
            return _to_run(run)
    if request.method == "GET":
        record(setting_access.actor, AuditAction.VIEW, object_type="pupil imports", object_id=str(setting.pk),
               description=f"Viewed the imports of setting {setting.pk}")  # fmt: skip
    context = {
        "setting": setting,
        "form": form,
        "recent": ImportRun.objects.filter(setting=setting).select_related("created_by")[:RECENT],
    }
    return render(request, "records/upload.html", context, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, setting_id: int, run_id: int) -> HttpResponse:
    setting_access, run = _run(request, setting_id, run_id)
    if run.kind != ImportKind.CSV or run.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return _to_run(run)
    headers, sample = run.details["headers"], run.details["sample"]
    initial = initial_mapping(run.mapping or guess_mapping(headers))
    form = MappingForm(request.POST or None, initial=initial, headers=headers, sample=sample)
    if request.method == "POST" and form.is_valid():
        try:
            runs.match_columns(actor=setting_access.actor, run=run, mapping=form.mapping())
        except runs.ImportRefusedError as refused:
            messages.error(request, refused.message)
        return _to_run(run)
    if request.method == "GET":
        _viewed(setting_access, run, "the columns")
    shown = [(column_letter(i), header, sample[i] if i < len(sample) else "") for i, header in enumerate(headers)]
    context = {"setting": setting_access.setting, "run": run, "form": form, "columns": shown}
    return render(request, "records/columns.html", context, status=400 if form.is_bound else 200)


@require_GET
def run_page(request: HttpRequest, setting_id: int, run_id: int) -> HttpResponse:
    """The import as it stands: its check's progress, the dry run, the import's progress, the summary."""
    setting_access, run = _run(request, setting_id, run_id)
    refreshing = run.is_working and request.GET.get("refresh") != "off"
    if not run.is_working:
        # While a task works the page shows only counts, and reloads itself: no VIEW every 2 seconds.
        _viewed(setting_access, run, "the page")
    context = _run_context(setting_access, run, StartForm(**_start_args(run)))
    response = render(request, "records/run.html", {**context, "refreshing": refreshing})
    if refreshing:
        # The Refresh header reloads the page without JavaScript; "Stop refreshing" (?refresh=off)
        # turns it off for whoever needs the page to stay still (WCAG 2.2.1, timing adjustable).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


def _start_args(run: ImportRun) -> dict[str, int]:
    return {"importable": run.importable, "refused": run.will_refuse}


def _run_context(setting_access: OrganisationAccess, run: ImportRun, form: StartForm) -> dict[str, object]:
    examples = run.examples or {}
    destination = run.details.get("destination_urn", "")
    setting = setting_access.setting
    return {
        "setting": setting,
        "run": run,
        "form": form,
        "creates": examples.get("create", []),
        "updates": examples.get("update", []),
        "refusals": examples.get("refuse", []),
        "wrong_destination": bool(destination and setting.urn and destination != setting.urn),
        "total": run.rows or 0,
        "checking_percent": round(100 * run.processed_bytes / run.size) if run.size else 0,
        "row_word": "Row" if run.kind == ImportKind.CSV else "Line",
    }


@require_POST
def start(request: HttpRequest, setting_id: int, run_id: int) -> HttpResponse:
    setting_access, run = _run(request, setting_id, run_id)
    if run.status != ImportStatus.CHECKED:
        messages.info(request, "This import has already been started." if run.status != ImportStatus.UPLOADED else
                      "Match the file's columns first.")  # fmt: skip
        return _to_run(run)
    form = StartForm(request.POST, **_start_args(run))
    if form.is_valid():
        try:
            runs.start(
                actor=setting_access.actor, run=run, import_the_rest=form.cleaned_data["import_the_rest"],
                request_id=current_context().request_id,
            )  # fmt: skip
        except runs.ImportRefusedError as refused:
            form.add_error(None, refused.message)
        else:
            return _to_run(run)
    return render(request, "records/run.html", _run_context(setting_access, run, form), status=400)


@require_POST
def cancel(request: HttpRequest, setting_id: int, run_id: int) -> HttpResponse:
    setting_access, run = _run(request, setting_id, run_id)
    try:
        runs.cancel(actor=setting_access.actor, run=run)
    except runs.ImportRefusedError as refused:
        messages.error(request, refused.message)
        return _to_run(run)
    messages.success(request, "The import was cancelled and its file deleted. Nothing was imported.")
    return redirect("records:import", setting_id=setting_access.setting.pk)


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def refusals(request: HttpRequest, setting_id: int, run_id: int) -> StreamingHttpResponse:
    """Every refused row of the import, as CSV, for the person to put right in the MIS."""
    setting_access, run = _run(request, setting_id, run_id)
    record(setting_access.actor, AuditAction.EXPORT, obj=run,
           description=f"Downloaded the refused rows of import {run.pk}")  # fmt: skip
    writer = csv.writer(_Echo())
    where = "Row" if run.kind == ImportKind.CSV else "Line"

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow([where, "UPN", "Name", "Why it was not imported"])
        for refusal in run.refusals.order_by("line", "id").iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    safe_cell(refusal.line),
                    safe_cell(refusal.upn),
                    safe_cell(refusal.name),
                    safe_cell(" ".join(refusal.reason_list)),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-not-imported.csv"'
    return response
