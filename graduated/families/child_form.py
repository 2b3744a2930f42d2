"""The child-friendly form a school gives a younger pupil before a review (smiley faces, "what is
good, what is hard, what would help"), through a link that needs no account.

The SENCO makes the link on "Family access" once views have been asked for; it is shown once, to
give to the child (on a school tablet, or to the family to open at home). Making a new link stops
the old one. The link works until the review date (at least a week), and only while the plan is
under way; after that it says so. The answers go beside the family's in the review form.
"""

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.reach import note_pupil_reached
from graduated.audit.services import Actor, record
from graduated.families.models import ChildFeeling, ChildViewsForm, ViewsRequest
from graduated.families.views_services import ViewsError
from graduated.support.models import CycleStatus

MIN_DAYS = 7
# Who answers, in the audit trail: the pupil has no account.
CHILD_ROLE = "pupil_form"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _expiry(asked: ViewsRequest, today: date) -> date:
    review = asked.cycle.review_date
    return max(review, today + timedelta(days=MIN_DAYS)) if review else today + timedelta(days=28)


def make_link(*, actor: Actor, asked: ViewsRequest) -> tuple[str, ChildViewsForm]:
    """A new link for the child (the old one, if any, stops working). Returns the full address."""
    token = secrets.token_urlsafe(32)
    today = timezone.localdate()
    with transaction.atomic():
        form, created = ChildViewsForm.objects.update_or_create(
            request=asked,
            defaults={"token_digest": _digest(token), "made_by": actor.user, "made_at": timezone.now(),
                      "expires_on": _expiry(asked, today)},
        )  # fmt: skip
        record(actor, AuditAction.CREATE if created else AuditAction.CHANGE, obj=form,
               pupil_id=asked.cycle.pupil_id, changed_fields=["token_digest", "expires_on"],
               description="Made a link for the pupil's own views")  # fmt: skip
    return settings.SITE_URL + reverse("families:child_form", args=[token]), form


def form_for_token(token: str) -> ChildViewsForm:
    """The form this link opens, while it works; otherwise a 404 that the page explains."""
    if not 20 <= len(token) <= 100:
        raise Http404("This link does not work.")
    found = (
        ChildViewsForm.objects.filter(token_digest=_digest(token))
        .select_related("request__cycle__pupil", "request__cycle__setting")
        .first()
    )
    if found is None or found.expires_on < timezone.localdate() or found.request.cycle.status != CycleStatus.DO:
        raise Http404("This link does not work any more.")
    cycle = found.request.cycle
    note_pupil_reached(_actor(found), cycle.pupil_id)
    return found


def _actor(form: ChildViewsForm) -> Actor:
    return Actor(user=None, role=CHILD_ROLE, setting_id=form.request.cycle.setting_id)


def save_answers(form: ChildViewsForm, answers: dict[str, Any]) -> ChildViewsForm:
    with transaction.atomic():
        cycle = type(form.request.cycle).objects.select_for_update().get(pk=form.request.cycle_id)
        if cycle.status != CycleStatus.DO:
            raise ViewsError("The review has already happened. Tell your teacher what you think.")
        for name in ("feeling", "going_well", "hard", "would_help", "outcome_feelings"):
            setattr(form, name, answers.get(name, {} if name == "outcome_feelings" else ""))
        form.answered_at = timezone.now()
        form.save()
        record(_actor(form), AuditAction.CHANGE, obj=form, pupil_id=cycle.pupil_id,
               changed_fields=["feeling", "going_well", "hard", "would_help", "outcome_feelings"],
               description=f"The pupil's own views before the review of cycle {cycle.number}")  # fmt: skip
    return form


def answered_for(asked: ViewsRequest | None) -> ChildViewsForm | None:
    """The child's own answers for the review form, if they gave any."""
    if asked is None:
        return None
    return ChildViewsForm.objects.filter(request=asked, answered_at__isnull=False).first()


def add_child_feelings(feelings: dict[int, list[tuple[str, str]]], answers: ChildViewsForm | None) -> None:
    """Put the child's smiley for each aim beside the family's (outcome id -> (who, feeling))."""
    if answers is None:
        return
    labels = dict(ChildFeeling.choices)
    who = f"{answers.request.cycle.pupil.first_name} (own form)"
    for outcome_id, feeling in answers.outcome_feelings.items():
        if str(outcome_id).isdigit() and feeling in labels:
            feelings.setdefault(int(outcome_id), []).append((who, labels[feeling]))
