"""``{{ referral|waiting:today }}``: the referral's waiting time in words."""

from datetime import date

from django import template

from graduated.specialists.models import Referral
from graduated.specialists.selectors import days_label

register = template.Library()


@register.filter
def waiting(referral: Referral, today: date) -> str:
    days = referral.waiting_days(today)
    if days is None:
        return "Not referred yet"
    if referral.is_waiting:
        return f"{days_label(days)} so far"
    return f"{days_label(days)} to be seen"


@register.simple_tag
def status_tag_class(referral: Referral) -> str:
    colours = {
        "not_referred": "grey",
        "waiting": "yellow",
        "accepted": "blue",
        "seen": "purple",
        "report_received": "green",
    }
    return f"govuk-tag--{colours[referral.status]}"
