"""Filters for the pupils' pages: small pieces drawn in Python because a page draws them per pupil."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django import template
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from graduated.pupils.models import Need

register = template.Library()

_TAGS = {
    "E": '<strong class="govuk-tag govuk-tag--purple">EHC plan</strong>',
    "K": '<strong class="govuk-tag govuk-tag--blue">SEN support</strong>',
    "N": '<strong class="govuk-tag govuk-tag--grey">No SEN</strong>',
}
_NOT_RECORDED = '<strong class="govuk-tag govuk-tag--grey">Not recorded</strong>'


@register.filter
def sen_status_tag(status: object) -> SafeString:
    """The tag for a census SEN provision code (pupils/_status_tag.html): the register draws one
    per row, and an ``{% include %}`` per row cost it more than the rest of the row."""
    if not status:
        return mark_safe(_NOT_RECORDED)  # a constant
    known = _TAGS.get(str(status))
    if known is not None:
        return mark_safe(known)  # a constant
    return mark_safe(f'<strong class="govuk-tag govuk-tag--grey">{escape(status)}</strong>')  # escaped


@register.filter
def needs_abbreviated(needs: "Sequence[Need]") -> SafeString:
    """A pupil's current needs as census codes, each with its name as the abbreviation's title and
    the primary one marked: the register's needs column, one per row."""
    if not needs:
        return mark_safe("None recorded")  # a constant
    parts = []
    for need in needs:
        primary = " (primary)" if need.rank == 1 else ""
        title, code = escape(need.get_sen_type_display()), escape(need.sen_type)
        parts.append(f'<abbr title="{title}">{code}</abbr>{primary}')
    return mark_safe(", ".join(parts))  # every text above is escaped


def _day_month_year(value: date) -> str:
    # What dateformat draws for "j M Y", month names translated as there (MONTHS_3, title case).
    return f"{value.day} {str(MONTHS_3[value.month]).title()} {value.year:04d}"


@register.filter(expects_localtime=True, is_safe=False)
def short_date(value: date | None) -> str:
    """``|date:"j M Y"`` for the lists that show a date on every row (the chronology): the same
    text, without dateformat's parsing of the format for each value."""
    if value in (None, ""):
        return ""
    return _day_month_year(value)


@register.filter(expects_localtime=True, is_safe=False)
def short_date_time(value: datetime | None) -> str:
    """``|date:"j M Y, H:i"``, as ``short_date``. The value is in local time already (expects_localtime)."""
    if value in (None, ""):
        return ""
    return f"{_day_month_year(value)}, {value.hour:02d}:{value.minute:02d}"
