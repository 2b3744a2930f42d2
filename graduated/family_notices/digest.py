"""The weekly digest, for family members who chose one: each child's changes that week, in one e-mail.

Run once a week by ``graduated family-digests`` (cron or a timer). Safe to run twice: one digest
a person a week (``WeeklyDigestSent``), and each starts where the last one ended, so nothing is
told twice and nothing is missed between runs. Nothing is sent when nothing changed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from graduated import access
from graduated.family_notices.models import Frequency, NoticePreference, WeeklyDigestSent
from graduated.family_notices.selectors import Change, changes
from graduated.family_notices.sending import child_url, preferences_url

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class ChildNews:
    heading: str
    setting: str
    url: str
    changes: list[Change]


def _since(preference: NoticePreference, now: datetime) -> datetime:
    """Where this digest starts: the last one's end; else a week ago. Never before the person chose
    a weekly digest, since what came before that was e-mailed as it happened (or not wanted)."""
    last = WeeklyDigestSent.objects.filter(user=preference.user).order_by("-up_to").first()
    start = last.up_to if last is not None else now - WEEK
    return max(start, preference.changed_at)


def news_for(preference: NoticePreference, since: datetime, now: datetime) -> list[ChildNews]:
    links = access.live_links(preference.user).select_related("pupil", "setting").order_by("pupil__legal_first_name")
    found = []
    for link in links:
        told = changes(link.pupil, young_person=link.is_young_person, emailed_only=True, recorded_after=since,
                       recorded_until=now)  # fmt: skip
        if told:
            heading = "You" if link.is_young_person else link.pupil.first_name
            found.append(ChildNews(heading, link.setting.name, child_url(link.pupil_id), told))
    return found


def _message(preference: NoticePreference, news: list[ChildNews]) -> tuple[str, str]:
    if preference.short:
        # Only where there is news: not whose, not what.
        names = sorted({child.setting for child in news})
        context = {
            "about": "your" if all(child.heading == "You" for child in news) else "your child's",
            "settings_named": " and ".join(names), "url": settings.SITE_URL + reverse("families:home"),
            "preferences_url": preferences_url(),
        }  # fmt: skip
        return "News this week", render_to_string("family_notices/emails/digest_short.txt", context)
    full: dict[str, Any] = {"children": news, "preferences_url": preferences_url()}
    return "What changed this week", render_to_string("family_notices/emails/digest.txt", full)


def send_digest(preference: NoticePreference, now: datetime) -> bool:
    """Send this week's digest to the person unless sent already this week or nothing changed."""
    week_of = timezone.localdate(now) - timedelta(days=timezone.localdate(now).weekday())
    if WeeklyDigestSent.objects.filter(user=preference.user, week_of=week_of).exists():
        return False
    news = news_for(preference, _since(preference, now), now)
    if not news:
        return False
    subject, body = _message(preference, news)
    try:
        with transaction.atomic():
            WeeklyDigestSent.objects.create(user=preference.user, week_of=week_of, up_to=now)
            # Queued inside the transaction: if remembering it fails, nothing goes.
            send_mail(f"{settings.SITE_NAME}: {subject}", body, None, [preference.user.email])
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


def send_digests(now: datetime | None = None) -> int:
    """Send every family member who chose a weekly digest theirs; returns how many were sent."""
    now = now or timezone.now()
    weekly = NoticePreference.objects.filter(frequency=Frequency.WEEKLY, user__is_active=True).select_related("user")
    return sum(send_digest(preference, now) for preference in weekly.order_by("pk"))
