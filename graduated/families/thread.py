"""Messages between a child's family and their setting: one thread per child and setting.

A family member writes from the child's page (a question, or "I would like a meeting"); the
setting's SENCO reads and answers from Family access. Each side is told by e-mail that there is a
new message, never what it says (e-mail is not a safe place for a child's needs): the e-mail links
to the thread, behind the sign-in. Every message is audited; reading is audited by the pages.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from graduated.access import FamilyAccess, PupilAccess, live_links
from graduated.accounts.models import User
from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.families.models import FamilyLink, FamilyMessage, ThreadRead
from graduated.lib.errors import ServiceError
from graduated.organisations.models import Membership, Role, Setting
from graduated.pupils.models import Pupil

MAX_LENGTH = 2000
SHOWN = 50  # the latest messages on the page


class MessageError(ServiceError):
    default_message = "The message could not be sent. Nothing was changed."


@dataclass
class Thread:
    messages: list[FamilyMessage]  # oldest first, the last SHOWN; each with ``is_new`` for this reader
    earlier: int  # how many older ones are not shown


def thread_for(user: User, pupil: Pupil, setting: Setting) -> Thread:
    """The thread, newest SHOWN in order, and mark it read for ``user``. Four queries."""
    found = FamilyMessage.objects.filter(pupil=pupil, setting=setting)
    total = found.count()
    messages = list(reversed(found.select_related("author", "link").order_by("-sent_at", "-id")[:SHOWN]))
    marker = ThreadRead.objects.filter(user=user, pupil=pupil, setting=setting).first()
    read_before = marker.read_at if marker else None
    # Mark it read with the row already in hand, not a second look-up.
    if marker is None:
        try:
            with transaction.atomic():
                ThreadRead.objects.create(user=user, pupil=pupil, setting=setting)
        except IntegrityError:  # the same person's other tab made it a moment ago
            ThreadRead.objects.filter(user=user, pupil=pupil, setting=setting).update(read_at=timezone.now())
    else:
        ThreadRead.objects.filter(pk=marker.pk).update(read_at=timezone.now())
    for message in messages:
        message.is_new = read_before is None or message.sent_at > read_before  # type: ignore[attr-defined]
    return Thread(messages, earlier=max(0, total - SHOWN))


def new_for(user: User, pupil: Pupil, setting: Setting, *, from_family: bool) -> int:
    """How many messages from the other side ``user`` has not seen yet (one query)."""
    marker = ThreadRead.objects.filter(user=user, pupil=pupil, setting=setting).values("read_at")
    found = FamilyMessage.objects.filter(pupil=pupil, setting=setting, from_family=from_family)
    return found.exclude(sent_at__lte=marker[:1]).count() if marker.exists() else found.count()


def _clean(body: str) -> str:
    body = body.strip()
    if not body:
        raise MessageError("Write your message.")
    if len(body) > MAX_LENGTH:
        raise MessageError(f"Your message must be {MAX_LENGTH:,} characters or fewer.")
    return body


def send_from_family(*, family: FamilyAccess, body: str, wants_meeting: bool) -> FamilyMessage:
    setting = family.link.setting
    message = _create(family.actor, family.pupil, setting, family.link, _clean(body), wants_meeting)
    recipients = sorted({m.user.email for m in _sencos(setting)})
    transaction.on_commit(partial(_tell_school, family.pupil, setting, recipients, wants_meeting))
    return message


def send_from_school(*, pupil_access: PupilAccess, body: str) -> FamilyMessage:
    pupil, setting = pupil_access.pupil, pupil_access.setting
    links = _live_family(pupil, setting)
    if not links:
        raise MessageError("Nobody in the family has access now, so nobody could read it. Nothing was sent.")
    message = _create(pupil_access.actor, pupil, setting, None, _clean(body), False)
    transaction.on_commit(partial(_tell_family, links, pupil, setting))
    return message


@transaction.atomic
def _create(
    actor: Actor, pupil: Pupil, setting: Setting, link: FamilyLink | None, body: str, wants_meeting: bool
) -> FamilyMessage:
    message = FamilyMessage.objects.create(
        pupil=pupil, setting=setting, author=actor.user, link=link, from_family=link is not None, body=body,
        wants_meeting=wants_meeting,
    )  # fmt: skip
    # The writer has read their own thread up to now.
    if actor.user is not None:
        ThreadRead.objects.update_or_create(user=actor.user, pupil=pupil, setting=setting,
                                            defaults={"read_at": message.sent_at})  # fmt: skip
    record(actor, AuditAction.CREATE, obj=message, pupil_id=pupil.pk, changed_fields=["body", "wants_meeting"],
           description=f"Message {'from the family' if link else 'to the family'}")  # fmt: skip
    return message


def _sencos(setting: Setting) -> list[Membership]:
    return list(
        Membership.objects.filter(setting=setting, role=Role.SENCO, user__is_active=True).select_related("user")
    )


def _live_family(pupil: Pupil, setting: Setting) -> list[FamilyLink]:
    """Every family member whose link to the child at this setting is live now (the access rule)."""
    users = User.objects.filter(family_links__pupil=pupil, family_links__setting=setting).distinct()
    return [link for user in users for link in live_links(user).filter(pupil=pupil, setting=setting)]


def _tell_school(pupil: Pupil, setting: Setting, recipients: list[str], wants_meeting: bool) -> None:
    if not recipients:
        return
    url = settings.SITE_URL + reverse("families:school_thread", args=[pupil.pk])
    what = "a message, and would like a meeting" if wants_meeting else "a message"
    send_mail(
        f"A message from {pupil.first_name}'s family",
        f"{pupil.first_name}'s family have sent {what}. Sign in to read it and reply:\n{url}\n",
        None, recipients,
    )  # fmt: skip


def _tell_family(links: list[FamilyLink], pupil: Pupil, setting: Setting) -> None:
    url = settings.SITE_URL + reverse("families:thread", args=[pupil.pk])
    for link in links:
        whose = "you" if link.is_young_person else pupil.first_name
        send_mail(
            f"A message from {setting.name}",
            f"Hello,\n\n{setting.name} has sent you a message about {whose}. Sign in to read it:\n{url}\n",
            None, [link.user.email],
        )  # fmt: skip


@dataclass
class WaitingThread:
    pupil_id: int
    since: datetime  # the family's first message since the school last wrote
    waiting: int
    wants_meeting: bool
    pupil: Pupil | None = None


def waiting_at(setting: Setting) -> list[WaitingThread]:
    """The setting's threads whose family has written since the school last did, longest wait
    first. Three queries whatever the number of threads."""
    answered_at = dict(
        FamilyMessage.objects.filter(setting=setting, from_family=False)
        .values("pupil_id")
        .annotate(at=Max("sent_at"))
        .values_list("pupil_id", "at")
    )
    rows = FamilyMessage.objects.filter(setting=setting, from_family=True).order_by("sent_at", "id")
    waiting: dict[int, WaitingThread] = {}
    for pupil_id, sent_at, wants_meeting in rows.values_list("pupil_id", "sent_at", "wants_meeting"):
        answered = answered_at.get(pupil_id)
        if answered is not None and sent_at <= answered:
            continue
        found = waiting.setdefault(pupil_id, WaitingThread(pupil_id, sent_at, 0, False))
        found.waiting += 1
        found.wants_meeting = found.wants_meeting or wants_meeting
    pupils = Pupil.objects.in_bulk(list(waiting))
    for thread in waiting.values():
        thread.pupil = pupils[thread.pupil_id]
    return sorted(waiting.values(), key=lambda thread: thread.since)
