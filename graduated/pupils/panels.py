"""Sections that other features add to the pupil page.

Each feature app may have a ``panels.py`` with ``pupil_panel(access) -> Panel | None``: the
template of its section and that template's context, built with a fixed number of queries (the
pupil page's query count is asserted). None hides the section (e.g. for a role that may not see
it). The pupil page shows the panels in ``order``.
"""

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from graduated.access import PupilAccess

PANEL_MODULES = [
    "graduated.pathway.panels",
    "graduated.support.panels",
    "graduated.profiles.panels",
    "graduated.meetings.panels",
    "graduated.documents.panels",
    "graduated.funding.panels",
    "graduated.provision.panels",
    "graduated.statutory.panels",
    "graduated.specialists.panels",
    "graduated.ehc.panels",
    "graduated.assessment_requests.panels",
    "graduated.professionals.panels",
    "graduated.families.panels",
    "graduated.records.panels",
]


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50  # lower comes first
    column: str = "main"  # "main" (two thirds) or "side" (one third)


def pupil_panels(pupil_access: PupilAccess) -> list[Panel]:
    panels = []
    for dotted in PANEL_MODULES:
        try:
            module = import_module(dotted)
        except ModuleNotFoundError as error:
            if error.name != dotted:
                raise
            continue  # the feature has no section on the pupil page
        panel = module.pupil_panel(pupil_access)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)
