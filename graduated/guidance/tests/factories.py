"""Guidance sites, pages and versions for tests, made through the services."""

from datetime import date

from graduated.audit.services import Actor
from graduated.guidance import services
from graduated.guidance.models import Audience, GuidanceSite, PageVersion, Topic
from graduated.organisations.models import LocalAuthority

ACTOR = Actor.system("test")


def site(la: LocalAuthority, slug: str = "northshire", title: str = "Northshire SEND guidance") -> GuidanceSite:
    return services.save_site(actor=ACTOR, local_authority=la, slug=slug, title=title, intro="", expected_version=0)


def draft_page(
    la: LocalAuthority, *, slug: str = "sen-support", title: str = "SEN support in schools",
    body: str = "## What it is\nSupport **in class**.", topic: str = Topic.RESPONSE_SCHOOLS,
    audience: str = Audience.SETTINGS,
) -> PageVersion:  # fmt: skip
    return services.create_page(
        actor=ACTOR, local_authority=la, topic=topic, audience=audience, slug=slug, title=title, body=body
    )


def publish(version: PageVersion, effective_from: date = date(2025, 9, 1)) -> PageVersion:
    return services.publish(
        actor=ACTOR, version=version, effective_from=effective_from, change_note="", expected_version=version.version
    )


def published_page(la: LocalAuthority, effective_from: date = date(2025, 9, 1), **details: str) -> PageVersion:
    return publish(draft_page(la, **details), effective_from)
