"""Reads: a person's choices, the family's timeline of a child, and who hears about a change."""

from dataclasses import dataclass
from datetime import date, datetime

from graduated import access
from graduated.accounts.models import User
from graduated.families.models import FamilyLink
from graduated.family_notices.kinds import EMAILED_KINDS, FAMILY_VISIBLE, sentence
from graduated.family_notices.models import NoticePreference
from graduated.pupils.models import ChronologyEntry, Pupil

TIMELINE_SHOWN = 10  # on the child's page; the timeline page shows them all


@dataclass(frozen=True)
class Change:
    on: date
    sentence: str


@dataclass(frozen=True)
class Timeline:
    changes: list[Change]
    more: bool  # there are older changes than those shown


def preference_for(user: User) -> NoticePreference:
    """The person's saved choices, or the default (as it happens, in full) unsaved."""
    found = NoticePreference.objects.filter(user=user).first()
    return found if found is not None else NoticePreference(user=user)


def changes(
    pupil: Pupil, *, young_person: bool, limit: int | None = None, emailed_only: bool = False,
    recorded_after: datetime | None = None, recorded_until: datetime | None = None,
) -> list[Change]:  # fmt: skip
    """The family-visible changes about ``pupil``, newest first, in the family's words: one query.

    The chronology's own summaries are staff wording ("Cycle 2 plan agreed"), so each change is
    told by its kind's sentence (graduated.family_notices.kinds), never by its summary."""
    entries = ChronologyEntry.objects.filter(
        pupil=pupil, kind__in=list(EMAILED_KINDS if emailed_only else FAMILY_VISIBLE)
    ).order_by("-occurred_on", "-recorded_at", "-id")
    if recorded_after is not None:
        entries = entries.filter(recorded_at__gt=recorded_after)
    if recorded_until is not None:
        entries = entries.filter(recorded_at__lte=recorded_until)
    rows = entries.values_list("occurred_on", "kind")
    return [
        Change(on, sentence(kind, first_name=pupil.first_name, young_person=young_person))
        for on, kind in (rows[:limit] if limit is not None else rows)
    ]


def timeline(pupil: Pupil, link: FamilyLink | None, *, limit: int | None = TIMELINE_SHOWN) -> Timeline:
    """What changed, for the family's page of ``pupil``: the last ``limit`` (all if None)."""
    young_person = link is not None and link.is_young_person
    found = changes(pupil, young_person=young_person, limit=None if limit is None else limit + 1)
    if limit is not None and len(found) > limit:
        return Timeline(found[:limit], more=True)
    return Timeline(found, more=False)


def links_to_tell(pupil_id: int) -> list[FamilyLink]:
    """Every family member's live link to the child, through the access rule itself (a link is
    live only while the child is on roll and parental responsibility holds: graduated.access)."""
    users = User.objects.filter(
        pk__in=FamilyLink.objects.filter(pupil_id=pupil_id, ended_at__isnull=True).values("user_id")
    ).order_by("pk")
    links = []
    for user in users:
        link = access.live_links(user).filter(pupil_id=pupil_id).select_related("user", "pupil", "setting").first()
        if link is not None:
            links.append(link)
    return links
