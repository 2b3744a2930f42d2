"""The measured impact of interventions: one group, a setting's runs term by term, and an LA's shared
interventions across its settings.

Who: a group's page follows its setting, like the setting's page (SENCO and senior leaders:
VIEW_REGISTER); the LA page is for the LA's officers and admins (VIEW_LA_FIGURES) and shows pooled
figures only, never a pupil. The group page names pupils, so each view of it writes one audit event.
The arithmetic is in impact.py; the reads, a fixed number of queries, in impact_selectors.py; the
LA's page reads figures worked out ahead (impact_la.py), at an LA's size thousands of lines.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.audit.models import AuditAction
from graduated.audit.services import record
from graduated.provision import impact_la
from graduated.provision import impact_selectors as selectors
from graduated.provision.impact import (
    CAUTION,
    SEASON_ORDER,
    academic_year_label,
    change,
    fixed,
    ratio_gain,
    signed_fixed,
)
from graduated.provision.impact_charts import entry_exit_chart
from graduated.provision.impact_selectors import Run
from graduated.provision.impact_tables import Line, section
from graduated.provision.models import InterventionGroup


class PeriodForm(forms.Form):
    """Which runs to show: an academic year and a term, or all of them."""

    year = forms.TypedChoiceField(
        label="Academic year", coerce=int, empty_value=None, required=False,
        error_messages={"invalid_choice": "Choose an academic year from the list"},
    )  # fmt: skip
    term = forms.ChoiceField(
        label="Term", required=False, choices=[("", "All terms"), *((s.value, s.label) for s in SEASON_ORDER)],
        error_messages={"invalid_choice": "Choose autumn, spring or summer, or all terms"},
    )  # fmt: skip

    def __init__(self, data: Any, years: Sequence[int]) -> None:
        super().__init__(data)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", "All years"), *((year, academic_year_label(year)) for year in years)]


def _period(
    request: HttpRequest, groups: QuerySet[InterventionGroup]
) -> tuple[PeriodForm, QuerySet[InterventionGroup] | None]:
    """The filter form and the groups it picks; groups None when the filter is not valid."""
    form = PeriodForm(request.GET or None, selectors.years_run(groups))
    if not form.is_bound:
        return form, groups
    if not form.is_valid():
        return form, None
    return form, selectors.in_period(groups, form.cleaned_data["year"], form.cleaned_data["term"])


def _pages(request: HttpRequest, template: str, context: dict[str, Any], form: PeriodForm) -> HttpResponse:
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, template, {**context, "form": form, "caution": CAUTION}, status=status)


# One group --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PupilLine:
    name: str
    entry: str
    exit: str
    change: str
    ratio_gain: str
    attendance: str


def _pupil_lines(run: Run) -> list[PupilLine]:
    measure = run.measure
    higher = measure.higher_is_better if measure else True
    lines = []
    for row in run.pupils:
        scores = row.result.scores
        moved, gain = change(scores, higher), ratio_gain(scores, higher)
        lines.append(
            PupilLine(
                name=row.name,
                entry=fixed(scores.entry, 1) if scores.entry is not None else "No entry score",
                exit=fixed(scores.exit, 1) if scores.exit is not None else "No exit score yet",
                change=signed_fixed(moved, 1) if moved is not None else "Not known",
                ratio_gain=fixed(gain, 1) if gain is not None else "Not known",
                attendance=row.result.attendance.text,
            )
        )
    return lines


@require_GET
def group_impact(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_for_impact(group_id)
    if group is None:
        raise Http404("No such group.")
    setting_access = access.get_setting_for_user(request.user, group.setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    [run] = selectors.load_runs(selectors.setting_groups(setting).filter(pk=group.pk))
    chart = entry_exit_chart(
        "entry-exit",
        [(row.name, row.result.scores.entry, row.result.scores.exit) for row in run.pupils],
        run.measure.unit_word if run.measure else "",
    )
    # The page names the group's pupils with their scores: one audited view of pupil data.
    record(
        setting_access.actor, AuditAction.VIEW, obj=run.group,
        description=f"Impact of {run.group.name}: {len(run.pupils)} pupils",
    )  # fmt: skip
    context = {
        "setting": setting, "run": run, "impact": run.impact, "pupil_lines": _pupil_lines(run), "chart": chart,
        "caution": CAUTION,
    }  # fmt: skip
    return render(request, "provision/impact_group.html", context)


# A setting's runs ------------------------------------------------------------------------------


@require_GET
def setting_impact(request: HttpRequest, setting_id: int) -> HttpResponse:
    setting_access = access.get_setting_for_user(request.user, setting_id, O.VIEW_REGISTER)
    setting = setting_access.setting
    form, groups = _period(request, selectors.setting_groups(setting))
    # The tallies worked out ahead: a setting's runs over the years have hundreds of thousands of records.
    runs = selectors.summarised_runs(groups) if groups is not None else []
    by_item: dict[int, list[Run]] = defaultdict(list)
    for run in runs:
        by_item[run.group.catalogue_item_id].append(run)
    sections = []
    for item_runs in sorted(by_item.values(), key=lambda rs: (rs[0].group.catalogue_item.name.lower(), rs[0].group.pk)):
        item_runs.sort(key=lambda run: (run.term, run.group.name.lower(), run.group.pk))
        lines = [_run_line(run) for run in item_runs]
        if len(item_runs) > 1:
            lines.append(Line("All terms shown", "All runs together", selectors.pooled(item_runs)))
        item = item_runs[0].group.catalogue_item
        sections.append(section(str(item.pk), item.name, lines))
    context = {"setting": setting, "sections": sections, "name_header": "Group"}
    return _pages(request, "provision/impact_setting.html", context, form)


def _run_line(run: Run) -> Line:
    url = reverse("provision:group_impact", args=[run.group.pk])
    return Line(run.term.label, run.group.name, run.impact, url=url)


# An LA's shared interventions -------------------------------------------------------------------


@require_GET
def la_impact(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.VIEW_LA_FIGURES)
    la = la_access.la
    shared = selectors.la_shared_items(la)
    form, groups = _period(request, selectors.la_groups(la, shared))
    sections, still_to_do = [], 0
    if groups is not None:
        period = (form.cleaned_data["year"], form.cleaned_data["term"]) if form.is_bound else (None, "")
        try:
            # The figures worked out ahead, checked against the groups (impact_la.py): no register read.
            sections = impact_la.la_sections(la.pk, shared, groups, period)
        except impact_la.StillWorkingOut as working:
            still_to_do = working.remaining
    context = {"la": la, "sections": sections, "name_header": "Setting", "shared": shared, "still_to_do": still_to_do}
    return _pages(request, "provision/impact_la.html", context, form)
