"""Changes on the graduated pathway: stages, concerns and the SENCO's decisions.

Each runs in one transaction and writes the chronology and one audit event per record it creates
or changes. Forms check input first; these functions check again the rules that depend on what is
stored, because two people may act at once.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from graduated.audit.models import AuditAction
from graduated.audit.services import Actor, record
from graduated.lib.errors import ServiceError
from graduated.lib.versioning import check_version, save_versioned
from graduated.organisations.models import LocalAuthority
from graduated.pathway.models import DEFAULT_DESCRIPTIONS, Concern, Decision, PupilStage, Stage, StageKey
from graduated.pupils.codes import BroadArea, SENProvision, SENType, types_in_area
from graduated.pupils.models import ChronologyKind, Pupil
from graduated.pupils.services import add_to_chronology, change_sen_status, current_status, end_need, record_need


class AlreadyDecidedError(ServiceError):
    """The concern was decided already (a double submit, or two people at once)."""

    default_message = "A decision on this concern has already been recorded. It has not been changed."


class DuplicateConcernError(ServiceError):
    """The same person raised the same concern a moment ago (a double submit)."""

    def __init__(self, concern: Concern) -> None:
        super().__init__("This concern has already been raised.")
        self.concern = concern


def _default_stages(la: LocalAuthority) -> list[Stage]:
    return [
        Stage(local_authority=la, key=key, name=key.label, order=order, description=DEFAULT_DESCRIPTIONS[key])
        for order, key in enumerate(StageKey, start=1)
    ]


def stages_for(la: LocalAuthority) -> list[Stage]:
    """The LA's stages in order, creating the default set the first time it is asked for."""
    stages = list(Stage.objects.filter(local_authority=la).order_by("order", "id"))
    if len(stages) < len(StageKey):
        # ignore_conflicts: another request may be creating the same set at this moment.
        Stage.objects.bulk_create(_default_stages(la), ignore_conflicts=True)
        stages = list(Stage.objects.filter(local_authority=la).order_by("order", "id"))
    return stages


def stage_for(la: LocalAuthority, key: str) -> Stage:
    for stage in stages_for(la):
        if stage.key == key:
            return stage
    raise ValidationError({"stage_key": "Choose a stage."})


def current_stage(pupil: Pupil) -> PupilStage | None:
    """The open period, or None: a pupil with no history is at Quality First Teaching."""
    return pupil.stages.current().select_related("stage").first()


def check_stage_change(pupil: Pupil, stage_key: str, start_date: date, current: PupilStage | None = None) -> None:
    """The rules a stage change must meet, as messages keyed by the form field they concern."""
    if stage_key not in StageKey.values:
        raise ValidationError({"stage_key": "Choose a stage."})
    current = current or current_stage(pupil)
    current_key = current.stage.key if current else StageKey.QUALITY_FIRST_TEACHING
    if current_key == stage_key:
        name = current.stage.name if current else StageKey.QUALITY_FIRST_TEACHING.label
        raise ValidationError({"stage_key": f"The pupil is already at the stage ‘{name}’."})
    if current and start_date < current.start_date:
        raise ValidationError(
            {"start_date": f"The new stage cannot start before the current one ({current.start_date:%-d %B %Y})."}
        )


def _lock(pupil: Pupil) -> None:
    """Serialise changes to one pupil's pathway (and status) for the rest of the transaction."""
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()


def _stage_in_pathway(pupil: Pupil, actor: Actor, stage_key: str) -> Stage:
    """The stage of the LA whose pathway applies: that of the setting the actor works in, else of
    the pupil's current setting."""
    from graduated.organisations.models import Setting

    setting_id = actor.setting_id
    if setting_id is None:
        enrolment = pupil.enrolments.current().order_by("-start_date").first()
        if enrolment is None:
            raise ValidationError("The pupil is not enrolled anywhere, so no pathway applies.")
        setting_id = enrolment.setting_id
    stage = Stage.objects.filter(local_authority__settings__pk=setting_id, key=stage_key).first()
    if stage is None:  # the LA's stages were never asked for: create its default set now
        return stage_for(
            Setting.objects.select_related("local_authority").get(pk=setting_id).local_authority, stage_key
        )
    return stage


