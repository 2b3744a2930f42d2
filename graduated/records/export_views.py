"""Common Transfer Files out: one pupil's, from their page, and a group of leavers', from the register.

A pupil's file is for those who may read their whole record (``VIEW_RECORD``: SENCOs and senior
leaders; a teacher or TA who reaches the pupil gets 403); the leavers' file for those who may add
pupils to the setting (``ADD_PUPIL``: its SENCOs), as the import is. Anyone else, and any pupil or
setting of another organisation, gets 404.

Each is one page sent with GET: the form, then the same address with the form's answers gives the
file. Every pupil in a file gets one EXPORT audit event (graduated.audit.reach then writes no VIEW);
the page without a file is a VIEW. Graduated does not send the file: the school uploads it to the
DfE's School to School service, as it does its MIS's.
"""

from datetime import datetime

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationPermission, PupilPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import Entry, record, record_many
from graduated.lib.exports import attachment
from graduated.organisations.models import Setting
from graduated.pupils.codes import SENProvision, SENType
from graduated.records import exports
from graduated.records.ctf import file_name, write_ctf
from graduated.records.export_forms import LeaversForm, SchoolsForm

CTF_TYPE = "application/xml"
WHAT = "common transfer file"
LEAVERS = "common transfer file of leavers"
NO_UPN = "A Common Transfer File needs the pupil's UPN, and Graduated holds none for this pupil: add it first"


def _remembered(session: SessionBase, setting: Setting) -> dict[str, str]:
    """The establishment number given last time, so that a SENCO types it once a sitting."""
    estab = session.get(f"records:ctf_estab:{setting.pk}")
    return {"source_estab": estab} if estab else {}


def _remember(session: SessionBase, setting: Setting, form: SchoolsForm) -> None:
    session[f"records:ctf_estab:{setting.pk}"] = form.cleaned_data["source_estab"]


@require_GET
def pupil_ctf(request: HttpRequest, pupil_id: int) -> HttpResponse:
    pupil_access = access.get_pupil_for_user(request.user, pupil_id, PupilPermission.VIEW_RECORD)
    pupil, setting = pupil_access.pupil, pupil_access.setting
    form = SchoolsForm(request.GET or None, setting=setting, initial=_remembered(request.session, setting))
    now = timezone.localtime()
    if form.is_bound and form.is_valid() and not pupil.upn:
        form.add_error(None, NO_UPN)
    if form.is_bound and form.is_valid():
        source, destination = form.source(), form.destination()
        content = write_ctf([exports.pupil_record(pupil, on=now.date())], source=source, destination=destination,
                            generated_at=now)  # fmt: skip
        record(pupil_access.actor, AuditAction.EXPORT, object_type=WHAT, object_id=str(pupil.pk), pupil_id=pupil.pk,
               description=f"Common Transfer File of 1 pupil {form.destination_words()}")  # fmt: skip
        _remember(request.session, setting, form)
        return attachment(content, CTF_TYPE, file_name(source, destination))
    held = exports.pupil_record(pupil, on=now.date())
    provisions, types = dict(SENProvision.choices), dict(SENType.choices)
    context = {
        "pupil": pupil,
        "setting": setting,
        "form": form,
        "held": held,
        "history": [(entry.start_date, provisions.get(entry.provision, entry.provision)) for entry in held.sen_history],
        "needs": [
            {
                "code": n.sen_type,
                "label": types.get(n.sen_type, n.sen_type),
                "rank": n.rank,
                "start": n.start_date,
                "end": n.end_date,
            }
            for n in held.needs
        ],
        "no_upn": NO_UPN if not pupil.upn else "",
    }
    # The page shows the pupil's SEN record: its VIEW event follows from the lookup (audit.reach).
    return render(request, "records/pupil_ctf.html", context, status=400 if form.is_bound else 200)


@require_GET
def leavers(request: HttpRequest, setting_id: int) -> HttpResponse | StreamingHttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, OrganisationPermission.ADD_PUPIL)
    setting = setting_access.setting
    form = LeaversForm(request.GET or None, setting=setting, initial=_remembered(request.session, setting))
    counts: dict[str, int] | None = None
    if form.is_bound and form.is_valid():
        now = timezone.localtime()
        data = form.cleaned_data
        chosen = exports.leavers(setting, year=data["year"], ends_from=data["ends_from"], ends_to=data["ends_to"],
                                 on=now.date())  # fmt: skip
        _remember(request.session, setting, form)
        if "download" in request.GET:
            pupil_ids = list(chosen.filter(exports.has_upn()).values_list("pk", flat=True))
            if pupil_ids:
                return _leavers_file(setting_access, form, pupil_ids, now)
        counts = chosen.aggregate(total=Count("pk"), without_upn=Count("pk", filter=~exports.has_upn()))
        counts["in_file"] = counts["total"] - counts["without_upn"]
    shown = f": {form.choice_words()}, {counts['in_file']} pupils" if counts is not None else ""
    record(setting_access.actor, AuditAction.VIEW, object_type=LEAVERS, object_id=str(setting.pk),
           description=f"Viewed the leavers' CTF page of setting {setting.pk}{shown}")  # fmt: skip
    context = {"setting": setting, "form": form, "counts": counts}
    return render(request, "records/leavers.html", context, status=400 if form.is_bound and form.errors else 200)


def _leavers_file(
    setting_access: access.OrganisationAccess, form: LeaversForm, pupil_ids: list[int], now: datetime
) -> StreamingHttpResponse:
    """The file of the chosen pupils, streamed: the audit events are written first, one per pupil,
    so the file holds exactly the pupils the trail names."""
    setting = setting_access.setting
    words = f"Common Transfer File of {len(pupil_ids)} leavers ({form.choice_words()}) {form.destination_words()}"
    record_many(setting_access.actor, (Entry(AuditAction.EXPORT, WHAT, str(pk), pk, words) for pk in pupil_ids))
    record(setting_access.actor, AuditAction.EXPORT, object_type=LEAVERS, object_id=str(setting.pk), description=words)
    source, destination = form.source(), form.destination()
    chunks = exports.leavers_ctf(pupil_ids, source=source, destination=destination, generated_at=now)
    response = StreamingHttpResponse(chunks, content_type=CTF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(source, destination)}"'
    return response
