"""Asking a family for their views before a review, and their answers (in their own words).

Nothing a family does here can hold up the review: the SENCO reviews when the date comes, with
whatever answers have arrived; the review form shows them, marked as the family's.
"""

from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from graduated.access import FamilyAccess
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.families.models import (
    FamilyLink,
    FamilyViews,
    Feeling,
    MeetingAcknowledgement,
    PlanResponse,
    ViewsRequest,
)
from graduated.lib.errors import ServiceError
from graduated.meetings.models import Meeting
from graduated.pupils.models import ChronologyKind
from graduated.pupils.services import add_to_chronology
from graduated.support.models import Cycle, CycleStatus

ANSWER_FIELDS = ("going_well", "hard", "would_help", "outcome_feelings", "child_feeling", "child_going_well",
                 "child_hard", "child_would_help")  # fmt: skip


class ViewsError(ServiceError):
    default_message = "The views could not be saved. Nothing was changed."


def open_request(cycle: Cycle | None) -> ViewsRequest | None:
    """The request for views on ``cycle``, while its plan is under way and not yet reviewed."""
    if cycle is None or cycle.status != CycleStatus.DO:
        return None
    return ViewsRequest.objects.filter(cycle=cycle).first()


def ask_for_views(*, actor: Actor, cycle: Cycle, links: list[FamilyLink]) -> ViewsRequest:
    """Ask the family (every live link) for their views before ``cycle``'s review; e-mail them."""
    if cycle.status != CycleStatus.DO:
        raise ViewsError("Views can be asked for once the plan is agreed, before it is reviewed.")
    if not links:
        raise ViewsError("Nobody in the family has access yet: give them access first.")
    try:
        with transaction.atomic():
            asked = ViewsRequest.objects.create(cycle=cycle, requested_by=actor.user)
            description = f"Asked the family for their views before the review of cycle {cycle.number}"
            record(actor, AuditAction.CREATE, obj=asked, pupil_id=cycle.pupil_id, description=description)
    except IntegrityError as error:  # asked already, perhaps a moment ago
        raise ViewsError("The family has already been asked for their views on this plan.") from error
    for link in links:
        transaction.on_commit(partial(_tell, link, cycle))
    return asked


def _tell(link: FamilyLink, cycle: Cycle) -> None:
    when = f" on {cycle.review_date:%-d %B %Y}" if cycle.review_date else ""
    whose = "your" if link.is_young_person else f"{cycle.pupil.first_name}'s"
    url = settings.SITE_URL + reverse("families:views", args=[cycle.pupil_id])
    body = (
        f"Hello,\n\nBefore {whose} review{when}, {link.setting.name} would like to know what you think: what is "
        f"going well, what is hard, and what would help.\n\nIt takes a few minutes, on your phone:\n{url}\n"
    )
    send_mail(f"Before {whose} review: what do you think?", body, None, [link.user.email])


def save_views(*, family: FamilyAccess, asked: ViewsRequest, answers: dict[str, Any]) -> FamilyViews:
    """Save (or, before the review, change) this family member's answer."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=asked.cycle_id)
        if cycle.status != CycleStatus.DO:
            raise ViewsError("The review has already happened, so your views could not be added. Tell the school.")
        values = {name: answers.get(name, "" if name != "outcome_feelings" else {}) for name in ANSWER_FIELDS}
        views, created = FamilyViews.objects.update_or_create(
            request=asked, link=family.link, defaults={**values, "submitted_at": timezone.now()}
        )
        record(
            family.actor, AuditAction.CREATE if created else AuditAction.CHANGE, obj=views,
            pupil_id=family.pupil.pk, changed_fields=list(ANSWER_FIELDS),
            description=f"Family views before the review of cycle {cycle.number}",
        )  # fmt: skip
    return views


def feelings_by_outcome(answers: list[FamilyViews]) -> dict[int, list[tuple[str, str]]]:
    """Outcome id -> (who, how they think it is going), from the answers, for the review form."""
    labels = dict(Feeling.choices)
    found: dict[int, list[tuple[str, str]]] = {}
    for views in answers:
        for outcome_id, feeling in views.outcome_feelings.items():
            if str(outcome_id).isdigit() and feeling in labels:
                found.setdefault(int(outcome_id), []).append((views.link.user.full_name, labels[feeling]))
    return found


def answers_for(cycle: Cycle) -> list[FamilyViews]:
    """What the family said before ``cycle``'s review, for the review form."""
    return list(
        FamilyViews.objects.filter(request__cycle=cycle).select_related("link__user").order_by("submitted_at", "pk")
    )


def respond_to_plan(*, family: FamilyAccess, cycle: Cycle, agrees: bool, comment: str) -> PlanResponse:
    """The family member agrees with the plan's outcomes, or says what they do not agree with.
    Changeable while the plan is open; each answer is dated on the chronology."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if not cycle.is_open:
            raise ViewsError(
                "This plan has been reviewed, so it can no longer be agreed. Tell the school what you think."
            )
        response, created = PlanResponse.objects.update_or_create(
            cycle=cycle, link=family.link,
            defaults={"agrees": agrees, "comment": "" if agrees else comment.strip(), "responded_at": timezone.now()},
        )  # fmt: skip
        who = "The young person" if family.link.is_young_person else (family.link.relationship or "A parent")
        said = "agrees with" if agrees else "does not agree with all of"
        add_to_chronology(family.pupil, family.actor, ChronologyKind.FAMILY_RESPONDED, timezone.localdate(),
                          f"{who} {said} the outcomes of cycle {cycle.number}")  # fmt: skip
        record(
            family.actor, AuditAction.CREATE if created else AuditAction.CHANGE, obj=response,
            pupil_id=family.pupil.pk, changed_fields=["agrees", "comment"],
            description=f"Family response to the outcomes of cycle {cycle.number}: {'agrees' if agrees else 'not all'}",
        )  # fmt: skip
    return response


def responses_for(cycle: Cycle | None) -> list[PlanResponse]:
    if cycle is None:
        return []
    return list(PlanResponse.objects.filter(cycle=cycle).select_related("link__user").order_by("responded_at", "pk"))


def acknowledge_meeting(*, family: FamilyAccess, meeting_id: int) -> bool:
    """Note that this family member has read a meeting record shared with them. False when it had
    been noted already (a double submit); a meeting not shared with the family is a 404."""
    meeting = Meeting.objects.filter(pk=meeting_id, pupil=family.pupil, shared_with_parents_on__isnull=False).first()
    if meeting is None:
        raise Http404("No such meeting.")
    with transaction.atomic():
        _, created = MeetingAcknowledgement.objects.get_or_create(meeting=meeting, link=family.link)
        if created:
            record(family.actor, AuditAction.CHANGE, obj=meeting, pupil_id=family.pupil.pk,
                   changed_fields=["family_acknowledgements"],
                   description=f"The family read the record of meeting {meeting.pk}")  # fmt: skip
    return created


def acknowledgements_of(meeting: Meeting) -> list[MeetingAcknowledgement]:
    return list(meeting.family_acknowledgements.select_related("link__user").order_by("acknowledged_at", "pk"))
