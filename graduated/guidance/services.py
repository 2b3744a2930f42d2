"""Changes to an LA's guidance: its public address, its pages, their drafts and publishing.

Each runs in one transaction and writes one audit event. Only a draft changes; a published version
is kept as it was, so the history shows what was in force on any day. A change to a draft names the
version its form was opened on, so of two people editing the same draft the later save is refused
(``StaleEditError``) rather than silently undoing the first.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.guidance.models import (
    MAX_BODY_CHARACTERS,
    RESERVED_PAGE_SLUGS,
    RESERVED_SITE_SLUGS,
    GuidancePage,
    GuidanceSite,
    PageVersion,
    VersionStatus,
)
from graduated.guidance.selectors import latest_published
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import StaleEditError, check_version, lock_for_edit, save_versioned
from graduated.organisations.models import LocalAuthority


class GuidanceError(ServiceError):
    """A change to the guidance the rules refuse; ``message`` says why."""


def _check_body(body: str) -> None:
    if len(body) > MAX_BODY_CHARACTERS:
        raise GuidanceError(
            f"The page must be {MAX_BODY_CHARACTERS:,} characters or fewer: it has {len(body):,}. "
            "Split it into two pages."
        )


def _lock_la(local_authority: LocalAuthority) -> None:
    """Two admins pressing a button at once act one after the other."""
    LocalAuthority.objects.select_for_update().filter(pk=local_authority.pk).values_list("pk").get()


@transaction.atomic
def save_site(
    *, actor: Actor, local_authority: LocalAuthority, slug: str, title: str, intro: str, expected_version: int
) -> GuidanceSite:
    """The LA's public address and title: made on the first save (``expected_version`` 0, none yet)."""
    _lock_la(local_authority)
    if slug in RESERVED_SITE_SLUGS:
        raise GuidanceError(f"The web address “{slug}” is kept for the service's own pages: choose another.")
    if GuidanceSite.objects.filter(slug=slug).exclude(local_authority=local_authority).exists():
        raise GuidanceError(f"The web address “{slug}” is already used by another local authority: choose another.")
    site = GuidanceSite.objects.filter(local_authority=local_authority).first()
    if site is None:
        if expected_version != 0:
            raise StaleEditError(GuidanceSite.stale_message)
        site = GuidanceSite.objects.create(local_authority=local_authority, slug=slug, title=title, intro=intro)
        record(actor, AuditAction.CREATE, obj=site, changed_fields=["slug", "title", "intro"],
               description=f"Public guidance at /guidance/{slug}/")  # fmt: skip
        return site
    lock_for_edit(site, expected_version)
    changed = [
        name for name, value in [("slug", slug), ("title", title), ("intro", intro)] if getattr(site, name) != value
    ]
    site.slug, site.title, site.intro = slug, title, intro
    save_versioned(site, update_fields=["slug", "title", "intro"])
    record(
        actor, AuditAction.CHANGE, obj=site, changed_fields=changed, description=f"Public guidance at /guidance/{slug}/"
    )
    return site


@transaction.atomic
def create_page(
    *, actor: Actor, local_authority: LocalAuthority, topic: str, audience: str, slug: str, title: str, body: str
) -> PageVersion:
    """A new page and its first draft (version 1); nobody outside the LA sees it until it is published."""
    _lock_la(local_authority)
    _check_body(body)
    if slug in RESERVED_PAGE_SLUGS:
        raise GuidanceError(f"The web address “{slug}” is kept for the search page: choose another.")
    if GuidancePage.objects.filter(local_authority=local_authority, slug=slug).exists():
        raise GuidanceError(f"Another page already has the web address “{slug}”: choose another.")
    page = GuidancePage.objects.create(local_authority=local_authority, slug=slug, topic=topic, audience=audience)
    draft = PageVersion.objects.create(page=page, number=1, title=title, body=body, created_by=actor.user)
    record(actor, AuditAction.CREATE, obj=page, changed_fields=["slug", "topic", "audience", "title", "body"],
           description=f"Guidance page “{title}” started as a draft")  # fmt: skip
    return draft


@transaction.atomic
def start_draft(*, actor: Actor, page: GuidancePage) -> tuple[PageVersion, bool]:
    """The page's draft, made now as a copy of its latest published version if it has none.
    Returns (draft, made)."""
    _lock_la(page.local_authority)
    existing = page.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing, False
    base = latest_published(page)
    if base is None:  # a page always starts with a draft, so this is a page whose draft went away
        raise GuidanceError("This page has no version to copy.")
    number = (page.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            draft = PageVersion.objects.create(
                page=page, number=number, title=base.title, body=base.body, created_by=actor.user
            )
    except IntegrityError:  # another admin's draft, made in the same instant on a database without row locks
        return page.versions.get(status=VersionStatus.DRAFT), False
    record(actor, AuditAction.CREATE, obj=draft, changed_fields=["title", "body"],
           description=f"Draft version {number} of “{base.title}”, copied from version {base.number}")  # fmt: skip
    return draft, True


def _lock_draft(version: PageVersion, expected_version: int) -> PageVersion:
    lock_for_edit(version)
    if not version.is_draft:
        raise GuidanceError(f"Version {version.number} has been published: it can no longer be changed.")
    check_version(version, expected_version)
    return version


@transaction.atomic
def save_draft(
    *, actor: Actor, version: PageVersion, title: str, body: str, change_note: str, expected_version: int
) -> PageVersion:
    _check_body(body)
    version = _lock_draft(version, expected_version)
    values = {"title": title, "body": body, "change_note": change_note}
    changed = [name for name, value in values.items() if getattr(version, name) != value]
    for name, value in values.items():
        setattr(version, name, value)
    save_versioned(version, update_fields=list(values))
    record(actor, AuditAction.CHANGE, obj=version, changed_fields=changed,
           description=f"Draft version {version.number} of “{title}” saved")  # fmt: skip
    return version


@transaction.atomic
def publish(
    *, actor: Actor, version: PageVersion, effective_from: date, change_note: str, expected_version: int
) -> PageVersion:
    """Put the draft in force from ``effective_from``: not before the latest published version's
    date, so versions come into force in the order they are numbered."""
    version = _lock_draft(version, expected_version)
    previous = latest_published(version.page)
    if previous is not None and previous.effective_from and effective_from < previous.effective_from:
        raise GuidanceError(
            f"The date must be on or after {previous.effective_from:%-d %B %Y}, "
            f"when version {previous.number} came into force."
        )
    if not version.title.strip():
        raise GuidanceError("Give the page a title before publishing it.")
    version.status, version.effective_from = VersionStatus.PUBLISHED, effective_from
    version.published_at, version.published_by = timezone.now(), actor.user
    version.change_note = change_note.strip() or version.change_note
    save_versioned(version, update_fields=["status", "effective_from", "published_at", "published_by", "change_note"])
    record(actor, AuditAction.CHANGE, obj=version, changed_fields=["status", "effective_from"],
           description=f"Version {version.number} of “{version.title}” published, in force from "
           f"{effective_from:%-d %B %Y}")  # fmt: skip
    return version
