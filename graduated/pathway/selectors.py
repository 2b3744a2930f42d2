"""Reads for the pathway pages, each with a fixed number of queries whatever the history."""

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from graduated.organisations.models import Setting
from graduated.pathway.models import Concern, Decision, PupilStage, Stage, StageKey
from graduated.pupils.models import Enrolment, Pupil


def pupil_pathway(pupil: Pupil, local_authority_id: int) -> dict[str, Any]:
    """The pupil's current stage (the LA's Quality First Teaching if none) and open concerns: 3 queries."""
    current = pupil.stages.current().select_related("stage").first()
    # Always asked, so the query count does not depend on whether the pupil has a history.
    first_stage = Stage.objects.filter(
        local_authority_id=local_authority_id, key=StageKey.QUALITY_FIRST_TEACHING
    ).first()
    open_concerns = list(pupil.concerns.open().select_related("raised_by").order_by("raised_on", "id"))
    if current is not None:
        stage_name, since = current.stage.name, current.start_date
    else:
        stage_name, since = (first_stage.name if first_stage else StageKey.QUALITY_FIRST_TEACHING.label), None
    return {"stage_name": stage_name, "stage_since": since, "current_stage": current, "open_concerns": open_concerns}


def stage_history(pupil: Pupil) -> list[PupilStage]:
    return list(pupil.stages.select_related("stage", "recorded_by").order_by("-start_date", "-id"))


def setting_concerns(setting: Setting, on: date | None = None) -> dict[str, list[Concern]]:
    """Open concerns about pupils enrolled in the setting, oldest first, and monitored pupils due a
    second look (still at the stage "monitoring", look-again date come): 2 queries."""
    on = on or timezone.localdate()
    enrolled = Enrolment.objects.current(on).filter(setting=setting).values("pupil_id")
    concerns = Concern.objects.filter(pupil_id__in=enrolled).select_related("pupil", "raised_by")
    still_monitored = PupilStage.objects.current().filter(pupil_id=OuterRef("pupil_id"), stage__key=StageKey.MONITORING)
    # A pupil's latest look-again date is the one that counts: earlier ones have been superseded.
    later_monitor = Concern.objects.filter(
        pupil_id=OuterRef("pupil_id"), decision=Decision.MONITOR, look_again_on__gt=OuterRef("look_again_on")
    )
    due = (
        concerns.filter(decision=Decision.MONITOR, look_again_on__lte=on)
        .filter(Exists(still_monitored))
        .exclude(Exists(later_monitor))
        .order_by("look_again_on", "id")
    )
    return {
        "open_concerns": list(concerns.open().order_by("raised_on", "id")),
        "due_for_review": list(due),
    }
