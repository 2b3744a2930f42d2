"""Writing PCP meetings and My Support Plans. Each change runs in one transaction and writes one audit event.

Forms check input first and give specific messages; these functions check the date rules again,
because another version may have been saved since the form was opened.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.versioning import StaleEditError, save_versioned
from graduated.meetings import services as meetings
from graduated.meetings.models import Meeting, MeetingKind
from graduated.organisations.models import Setting
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology
from graduated.rulepacks.selectors import plan_review_months
from graduated.statutory.models import (
    AgreedOutcome,
    MySupportPlan,
    PersonCentredRecord,
    PlanContent,
    PlanVersion,
    default_next_review,
)
from graduated.statutory.plan_selectors import current_version


@dataclass(frozen=True)
class PcpHeadings:
    whats_working: str
    whats_not_working: str
    important_to: str
    important_for: str
    views_sent_by: str = ""


@dataclass(frozen=True)
class SaveResult:
    version: PlanVersion
    created: bool  # False when the content was the same as the current version's


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def record_pcp_meeting(
    *,
    actor: Actor,
    pupil: Pupil,
    held_on: date,
    agreed: str,
    headings: PcpHeadings,
    attendees: Sequence[meetings.AttendeeData] = (),
    actions: Sequence[meetings.ActionData] = (),
    today: date | None = None,
) -> Meeting:
    """Record a PCP meeting through the meetings app, with its person-centred headings, all or nothing.

    The meeting's own audit event and chronology entry ("Meeting held") stand for the whole record:
    the headings are part of the same change, so they add no second event.
    Raises meetings.DuplicateMeetingError for the same meeting sent twice.
    """
    meeting = meetings.record_meeting(
        actor=actor,
        pupil=pupil,
        kind=MeetingKind.PERSON_CENTRED,
        held_on=held_on,
        discussed=agreed,
        attendees=attendees,
        actions=actions,
        today=today,
    )
    PersonCentredRecord.objects.create(
        meeting=meeting,
        whats_working=headings.whats_working,
        whats_not_working=headings.whats_not_working,
        important_to=headings.important_to,
        important_for=headings.important_for,
        views_sent_by=headings.views_sent_by,
    )
    return meeting


def check_dates(
    *, pupil: Pupil, content: PlanContent, agreed_on: date, next_review_on: date, current: PlanVersion | None
) -> None:
    """The date rules of a version, as ValidationErrors keyed by field."""
    errors: dict[str, str] = {}
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = "The date agreed must be today or in the past."
    elif current is not None and agreed_on < current.agreed_on:
        errors["agreed_on"] = f"The date agreed must be on or after {_long(current.agreed_on)}, the current version’s."
    if next_review_on <= agreed_on:
        errors["next_review_on"] = "The date of the next review must be after the date agreed."
    if content.meeting_id is not None:
        meeting = Meeting.objects.filter(pk=content.meeting_id, pupil=pupil, kind=MeetingKind.PERSON_CENTRED).first()
        if meeting is None:
            errors["meeting"] = "Choose one of this pupil’s person-centred planning meetings."
        elif meeting.held_on > agreed_on:
            errors["meeting"] = f"The meeting was held on {_long(meeting.held_on)}, after the date agreed."
    if any(outcome.by_when < agreed_on for outcome in content.outcomes):
        errors["outcomes"] = "Every outcome must be due on or after the date the plan was agreed."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_plan(
    *,
    actor: Actor,
    pupil: Pupil,
    setting: Setting,
    expected_version: int,
    content: PlanContent,
    agreed_on: date,
    next_review_on: date | None = None,
) -> SaveResult:
    """Save ``content`` as the pupil's new My Support Plan version.

    ``expected_version`` is the version the person's form was opened on (0 for none). Content and
    dates equal to the current version's save nothing, whatever the version: a double submit is
    harmless. Otherwise a save on top of a newer version raises StaleEditError (its ``current`` the
    newer version). ``next_review_on`` defaults to the LA's review cycle after ``agreed_on``.
    """
    if next_review_on is None:  # the LA's cycle, from its rule pack in force on the day agreed
        months = plan_review_months(pupil.home_local_authority_id or setting.local_authority_id, agreed_on)
        next_review_on = default_next_review(agreed_on, months)
    plan, _ = MySupportPlan.objects.select_for_update().get_or_create(pupil=pupil)
    current = current_version(pupil)
    if (
        current is not None
        and current.content() == content
        and (current.agreed_on, current.next_review_on) == (agreed_on, next_review_on)
    ):
        return SaveResult(version=current, created=False)
    if current is not None and plan.version != expected_version:
        raise _newer(current)
    check_dates(pupil=pupil, content=content, agreed_on=agreed_on, next_review_on=next_review_on, current=current)
    # Compare and set in one statement, so that of two saves on one version only one goes through,
    # even where select_for_update does not lock (SQLite).
    try:
        save_versioned(plan)
    except StaleEditError:
        newer = current_version(pupil)
        if newer is None:  # another save's version is not visible yet: ask the person to try again
            raise StaleEditError("Someone else was saving this plan at the same moment. Save again.") from None
        raise _newer(newer) from None
    number = plan.version
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        setting=setting,
        looked_after=content.looked_after,
        meeting_id=content.meeting_id,
        agreed_on=agreed_on,
        next_review_on=next_review_on,
        recorded_by=actor.user,
        **content.text,
    )
    AgreedOutcome.objects.bulk_create(
        AgreedOutcome(version=version, position=n, description=o.description, who=o.who, by_when=o.by_when)
        for n, o in enumerate(content.outcomes, start=1)
    )
    changed = content.changed_fields(current.content() if current else None)
    what = "agreed" if current is None else "reviewed"
    # No chronology kind names the My Support Plan yet; "plan agreed" is the nearest (see README).
    add_to_chronology(
        pupil,
        actor,
        ChronologyKind.SUPPORT_PLAN_AGREED,
        agreed_on,
        f"My Support Plan {what} (version {number}); next review by {_long(next_review_on)}",
    )
    record(actor, AuditAction.CREATE, obj=version, pupil_id=pupil.pk, changed_fields=changed)
    return SaveResult(version=version, created=True)


def _newer(current: PlanVersion) -> StaleEditError:
    """The refusal of a save on top of ``current``, the version someone else saved: the page shows it."""
    return StaleEditError(MySupportPlan.stale_message, saved_version=current.number, current=current)