@transaction.atomic
def change_stage(*, actor: Actor, pupil: Pupil, stage_key: str, start_date: date, reason: str = "") -> PupilStage:
    """Close the current stage and open the new one from ``start_date``.

    The current period ends the day before; when the new stage starts on the same day as the
    current one (a decision corrected the day it was made), the current period ends that day.
    """
    _lock(pupil)
    previous = current_stage(pupil)
    check_stage_change(pupil, stage_key, start_date, previous)
    stage = _stage_in_pathway(pupil, actor, stage_key)
    if previous:
        previous.end_date = max(previous.start_date, start_date - timedelta(days=1))
        previous.save(update_fields=["end_date"])
    period = PupilStage.objects.create(
        pupil=pupil, stage=stage, start_date=start_date, reason=reason, recorded_by=actor.user
    )
    before = previous.stage.name if previous else StageKey.QUALITY_FIRST_TEACHING.label
    summary = f"Stage changed from {before} to {stage.name}"
    if reason:
        summary = f"{summary}: {reason}"
    add_to_chronology(pupil, actor, ChronologyKind.STAGE_CHANGED, start_date, summary)
    record(actor, AuditAction.CREATE, obj=period, pupil_id=pupil.pk, changed_fields=["stage", "start_date", "reason"])
    return period


@transaction.atomic
def raise_concern(
    *,
    actor: Actor,
    pupil: Pupil,
    raised_on: date,
    areas: Iterable[str],
    what_is_seen: str,
    already_tried: str,
    parents_view: str = "",
) -> Concern:
    areas = [area for area in BroadArea.values if area in set(areas)]  # known codes, in a fixed order
    if not areas:
        raise ValidationError({"areas": "Choose at least one broad area of need."})
    if not what_is_seen.strip():
        raise ValidationError({"what_is_seen": "Describe what you have seen."})
    if not already_tried.strip():
        raise ValidationError({"already_tried": "Describe what you have already tried in class."})
    _lock(pupil)
    duplicate = Concern.objects.filter(
        pupil=pupil, raised_by=actor.user, raised_on=raised_on, what_is_seen=what_is_seen.strip(), decision__isnull=True
    ).first()
    if duplicate is not None and actor.user is not None:
        raise DuplicateConcernError(duplicate)
    concern = Concern.objects.create(
        pupil=pupil,
        raised_by=actor.user,
        raised_on=raised_on,
        areas=areas,
        what_is_seen=what_is_seen.strip(),
        already_tried=already_tried.strip(),
        parents_view=parents_view.strip(),
    )
    labels = ", ".join(BroadArea(area).label.lower() for area in areas)
    add_to_chronology(pupil, actor, ChronologyKind.CONCERN_RAISED, raised_on, f"Concern raised: {labels}")
    record(
        actor,
        AuditAction.CREATE,
        obj=concern,
        pupil_id=pupil.pk,
        changed_fields=["raised_on", "areas", "what_is_seen", "already_tried", "parents_view"],
    )
    return concern


def check_decision(
    concern: Concern,
    decision: str,
    decided_on: date,
    look_again_on: date | None,
    parents_notified_on: date | None,
) -> None:
    """The rules a decision must meet, as messages keyed by the form field they concern."""
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose a decision."
    if decided_on < concern.raised_on:
        errors["decided_on"] = (
            f"The date of the decision must be on or after the concern was raised ({concern.raised_on:%-d %B %Y})."
        )
    if decision == Decision.MONITOR:
        if look_again_on is None:
            errors["look_again_on"] = "Enter the date to look again at the pupil's progress."
        elif look_again_on <= decided_on:
            errors["look_again_on"] = "The date to look again must be after the date of the decision."
    if decision == Decision.START_SEN_SUPPORT:
        if parents_notified_on is None:
            errors["parents_notified_on"] = "Enter the date the parents were told that SEN support is starting."
        elif parents_notified_on < concern.raised_on:
            errors["parents_notified_on"] = "The date parents were told must be on or after the concern was raised."
    if errors:
        raise ValidationError(errors)


