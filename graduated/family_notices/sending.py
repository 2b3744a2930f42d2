"""The e-mail about one change, to each family member who wants one as it happens.

Built when the task runs, from the records as they are then, and sent through the mail queue
(graduated.lib.mail). Whoever's link has ended, or who chose a weekly digest or no e-mails, gets
nothing; whoever chose short e-mails gets no detail at all: not the aims, not a need, not a service.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from graduated.families.models import FamilyLink
from graduated.family_notices import selectors
from graduated.family_notices.details import details_of
from graduated.family_notices.kinds import EHC_EXPLAINED, EHC_KINDS, EMAILED_KINDS, sentence
from graduated.family_notices.models import Frequency
from graduated.pupils.models import ChronologyEntry


@dataclass(frozen=True)
class Notice:
    subject: str
    body: str


def child_url(pupil_id: int) -> str:
    return settings.SITE_URL + reverse("families:child", args=[pupil_id])


def preferences_url() -> str:
    return settings.SITE_URL + reverse("family_notices:preferences")


def whose(link: FamilyLink) -> str:
    return "your" if link.is_young_person else f"{link.pupil.first_name}'s"


def short_notice(link: FamilyLink) -> Notice:
    """Nothing but that there is news, where, and the way in."""
    about = "your" if link.is_young_person else "your child's"
    context = {"about": about, "setting": link.setting.name, "url": child_url(link.pupil_id),
               "preferences_url": preferences_url()}  # fmt: skip
    return Notice(f"News about {about} support", render_to_string("family_notices/emails/short.txt", context))


def full_notice(link: FamilyLink, entry: ChronologyEntry, details: list[str]) -> Notice:
    told = sentence(entry.kind, first_name=link.pupil.first_name, young_person=link.is_young_person)
    context = {
        "whose": whose(link), "setting": link.setting.name, "sentence": told, "on": entry.occurred_on,
        "details": details, "explained": EHC_EXPLAINED if entry.kind in EHC_KINDS else "",
        "url": child_url(link.pupil_id), "preferences_url": preferences_url(), "site_name": settings.SITE_NAME,
    }  # fmt: skip
    subject = f"News about {whose(link)} support at {link.setting.name}"
    return Notice(subject, render_to_string("family_notices/emails/notice.txt", context))


def send_for_entry(entry_id: int) -> int:
    """E-mail the change ``entry_id`` records to each family member who wants it now; how many."""
    entry = ChronologyEntry.objects.filter(pk=entry_id, kind__in=list(EMAILED_KINDS)).first()
    if entry is None:  # gone (the pupil's record removed) or not a kind families are e-mailed
        return 0
    wanted = [
        (link, preference)
        for link in selectors.links_to_tell(entry.pupil_id)
        if (preference := selectors.preference_for(link.user)).frequency == Frequency.AS_IT_HAPPENS
    ]
    details = details_of(entry) if any(not preference.short for _, preference in wanted) else []
    for link, preference in wanted:
        notice = short_notice(link) if preference.short else full_notice(link, entry, details)
        send_mail(notice.subject, notice.body, None, [link.user.email])
    return len(wanted)
