"""The daily digest: for each person, what is due and what changed about their pupils.

It says what changed ("Priya One: SEN support plan agreed") rather than "you have new
information", because a SENCO reads it on a phone before school and should not have to sign in to
find out whether anything matters. Run once a day by ``graduated digests`` (cron or a timer).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from graduated import access
from graduated.accounts.models import User
from graduated.organisations.models import Role
from graduated.pupils.models import ChronologyEntry
from graduated.support.models import Cycle, CycleStatus, PlanAcknowledgement
from graduated.worklists.caseload import SOON, caseload
from graduated.worklists.models import DigestSent

CHANGES_SHOWN = 30  # beyond this, the digest says how many more there are
# Caseload sections the SENCO's digest counts: (section, one, many).
CASELOAD_LINES = [
    ("reviews_overdue", "review overdue", "reviews overdue"),
    ("reviews_soon", f"review due in the next {SOON.days} days", f"reviews due in the next {SOON.days} days"),
    ("open_concerns", "concern waiting for your decision", "concerns waiting for your decision"),
    ("look_again", "monitored pupil due a second look", "monitored pupils due a second look"),
    ("overdue_actions", "meeting action overdue", "meeting actions overdue"),
    ("unacknowledged", "plan not yet read by linked staff", "plans not yet read by linked staff"),
    (
        "short_of_meetings",
        "pupil with fewer than three parent meetings",
        "pupils with fewer than three parent meetings",
    ),
]


def _counted(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class Digest:
    user: User
    since: datetime
    due: list[str] = field(default_factory=list)
    changes: list[ChronologyEntry] = field(default_factory=list)
    more_changes: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.due and not self.changes


def _setting_due(user: User, today: date) -> list[str]:
    """For a SENCO: the caseload of each of their settings, counted."""
    lines = []
    for membership in access.memberships_of(user):
        if membership.role != Role.SENCO or membership.setting is None:
            continue
        sections = caseload(membership.setting, today)
        found = [_counted(len(sections[key]), one, many) for key, one, many in CASELOAD_LINES if sections[key]]
        if found:
            lines.append(f"{membership.setting.name}: " + "; ".join(found) + ".")
    return lines


def _linked_due(user: User, today: date) -> list[str]:
    """For linked staff: plans of their pupils to read, and reviews coming up."""
    linked = access.visible_pupils(user).filter(staff_links__user=user)
    cycles = list(
        Cycle.objects.filter(pupil__in=linked, status=CycleStatus.DO)
        .select_related("pupil")
        .order_by("review_date", "id")
    )
    read = set(PlanAcknowledgement.objects.filter(user=user, cycle__in=cycles).values_list("cycle_id", flat=True))
    lines = [
        f"Read the support plan for {c.pupil.display_name} (cycle {c.number})." for c in cycles if c.pk not in read
    ]
    lines += [
        f"{c.pupil.display_name}'s plan is reviewed on {c.review_date:%-d %B}: note how your part of it is going."
        for c in cycles
        if c.review_date and today <= c.review_date <= today + SOON
    ]
    return lines


def build_digest(user: User, since: datetime, today: date) -> Digest:
    digest = Digest(user=user, since=since)
    digest.due = _setting_due(user, today) + _linked_due(user, today)
    changes = (
        ChronologyEntry.objects.filter(pupil__in=access.visible_pupils(user), recorded_at__gte=since)
        .exclude(recorded_by=user)
        .select_related("pupil", "recorded_by")
        .order_by("pupil__legal_last_name", "pupil__legal_first_name", "pupil_id", "-occurred_on", "-id")
    )
    shown = list(changes[: CHANGES_SHOWN + 1])
    digest.changes = shown[:CHANGES_SHOWN]
    digest.more_changes = changes.count() - CHANGES_SHOWN if len(shown) > CHANGES_SHOWN else 0
    return digest


def send_digest(user: User, today: date) -> bool:
    """Send today's digest to ``user`` unless already sent or there is nothing to say."""
    last = DigestSent.objects.filter(user=user).order_by("-sent_at").first()
    if last is not None and last.sent_on == today:
        return False
    since = last.sent_at if last is not None else timezone.now() - timedelta(days=1)
    digest = build_digest(user, since, today)
    if digest.is_empty:
        return False
    try:
        with transaction.atomic():
            DigestSent.objects.create(user=user, sent_on=today)
            context = {"digest": digest, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME, "today": today}
            # The e-mail is queued inside the transaction: if recording the digest fails, nothing goes.
            send_mail(
                subject=f"{settings.SITE_NAME}: your SEND digest for {today:%-d %B}",
                message=render_to_string("worklists/digest.txt", context),
                from_email=None,
                recipient_list=[user.email],
            )
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


def send_digests(today: date | None = None) -> int:
    """Send every active member of staff their digest for ``today``; returns how many were sent."""
    today = today or timezone.localdate()
    staff = User.objects.filter(is_active=True, memberships__setting__isnull=False).distinct().order_by("pk")
    return sum(send_digest(user, today) for user in staff)