# The census ranks needs 1 (primary) and 2 (secondary) only (DfE school census).
NEED_RANKS = (1, 2)


def check_needs(concern: Concern, needs: Sequence[tuple[str, int]]) -> None:
    """The needs a SENCO records when SEN support starts: census types within the concern's broad
    areas, one per rank, a secondary need only with a primary one. Messages keyed ``needs``."""
    allowed = {sen_type for area in concern.areas for sen_type in types_in_area(area)}
    types = [sen_type for sen_type, _ in needs]
    ranks = [rank for _, rank in needs]
    message = ""
    if any(sen_type not in SENType.values or sen_type not in allowed for sen_type in types):
        message = "Choose types of need within the broad areas of this concern."
    elif any(rank not in NEED_RANKS for rank in ranks):
        message = "A need is ranked primary (1) or secondary (2): the census records no other ranks."
    elif len(set(ranks)) < len(ranks):
        message = "Only one need can be primary and only one secondary. Change the rank of one, or do not record it."
    elif len(set(types)) < len(types):
        message = "The same type of need cannot be recorded twice."
    elif 2 in ranks and 1 not in ranks:
        message = "A secondary need needs a primary need: rank one of the needs primary."
    if message:
        raise ValidationError({"needs": message})


def _record_needs(
    actor: Actor, pupil: Pupil, needs: Sequence[tuple[str, int]], on: date, *, replace_needs: bool
) -> None:
    """Save the chosen needs as the pupil's current needs through the pupils app's own service.

    Needs already recorded stay unless the SENCO chose to replace them: then they end the day
    before (or on the day they started, if that is later) and the new ones start on ``on``.
    """
    current = list(pupil.needs.current())
    if current and not replace_needs:
        return
    for need in current:
        need.pupil = pupil
        end_need(actor=actor, need=need, end_date=max(need.start_date, on - timedelta(days=1)))
    for sen_type, rank in sorted(needs, key=lambda need: need[1]):
        record_need(actor=actor, pupil=pupil, sen_type=sen_type, rank=rank, start_date=on)


@transaction.atomic
def decide_concern(
    *,
    actor: Actor,
    concern: Concern,
    decision: str,
    decided_on: date,
    note: str,
    look_again_on: date | None = None,
    parents_notified_on: date | None = None,
    expected_version: int | None = None,
    needs: Sequence[tuple[str, int]] = (),
    replace_needs: bool = False,
) -> Concern:
    """Record the SENCO's decision once, and move the pupil on the pathway as it says.

    Monitoring moves the pupil to the stage "monitoring", and no further action moves a monitored
    pupil back to Quality First Teaching; starting SEN support moves them to
    "sen_support", gives them census status K (unless they already have K or E) and puts the date
    parents were told on the chronology, as the Code requires. With SEN support, ``needs`` (census
    type, rank) become the pupil's current needs from the date of the decision, in this
    transaction; a pupil's needs already recorded are kept unless ``replace_needs``.
    """
    pupil = concern.pupil
    _lock(pupil)
    # Read the concern again under the lock: a double submit finds it already decided.
    fresh = Concern.objects.get(pk=concern.pk)
    if fresh.decision is not None:
        raise AlreadyDecidedError
    if expected_version is not None:
        check_version(fresh, expected_version)
    check_decision(fresh, decision, decided_on, look_again_on, parents_notified_on)
    if decision == Decision.START_SEN_SUPPORT:
        check_needs(fresh, needs)
    fresh.decision = decision
    fresh.decided_on = decided_on
    fresh.decided_by = actor.user
    fresh.decision_note = note.strip()
    fresh.look_again_on = look_again_on if decision == Decision.MONITOR else None
    fresh.parents_notified_on = parents_notified_on if decision == Decision.START_SEN_SUPPORT else None
    fields = ["decision", "decided_on", "decision_note", "look_again_on", "parents_notified_on"]
    save_versioned(fresh, update_fields=[*fields, "decided_by"])
    summary = f"Decision on the concern raised {fresh.raised_on:%-d %B %Y}: {Decision(decision).label}"
    if decision == Decision.MONITOR and look_again_on:
        summary = f"{summary}, looking again on {look_again_on:%-d %B %Y}"
    add_to_chronology(pupil, actor, ChronologyKind.CONCERN_DECIDED, decided_on, summary)
    record(actor, AuditAction.CHANGE, obj=fresh, pupil_id=pupil.pk, changed_fields=fields)
    if decision == Decision.MONITOR:
        _move_to(actor, pupil, StageKey.MONITORING, decided_on, "concern to be monitored")
    elif decision == Decision.NO_FURTHER_ACTION:
        current = current_stage(pupil)
        if current is not None and current.stage.key == StageKey.MONITORING and decided_on >= current.start_date:
            # Monitoring ends when the SENCO decides nothing more is needed.
            change_stage(actor=actor, pupil=pupil, stage_key=StageKey.QUALITY_FIRST_TEACHING, start_date=decided_on,
                         reason="no further action on a concern")  # fmt: skip
    elif decision == Decision.START_SEN_SUPPORT:
        assert parents_notified_on is not None
        _start_sen_support(actor, pupil, decided_on)
        _record_needs(actor, pupil, needs, decided_on, replace_needs=replace_needs)
        add_to_chronology(
            pupil,
            actor,
            ChronologyKind.PARENTS_NOTIFIED,
            parents_notified_on,
            "Parents told that SEN support is starting",
        )
    concern.refresh_from_db()
    return concern


def _move_to(actor: Actor, pupil: Pupil, key: str, on: date, reason: str) -> None:
    """Change stage unless the pupil is already there or further along."""
    current = current_stage(pupil)
    current_key = current.stage.key if current else StageKey.QUALITY_FIRST_TEACHING
    order = list(StageKey.values)
    if order.index(current_key) >= order.index(key):
        return
    change_stage(actor=actor, pupil=pupil, stage_key=key, start_date=max(on, current.start_date) if current else on,
                 reason=reason)  # fmt: skip


def _start_sen_support(actor: Actor, pupil: Pupil, on: date) -> None:
    _move_to(actor, pupil, StageKey.SEN_SUPPORT, on, "SEN support started after a concern")
    status = current_status(pupil)
    if status is None or status.status not in (SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN):
        start = on
        if status is not None and start <= status.start_date:
            # The census status must start after the current one; a same-day change starts next day.
            start = status.start_date + timedelta(days=1)
        change_sen_status(
            actor=actor, pupil=pupil, status=SENProvision.SEN_SUPPORT, start_date=start, reason="Concern decided"
        )


@transaction.atomic
def remove_from_sen_support(*, actor: Actor, pupil: Pupil, on: date, reason: str) -> None:
    """Take the pupil off the SEN register (status N) and back to Quality First Teaching."""
    _lock(pupil)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the pupil no longer needs SEN support."})
    status = current_status(pupil)
    if status is None or status.status != SENProvision.SEN_SUPPORT:
        raise ValidationError("The pupil does not have SEN support, so cannot be removed from it.")
    if on <= status.start_date:
        raise ValidationError({"on": f"The date must be after SEN support started ({status.start_date:%-d %B %Y})."})
    current = current_stage(pupil)
    if current and on < current.start_date:
        raise ValidationError(
            {"on": f"The date cannot be before the current stage started ({current.start_date:%-d %B %Y})."}
        )
    change_sen_status(actor=actor, pupil=pupil, status=SENProvision.NO_SEN, start_date=on, reason=reason.strip())
    if current is not None and current.stage.key != StageKey.QUALITY_FIRST_TEACHING:
        change_stage(
            actor=actor, pupil=pupil, stage_key=StageKey.QUALITY_FIRST_TEACHING, start_date=on, reason=reason.strip()
        )
