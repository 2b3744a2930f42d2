"""OAP versions made through the services, as an LA admin would."""

from datetime import date
from typing import Any

from graduated.audit.services import Actor
from graduated.oap import services
from graduated.oap.models import Level, OAPVersion
from graduated.organisations.models import LocalAuthority
from graduated.pupils.codes import BroadArea

ACTOR = Actor.system("test")


def strategy(title: str, area: str = BroadArea.COGNITION_LEARNING, level: str = Level.QUALITY_FIRST) -> dict[str, Any]:
    return {"area": area, "level": level, "title": title, "description": f"{title}: what staff do, every lesson."}


def expectation(title: str, theme: str = "Knowing the pupils") -> dict[str, Any]:
    return {"theme": theme, "title": title, "description": f"{title}, in practice."}


DEFAULT_STRATEGIES = [
    strategy("Chunked instructions"),
    strategy("Pre-teaching vocabulary", level=Level.SEN_SUPPORT),
    strategy("Visual timetable", BroadArea.COMMUNICATION_INTERACTION),
    strategy("Movement breaks", BroadArea.SEMH),
]
DEFAULT_EXPECTATIONS = [
    expectation("Staff know which pupils are on the SEN register"),
    expectation("Parents are met three times a year", "Working with families"),
]


def published(
    la: LocalAuthority,
    strategies: list[dict[str, Any]] | None = None,
    expectations: list[dict[str, Any]] | None = None,
    effective_from: date = date(2025, 9, 1),
) -> OAPVersion:
    """A new version of ``la``'s OAP with exactly these items, published from ``effective_from``."""
    draft, _ = services.start_draft(actor=ACTOR, local_authority=la)
    for kind in ("expectations", "strategies"):
        for item in list(getattr(draft, kind).all()):
            services.remove_item(actor=ACTOR, item=item, expected_version=draft.version)
            draft.refresh_from_db()
    for kind, items in (
        ("expectations", DEFAULT_EXPECTATIONS if expectations is None else expectations),
        ("strategies", DEFAULT_STRATEGIES if strategies is None else strategies),
    ):
        for details in items:
            services.add_item(actor=ACTOR, version=draft, kind=kind, details=details, expected_version=draft.version)
            draft.refresh_from_db()
    return services.publish(
        actor=ACTOR, version=draft, effective_from=effective_from, change_note="", expected_version=draft.version
    )
