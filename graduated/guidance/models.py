"""The LA's published guidance (design.md: "guidance/"): pages for its settings and for families,
each kept in dated versions, and the public address they are read at.

Versions work as the rule pack's do (graduated/rulepacks/models.py): a page has at most one draft;
publishing a draft records who and when and the date it is in force from; the version in force on
a day is the latest published one whose date has come; published versions are never changed, and
editing starts a new draft copied from the latest. Bodies are written in the small Markdown subset
of ``graduated/lib/markup.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from graduated.lib.versioning import Versioned, someone_else_changed
from graduated.organisations.models import LocalAuthority

MAX_BODY_CHARACTERS = 100_000
# Site addresses that would clash with the app's own staff pages (/guidance/la/..., /guidance/settings/...),
# and page addresses that would clash with a site's search page.
RESERVED_SITE_SLUGS = frozenset({"la", "settings"})
RESERVED_PAGE_SLUGS = frozenset({"search"})


class Audience(models.TextChoices):
    SETTINGS = "settings", "Settings: early years, schools and colleges"
    FAMILIES = "families", "Parents, carers and young people"


class Topic(models.TextChoices):
    """What a page is about, in the order the index lists them."""

    RESPONSE_EARLY_YEARS = "response_early_years", "The graduated response in early years settings"
    RESPONSE_SCHOOLS = "response_schools", "The graduated response in schools"
    RESPONSE_POST_16 = "response_post_16", "The graduated response in post-16 settings"
    ROLE_TEACHERS = "role_teachers", "What we expect of teachers"
    ROLE_ALL_STAFF = "role_all_staff", "What we expect of all staff"
    ROLE_SUPPORT_STAFF = "role_support_staff", "What we expect of adults supporting learning"
    ROLE_SENCOS = "role_sencos", "What we expect of SENCOs"
    FUNDING = "funding", "Funding and how to apply for resources"
    RECORD_KEEPING = "record_keeping", "Record-keeping"
    WORKING_WITH_PARENTS = "working_with_parents", "Working with parents and carers"
    GLOSSARY = "glossary", "Glossary"
    KEY_CONTACTS = "key_contacts", "Key contacts"
    CODE_OF_PRACTICE = "code_of_practice", "Summary of the SEND Code of Practice"
    FAMILIES_UNDERSTANDING = "families_understanding", "Understanding the Graduated Response"
    FAMILIES_SEN_SUPPORT = "families_sen_support", "What SEN support your child may be given"


# The topics written for families; every other topic is written for settings.
FAMILY_TOPICS = frozenset({Topic.FAMILIES_UNDERSTANDING, Topic.FAMILIES_SEN_SUPPORT})
TOPIC_ORDER = {value: position for position, value in enumerate(Topic.values)}


def audience_for(topic: str) -> str:
    return Audience.FAMILIES if topic in FAMILY_TOPICS else Audience.SETTINGS


class GuidanceSite(Versioned):
    """Where an LA's guidance is read without signing in: /guidance/<slug>/."""

    stale_message = someone_else_changed("the public address and title")

    local_authority = models.OneToOneField(LocalAuthority, on_delete=models.CASCADE, related_name="guidance_site")
    slug = models.SlugField("web address", max_length=60, unique=True)
    title = models.CharField(max_length=120)
    intro = models.TextField("introduction", blank=True)

    def __str__(self) -> str:
        return self.title


class GuidancePage(models.Model):
    """One page of an LA's guidance: what it is about and its address. Its words are in ``versions``."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.CASCADE, related_name="guidance_pages")
    slug = models.SlugField("web address", max_length=80)
    topic = models.CharField(max_length=32, choices=Topic.choices)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_authority", "topic", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "slug"], name="one_guidance_page_per_address"),
        ]

    def __str__(self) -> str:
        return f"{self.local_authority}: {self.slug}"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PageVersion(Versioned):
    """One version of a page's title and words."""

    stale_message = someone_else_changed("this draft")

    page = models.ForeignKey(GuidancePage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=9, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField(max_length=150)
    body = models.TextField(blank=True)
    change_note = models.TextField("what changed", blank=True)
    effective_from = models.DateField("in force from", null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_guidance_version_per_number"),
            models.UniqueConstraint(fields=["page"], condition=Q(status="draft"), name="one_guidance_draft_per_page"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False, published_at__isnull=False),
                name="published_guidance_has_dates",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="guidance_version_number_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT
