"""The draft EHC plan's sections as the request for assessment informs them (domain.md §6).

When the officer first opens "Serve the draft plan", each section A–K starts from what the school's
request carried, as plain text the officer edits: the views typed on the request, and the pupil's
record as it stood when the request was sent (needs, the latest SEN support cycle's analysis,
outcomes and provision, the latest My Support Plan, the reports). Each piece is labelled with where
it came from, so nothing reads as the LA's own words unchecked. A request logged without a school's
request (from a parent, say) carries nothing here, and the sections start empty.

Only the form's starting text: nothing here saves, and a plan once served is never prefilled again
(``ehc.views.draft_plan``). A fixed number of queries whatever the history.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from graduated.assessment_requests.content import reports
from graduated.assessment_requests.models import PreparedRequest
from graduated.ehc.models import SECTION_FIELDS, EHCRequest
from graduated.pupils.codes import BroadArea
from graduated.pupils.models import Need
from graduated.statutory.models import PlanVersion
from graduated.support.models import Cycle, Outcome, Provision


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _piece(source: str, text: str) -> str:
    return f"{source}:\n{text.strip()}" if text.strip() else ""


def _join(pieces: Iterable[str]) -> str:
    return "\n\n".join(piece for piece in pieces if piece)


def _latest_cycle(pupil_id: int, on: date) -> Cycle | None:
    return (
        Cycle.objects.filter(pupil_id=pupil_id, started_on__lte=on)
        .select_related("setting")
        .order_by("-number", "-id")
        .first()
    )


def _latest_plan_version(pupil_id: int, on: date) -> PlanVersion | None:
    return (
        PlanVersion.objects.filter(plan__pupil_id=pupil_id, agreed_on__lte=on)
        .order_by("-agreed_on", "-number", "-id")
        .first()
    )


def _needs_then(pupil_id: int, on: date) -> list[Need]:
    """The needs recorded on the day the request was sent, primary first."""
    held = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))
    return list(Need.objects.filter(held, pupil_id=pupil_id).order_by("rank", "id"))


def _outcome_text(outcome: Outcome) -> str:
    return (
        f"{outcome.position}. {outcome.description.strip()} ({outcome.get_area_display()}). Measured by: "
        f"{outcome.measure.strip()}; from {outcome.baseline} to {outcome.target} by {_day(outcome.by_when)}."
    )


def _provision_text(provision: Provision) -> str:
    details = [provision.get_kind_display()]
    if provision.how_often:
        details.append(provision.how_often)
    if provision.delivered_by_role:
        details.append(f"by {provision.delivered_by_role}")
    if provision.location:
        details.append(f"in {provision.location}")
    return f"- {provision.description.strip()} ({'; '.join(details)})"


def draft_sections(case: EHCRequest) -> dict[str, str]:
    """Starting text for each section, keyed by field name; every key present, empty when the
    request says nothing for that section."""
    sections = dict.fromkeys(SECTION_FIELDS, "")
    prepared = PreparedRequest.objects.filter(case=case).select_related("setting", "pupil").first()
    if prepared is None:
        return sections
    on = prepared.submitted_on or case.received_on
    request = f"From the request received {_day(case.received_on)}"
    cycle = _latest_cycle(case.pupil_id, on)
    version = _latest_plan_version(case.pupil_id, on)
    needs = _needs_then(case.pupil_id, on)
    cycle_source = f"{request} (SEN support cycle {cycle.number}, from {_day(cycle.started_on)})" if cycle else ""
    plan_source = (
        f"{request} (My Support Plan, version {version.number}, agreed {_day(version.agreed_on)})" if version else ""
    )

    def from_plan(field: str, label: str) -> str:
        return _piece(f"{plan_source}, {label}", getattr(version, field)) if version else ""

    sections["section_a"] = _join(
        [
            _piece(f"{request}, the child's or young person's views", prepared.child_views),
            _piece(f"{request}, the parents' views", prepared.parent_views),
            from_plan("views", "my views"),
            from_plan("interests", "my interests"),
            from_plan("hopes", "my hopes for the future"),
        ]
    )
    area_pieces = []
    analysis = cycle.analysis_by_area if cycle else {}
    for area in BroadArea:
        types = [need for need in needs if need.broad_area == area.label]
        lines = [
            f"Need recorded: {need.get_sen_type_display()} ({'primary' if need.rank == 1 else 'secondary'})"
            for need in types
        ]
        if cycle is not None and str(analysis.get(area.value, "")).strip():
            lines.append(
                f"What the assessment found (SEN support cycle {cycle.number}): {analysis[area.value].strip()}"
            )
        if lines:
            area_pieces.append(_piece(f"{request}, {area.label.lower()}", "\n".join(lines)))
    other = [need for need in needs if need.broad_area is None]
    if other:
        area_pieces.append(
            _piece(f"{request}, other needs recorded", "\n".join(n.get_sen_type_display() for n in other))
        )
    sections["section_b"] = _join([*area_pieces, from_plan("needs", "my needs")])
    sections["section_c"] = from_plan("health_needs", "health needs")
    sections["section_d"] = from_plan("social_care_needs", "social care needs")
    if cycle is not None:
        outcomes = list(cycle.outcomes.order_by("position", "id"))
        provisions = list(cycle.provisions.order_by("id"))
        sections["section_e"] = _piece(f"{cycle_source}, outcomes", "\n".join(map(_outcome_text, outcomes)))
        provision_text = _piece(f"{cycle_source}, provision", "\n".join(map(_provision_text, provisions)))
    else:
        provision_text = ""
    sections["section_f"] = _join(
        [
            provision_text,
            _piece(f"{request}, support needed beyond ordinarily available provision",
                   prepared.beyond_ordinarily_available),
        ]
    )  # fmt: skip
    sections["section_g"] = from_plan("health_provision", "health provision")
    sections["section_h2"] = from_plan("social_care_provision", "social care provision")
    sections["section_i"] = _piece(f"{request}, the school or setting that made it", prepared.setting.name)
    documents = reports(prepared.pupil, on)
    sections["section_k"] = _join(
        [
            _piece(f"{request}, reports from the last 12 months",
                   "\n".join(f"- {d.title} ({d.get_kind_display()}, {_day(d.dated)})" for d in documents)),
            from_plan("supporting_advice", "advice from professionals and services"),
        ]
    )  # fmt: skip
    return sections
