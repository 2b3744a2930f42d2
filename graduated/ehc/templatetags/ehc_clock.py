"""Template filters that read a case's deadlines against today (the view passes ``today``)."""

from datetime import date

from django import template

from graduated.ehc.selectors import InboxRow
from graduated.ehc.timeline import Deadline, Timeline
from graduated.statutory import clock

register = template.Library()


@register.filter
def state(deadline: Deadline, today: date) -> str:
    """Met, late, an exception applies, or the days left, in words."""
    return deadline.state(today)


@register.filter
def rag(deadline: Deadline, today: date) -> str:
    return deadline.rag(today).value


@register.filter
def overdue_advice(timeline: Timeline, today: date) -> int:
    return timeline.overdue_advice(today)


@register.filter
def days_left(row: InboxRow, today: date) -> str:
    if row.deadline.excused:
        return "As soon as practicable"
    left = row.days_left(today)
    if left < 0:
        return f"{-left} overdue"
    return str(left)


@register.filter
def days_to(deadline: date, today: date) -> str:
    left = clock.days_left(deadline, today)
    return f"{-left} overdue" if left < 0 else str(left)


@register.filter
def rag_of(deadline: date, today: date) -> str:
    return clock.rag_status(deadline, today).value
