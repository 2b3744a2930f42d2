"""An LA's school term dates: the LA admin records each academic year's half terms, and costs count
teaching weeks by them (terms.py). Who: MANAGE_PROVISION_CATALOGUE in the LA (its admins), as for
the tier names; anyone else gets 404."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from graduated import access
from graduated.access import OrganisationPermission as O
from graduated.lib.forms import show_refusal
from graduated.lib.versioning import StaleEditError
from graduated.organisations.models import LocalAuthority
from graduated.provision.models import HalfTerm, TermBlock
from graduated.provision.term_forms import TermDatesForm, YearError, read_year
from graduated.provision.term_services import save_term_dates, stored_term_dates
from graduated.provision.terms import DAYS_A_WEEK, NO_TERM_DATES, TermCalendar, term_calendars, year_label
from graduated.pupils.year_groups import academic_year_start


def _years(la: LocalAuthority, current: int) -> list[dict[str, Any]]:
    """Last year, this year, next year and any other year recorded, with the teaching weeks of each: 1 query."""
    calendar: TermCalendar = term_calendars([la.pk]).get(la.pk, NO_TERM_DATES)
    rows = []
    for year in sorted({current - 1, current, current + 1} | calendar.years):
        days = calendar.teaching_days(year) if calendar.covers(year) else None
        rows.append({
            "year": year, "label": year_label(year), "recorded": days is not None, "days": days,
            "weeks": f"{days / DAYS_A_WEEK:.1f}" if days is not None else "",
        })  # fmt: skip
    return rows


def _saved_now(stored: list[TermBlock]) -> list[tuple[str, str]]:
    by_code = {block.half_term: block for block in stored}
    return [
        (
            str(half_term.label),
            f"{by_code[half_term].starts_on:%-d %B %Y} to {by_code[half_term].ends_on:%-d %B %Y}"
            if half_term in by_code
            else "Not recorded",
        )
        for half_term in HalfTerm
    ]


@require_http_methods(["GET", "POST"])
def term_dates(request: HttpRequest, la_id: int) -> HttpResponse:
    la_access = access.get_la_for_user(request.user, la_id, O.MANAGE_PROVISION_CATALOGUE)
    la = la_access.la
    current = academic_year_start(timezone.localdate())
    context: dict[str, Any] = {"la": la, "current": current}
    data = request.POST if request.method == "POST" else None
    try:
        year = read_year((data or request.GET).get("year"), current)
    except YearError as error:
        context |= {"year_error": error.message, "years": _years(la, current)}
        return render(request, "provision/term_dates.html", context, status=400)
    saved, stored = stored_term_dates(la, year)
    form = TermDatesForm(data, year_starting=year, stored=stored, version=saved.version if saved else 0)
    status = 200
    if data is not None:
        status = 400
        if form.is_valid():
            try:
                changed = save_term_dates(
                    actor=la_access.actor, local_authority=la, year_starting=year, blocks=form.blocks(),
                    expected_version=form.cleaned_data["version"] or 0,
                )  # fmt: skip
            except StaleEditError as error:
                # The typing is kept, against the version saved now, with what is saved shown beside it.
                saved, stored = stored_term_dates(la, year)
                fresh = data.copy()
                fresh["version"] = str(saved.version if saved else 0)
                form = TermDatesForm(fresh, year_starting=year, stored=stored, version=saved.version if saved else 0)
                form.is_valid()
                show_refusal(form, error, version_field=None)
                context["saved_now"] = _saved_now(stored)
                status = 409
            else:
                label = year_label(year)
                messages.success(
                    request, f"The term dates for {label} have been saved." if changed else "Nothing was changed."
                )
                return redirect(f"{reverse('provision:term_dates', args=[la.pk])}?year={year}")
    context |= {"year": year, "year_label": year_label(year), "form": form, "years": _years(la, current)}
    return render(request, "provision/term_dates.html", context, status=status)
