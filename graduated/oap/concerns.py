"""The OAP's part of raising a concern (graduated/pathway): the strategies in force for the areas
of need chosen on the form, offered as already tried, and the links recorded once it is raised.

Works without JavaScript: the form's "Show strategies for these areas" button sends it back with
nothing saved (``SHOW``), and the page draws the strategies for the areas ticked, QFT first.
"""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from graduated.access import PupilAccess
from graduated.oap import selectors, services
from graduated.oap.forms import StrategyChoiceForm
from graduated.pathway.models import Concern
from graduated.pupils.codes import BroadArea

SHOW = "oap_show_strategies"


def showing_only(request: HttpRequest) -> bool:
    """Whether the person asked to see the strategies rather than raise the concern."""
    return request.method == "POST" and SHOW in request.POST


def _areas(data: Any) -> list[str]:
    chosen = set(data.getlist("areas")) if data is not None and hasattr(data, "getlist") else set()
    return [area for area in BroadArea.values if area in chosen]


def offer_form(pupil_access: PupilAccess, data: Any = None) -> StrategyChoiceForm:
    """The strategies in force at the pupil's setting's LA for the areas chosen in ``data`` (two queries)."""
    version_id = selectors.in_force_id(pupil_access.setting.local_authority_id, timezone.localdate())
    strategies = selectors.strategies_for_areas(version_id, _areas(data))
    form = StrategyChoiceForm(data, strategies=strategies)
    form.has_version = version_id is not None  # type: ignore[attr-defined]
    form.areas_chosen = bool(_areas(data))  # type: ignore[attr-defined]
    return form


def keep_area_errors_only[F: forms.Form](form: F) -> F:
    """The concern form as typed, without the errors of fields not filled in yet: only choosing no
    area is worth a message when the person asked to see the strategies."""
    form.is_valid()
    for name in list(form.errors):
        if name != "areas":
            del form.errors[name]
    return form


def record_tried(pupil_access: PupilAccess, concern: Concern, offer: StrategyChoiceForm) -> int:
    links = services.link_concern_strategies(
        actor=pupil_access.actor, concern=concern, setting=pupil_access.setting, strategies=offer.chosen()
    )
    return len(links)
