"""A pupil's SEN record following them to another setting that uses Graduated.

The receiving setting's SENCO asks for the record by UPN and date of birth (the two together are
what a school is given when a pupil joins it, and what nobody else is likely to know). The setting
the pupil was last enrolled at is asked; its SENCO approves or refuses. Approving moves the pupil:
their enrolment there ends the day before they start at the receiving setting, a cycle still open
there is closed unreviewed (a pupil has one open cycle, and the new setting starts its own), and an
enrolment at the receiving setting begins. The record stays one record: the receiving setting then
reaches it through the access policy as it reaches every pupil enrolled there, and what the
previous setting wrote (its cycles, with their plans, provision and reviews) is read-only to it
(``graduated.support.selectors.cycle_for``).

Until the request is approved the receiving setting learns nothing of the pupil but that a record
exists. Every step writes an audit event for the pupil, and the e-mails name no pupil.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from graduated.access.permissions import SETTING_PERMISSIONS, OrganisationPermission
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.organisations.models import Membership, Setting
from graduated.pupils.models import ChronologyKind, Enrolment, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.records.models import Declaration, RecordTransfer, TransferStatus
from graduated.support.models import Cycle, CycleStatus

POST_16_PHASES = {"sixth_form", "further_education"}
REASON_MAX = 1000


class TransferError(ServiceError):
    default_message = "This request could not be made. Nothing was saved."


def takes_declarations(setting: Setting) -> bool:
    """A college or sixth form records what a student declares when they join (post-16)."""
    return setting.phase in POST_16_PHASES


def last_enrolment(pupil: Pupil) -> Enrolment | None:
    return Enrolment.objects.filter(pupil=pupil).select_related("setting").order_by("-start_date", "-id").first()


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


@transaction.atomic
def request_record(
    *,
    actor: Actor,
    setting: Setting,
    upn: str,
    date_of_birth: date,
    starts_on: date,
    declared: Iterable[str] = (),
    declaration_notes: str = "",
) -> RecordTransfer:
    """Ask the setting the pupil was last enrolled at for their record, to start at ``setting``."""
    pupil = Pupil.objects.filter(upn=upn, date_of_birth=date_of_birth).first()
    if pupil is None:
        raise TransferError(
            "No pupil with this UPN and date of birth has a record in Graduated. Check both against what their "
            "last school sent you; if they are right, add the pupil by hand or import the Common Transfer File "
            "their last school sends."
        )
    if Enrolment.objects.current().filter(pupil=pupil, setting=setting).exists():
        raise TransferError("This pupil is already on your roll: their record is on your SEN register.")
    last = last_enrolment(pupil)
    if last is None or last.setting_id == setting.pk:
        raise TransferError(
            "This pupil was last enrolled here, so there is no other setting to ask: import them again from your "
            "MIS, which enrols them again."
        )
    waiting = RecordTransfer.objects.filter(pupil=pupil, to_setting=setting, status=TransferStatus.REQUESTED).first()
    if waiting is not None:
        raise TransferError(
            f"You asked for this pupil's record on {_day(waiting.requested_at.date())}; the request is waiting for "
            "the other setting."
        )
    codes = [code for code in declared if code in Declaration.values] if takes_declarations(setting) else []
    try:
        with transaction.atomic():
            transfer = RecordTransfer.objects.create(
                pupil=pupil, from_setting=last.setting, to_setting=setting, starts_on=starts_on,
                declared=codes, declaration_notes=declaration_notes.strip() if codes else "",
                requested_by=actor.user,
            )  # fmt: skip
    except IntegrityError as error:  # the same request sent twice at once
        raise TransferError("This pupil's record has just been asked for; the request is waiting.") from error
    record(
        actor, AuditAction.CREATE, obj=transfer, pupil_id=pupil.pk,
        description=f"Asked setting {last.setting_id} for the SEN record (transfer {transfer.pk})",
    )  # fmt: skip
    _tell(
        last.setting,
        subject=f"{setting.name} has asked for a pupil's SEN record",
        body=(
            f"{setting.name} ({setting.local_authority.name}) says a pupil who was on your roll starts there on "
            f"{_day(starts_on)}, and asks for their SEN record.\n\nSign in to see who, and to approve or refuse "
            f"the request:\n{_url(last.setting, transfer)}\n"
        ),
    )
    return transfer


def _locked(transfer: RecordTransfer) -> RecordTransfer:
    """The transfer as saved now, locked until this transaction ends; refused if already decided."""
    current = RecordTransfer.objects.select_for_update().select_related("pupil", "from_setting", "to_setting")
    transfer = current.get(pk=transfer.pk)
    if transfer.status != TransferStatus.REQUESTED:
        raise TransferError(f"This request has already been decided: {transfer.get_status_display().lower()}.")
    return transfer


@transaction.atomic
def approve(*, actor: Actor, transfer: RecordTransfer) -> RecordTransfer:
    """Release the record: the pupil leaves the sending setting and joins the receiving one."""
    transfer = _locked(transfer)
    pupil, leaving, joining = transfer.pupil, transfer.from_setting, transfer.to_setting
    left_on = transfer.starts_on - timedelta(days=1)
    for enrolment in Enrolment.objects.filter(pupil=pupil, setting=leaving).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=left_on)
    ):
        enrolment.end_date = max(left_on, enrolment.start_date)
        enrolment.save(update_fields=["end_date"])
    closed = list(Cycle.objects.filter(pupil=pupil, setting=leaving).exclude(status=CycleStatus.CLOSED))
    Cycle.objects.filter(pk__in=[cycle.pk for cycle in closed]).update(status=CycleStatus.CLOSED)
    if not Enrolment.objects.current(transfer.starts_on).filter(pupil=pupil, setting=joining).exists():
        Enrolment.objects.create(pupil=pupil, setting=joining, start_date=transfer.starts_on)
    summary = f"Left {leaving.name} for {joining.name}; the SEN record went with them"
    if closed:
        summary += f" (cycle {closed[0].number} closed without a review)"
    add_to_chronology(pupil, actor, ChronologyKind.RECORD_TRANSFERRED, left_on, summary)
    add_to_chronology(
        pupil, actor, ChronologyKind.ENROLLED, transfer.starts_on, f"Enrolled at {joining.name} from {leaving.name}"
    )
    if transfer.declared:
        declared = " and ".join(label.lower() for label in transfer.declared_labels)
        add_to_chronology(
            pupil, actor, ChronologyKind.DECLARED_AT_ENTRY, transfer.starts_on,
            f"On joining {joining.name} declared {declared}",
        )  # fmt: skip
    transfer.status = TransferStatus.APPROVED
    transfer.decided_by = actor.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor, AuditAction.CHANGE, obj=transfer, pupil_id=pupil.pk, changed_fields=["status", "enrolments"],
        description=f"Released the SEN record to setting {joining.pk} (transfer {transfer.pk})",
    )  # fmt: skip
    _tell_requester(transfer, "approved", "The pupil is now on your SEN register, with their record.")
    return transfer


@transaction.atomic
def refuse(*, actor: Actor, transfer: RecordTransfer, reason: str) -> RecordTransfer:
    transfer = _locked(transfer)
    transfer.status = TransferStatus.REFUSED
    transfer.refusal_reason = reason.strip()[:REASON_MAX]
    transfer.decided_by = actor.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    record(
        actor, AuditAction.CHANGE, obj=transfer, pupil_id=transfer.pupil_id, changed_fields=["status"],
        description=f"Refused to release the SEN record (transfer {transfer.pk})",
    )  # fmt: skip
    _tell_requester(transfer, "refused", f"Their reason: {transfer.refusal_reason}")
    return transfer


@transaction.atomic
def withdraw(*, actor: Actor, transfer: RecordTransfer) -> RecordTransfer:
    transfer = _locked(transfer)
    transfer.status = TransferStatus.WITHDRAWN
    transfer.decided_by = actor.user
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor, AuditAction.CHANGE, obj=transfer, pupil_id=transfer.pupil_id, changed_fields=["status"],
        description=f"Withdrew the request for the SEN record (transfer {transfer.pk})",
    )  # fmt: skip
    return transfer


# -- Reading ---------------------------------------------------------------------------------------


def transfers_of(setting: Setting) -> tuple[QuerySet[RecordTransfer], QuerySet[RecordTransfer]]:
    """(requests this setting is asked to decide, requests it has made), open ones first."""
    base = RecordTransfer.objects.select_related("pupil", "from_setting", "to_setting", "requested_by")
    ordered = ("-open", "-requested_at", "-id")

    def with_open(queryset: QuerySet[RecordTransfer]) -> QuerySet[RecordTransfer]:
        return queryset.alias(open=Q(status=TransferStatus.REQUESTED)).order_by(*ordered)

    return with_open(base.filter(from_setting=setting)), with_open(base.filter(to_setting=setting))


def transfer_of(setting: Setting, transfer_id: int) -> RecordTransfer | None:
    """A transfer this setting sends or receives; None for any other (the caller answers 404)."""
    return (
        RecordTransfer.objects.filter(Q(from_setting=setting) | Q(to_setting=setting), pk=transfer_id)
        .select_related("pupil", "from_setting__local_authority", "to_setting__local_authority", "requested_by")
        .first()
    )


def transfers_into(pupil: Pupil) -> list[RecordTransfer]:
    """The moves the pupil's record has made between settings, oldest first."""
    return list(
        RecordTransfer.objects.filter(pupil=pupil, status=TransferStatus.APPROVED)
        .select_related("from_setting", "to_setting", "decided_by")
        .order_by("decided_at", "id")
    )


# -- Telling people --------------------------------------------------------------------------------


def _url(setting: Setting, transfer: RecordTransfer) -> str:
    return settings.SITE_URL + reverse("records:transfer", args=[setting.pk, transfer.pk])


def _tell(setting: Setting, *, subject: str, body: str) -> None:
    """E-mail the people who decide transfers at ``setting``, once the change is saved."""
    roles = [
        role for role, granted in SETTING_PERMISSIONS.items() if OrganisationPermission.TRANSFER_RECORDS in granted
    ]
    addresses = sorted(
        set(
            Membership.objects.filter(setting=setting, role__in=roles, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )
    if addresses:
        transaction.on_commit(lambda: send_mail(subject, body, None, addresses))


def _tell_requester(transfer: RecordTransfer, what: str, then: str) -> None:
    _tell(
        transfer.to_setting,
        subject=f"{transfer.from_setting.name} has {what} your request for a pupil's SEN record",
        body=(
            f"{transfer.from_setting.name} has {what} the request for the record of the pupil who starts with you "
            f"on {_day(transfer.starts_on)}. {then}\n\n{_url(transfer.to_setting, transfer)}\n"
        ),
    )
