"""The security log's search form."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from graduated.audit.models import SecurityEvent, SecurityEventKind
from graduated.lib.forms import GovukDateField


class SecurityEventSearchForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of event", choices=[("", "Any"), *SecurityEventKind.choices], required=False)
    email = forms.CharField(label="E-mail address (or part of it)", max_length=254, required=False)
    ip_address = forms.GenericIPAddressField(label="IP address", required=False)
    occurred_from = GovukDateField(label="From", required=False, help_text="For example, 1 9 2026")
    occurred_to = GovukDateField(label="To", required=False, help_text="For example, 30 9 2026")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error("occurred_to", "The “to” date must be the same as or after the “from” date")
        return cleaned

    def filter(self, events: QuerySet[SecurityEvent]) -> QuerySet[SecurityEvent]:
        """``events`` narrowed by the valid filters (call after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("email"):
            events = events.filter(email__icontains=data["email"].strip())
        if data.get("ip_address"):
            events = events.filter(ip_address=data["ip_address"])
        # Whole days in the service's time zone: "to 30 September" includes that day.
        if data.get("occurred_from"):
            events = events.filter(occurred_at__gte=_start_of(data["occurred_from"]))
        if data.get("occurred_to"):
            events = events.filter(occurred_at__lt=_start_of(data["occurred_to"] + timedelta(days=1)))
        return events


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
