"""The part of a transferred pupil's record that their previous settings wrote, to read.

Each approved transfer closes a part: the setting left, when, who released the record, and what
that setting wrote while the pupil was there (its support cycles, and the meetings, documents and
one-page profile versions dated before the move). Fixed queries, whatever the history.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from graduated.access import PupilAccess, PupilPermission
from graduated.documents.models import Document
from graduated.meetings.models import Meeting
from graduated.profiles.models import ProfileVersion
from graduated.records.models import RecordTransfer, TransferStatus
from graduated.records.transfers import transfers_into
from graduated.support.models import Cycle, CycleStatus


@dataclass
class Part:
    transfer: RecordTransfer
    since: date | None  # when the pupil came to that setting through an earlier transfer
    cycles: list[Cycle] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    profile_versions: list[ProfileVersion] = field(default_factory=list)

    def holds(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and day < self.transfer.starts_on


def parts_for(pupil_access: PupilAccess) -> list[Part]:
    """The previous settings' parts of the pupil's record, newest move first; [] if none."""
    pupil = pupil_access.pupil
    moves = [move for move in transfers_into(pupil) if move.from_setting_id != pupil_access.setting.pk]
    if not moves:
        return []
    parts = []
    for move in moves:  # oldest first
        came = [m for m in moves if m.to_setting_id == move.from_setting_id and m.starts_on <= move.starts_on]
        parts.append(Part(transfer=move, since=came[-1].starts_on if came else None))
    by_setting = {part.transfer.from_setting_id: part for part in parts}
    cycles = (
        Cycle.objects.filter(pupil=pupil, setting_id__in=by_setting)
        .annotate(outcome_count=Count("outcomes", distinct=True), provision_count=Count("provisions", distinct=True))
        .order_by("number")
    )
    for cycle in cycles:
        by_setting[cycle.setting_id].cycles.append(cycle)
    last_move = max(move.starts_on for move in moves)
    for meeting in Meeting.objects.filter(pupil=pupil, held_on__lt=last_move).order_by("held_on"):
        _place(parts, meeting.held_on, "meetings", meeting)
    if pupil_access.can(PupilPermission.VIEW_RECORD):
        for document in Document.objects.filter(pupil=pupil, dated__lt=last_move).order_by("dated"):
            _place(parts, document.dated, "documents", document)
    versions = ProfileVersion.objects.filter(profile__pupil=pupil, written_on__lt=last_move).order_by("number")
    for version in versions:
        _place(parts, version.written_on, "profile_versions", version)
    return sorted(parts, key=lambda part: part.transfer.starts_on, reverse=True)


def _place(parts: list[Part], day: date, what: str, item: object) -> None:
    for part in parts:
        if part.holds(day):
            getattr(part, what).append(item)
            return


def open_cycle_at(transfer: RecordTransfer) -> Cycle | None:
    """The cycle the sending setting has open, which approving the transfer closes."""
    if transfer.status != TransferStatus.REQUESTED:
        return None
    return (
        Cycle.objects.filter(pupil_id=transfer.pupil_id, setting_id=transfer.from_setting_id)
        .exclude(status=CycleStatus.CLOSED)
        .first()
    )
