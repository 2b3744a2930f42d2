"""Form pieces in the GOV.UK Design System's style: a day, month and year date input.

``GovukDateField`` takes what a person typed in the three boxes and either returns a ``date`` or
raises a ``ValidationError`` whose message says exactly what to fix, in the Design System's words
("Date of birth must include a month"). Its error ``code`` also says which boxes to highlight:
``parts_in_error(code)``. Nothing a person types raises anything else.

``show_refusal(form, error)`` sends a form back with a service's refusal (lib/errors.py).
"""

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import BaseRenderer
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from graduated.lib.errors import ServiceError
from graduated.lib.versioning import StaleEditError

PARTS = ("day", "month", "year")
ALL_PARTS = (0, 1, 2)

# ASCII digits only: int() would also accept other scripts' digits and underscores.
_DIGITS = re.compile(r"[0-9]+")

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# People may type a month's name, in full or shortened ("Jan", "Sept").
_MONTHS_BY_NAME = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

DateBound = date | Callable[[], date] | None


def parts_in_error(code: str | None) -> tuple[int, ...]:
    """Which boxes (0 day, 1 month, 2 year) a ``GovukDateField`` error code is about.

    ``missing_day_month`` and ``invalid_year`` name their boxes; any other code is about the
    whole date.
    """
    if code == "year_length":
        return (2,)
    kind, _, names = (code or "").partition("_")
    if kind in ("missing", "invalid"):
        indexes = tuple(PARTS.index(name) for name in names.split("_") if name in PARTS)
        if indexes:
            return indexes
    return ALL_PARTS


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes named ``<name>_0``, ``<name>_1`` and ``<name>_2``: day, month and year.

    ``autocomplete="bday"`` gives the boxes ``bday-day``, ``bday-month`` and ``bday-year``, for a
    person's own date of birth.
    """

    template_name = "govuk/date_input.html"
    part_labels = ("Day", "Month", "Year")
    part_widths = (2, 2, 4)

    def __init__(self, attrs: dict[str, Any] | None = None, autocomplete: str = "") -> None:
        widgets = []
        for part, width in zip(PARTS, self.part_widths, strict=True):
            part_attrs = {
                "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                "inputmode": "numeric",
            }
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            widgets.append(forms.TextInput(attrs=part_attrs))
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[str | None]:
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        return self.render_date_input(name, value, attrs, renderer)

    def render_date_input(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None,
        renderer: BaseRenderer | None,
        error_parts: Sequence[int] = (),
        classes: str = "",
    ) -> SafeString:
        """The GOV.UK date input, with the boxes in ``error_parts`` marked as wrong.

        Each box is drawn by its own widget through the form renderer; the surrounding markup
        comes from the project's templates.
        """
        context = self.get_context(name, value, attrs)["widget"]
        items = []
        for index, (part, widget, label) in enumerate(
            zip(context["subwidgets"], self.widgets, self.part_labels, strict=True)
        ):
            part_attrs = dict(part["attrs"])
            # The fieldset around the boxes carries the description; each box says only
            # whether it is itself wrong.
            part_attrs.pop("aria-describedby", None)
            part_attrs.pop("aria-invalid", None)
            if index in error_parts:
                part_attrs["class"] = f"{part_attrs.get('class', '')} govuk-input--error".strip()
                part_attrs["aria-invalid"] = "true"
            items.append(
                {
                    "id": part_attrs.get("id", ""),
                    "label": label,
                    "input": widget.render(part["name"], part["value"], part_attrs, renderer),
                }
            )
        return render_to_string(
            self.template_name,
            {"id": context["attrs"].get("id", ""), "items": items, "classes": classes},
        )


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, checked with the GOV.UK Design System's messages.

    ``min_date`` and ``max_date`` are dates, or callables returning one (so "today" is worked out
    when the form is checked, not when the server started).
    """

    widget = GovukDateWidget

    def __init__(self, *, min_date: DateBound = None, max_date: DateBound = None, **kwargs: Any) -> None:
        self.min_date = min_date
        self.max_date = max_date
        self.custom_required_message = "required" in (kwargs.get("error_messages") or {})
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(parts, require_all_fields=False, **kwargs)

    # -- Messages ---------------------------------------------------------------------------------

    @property
    def _subject(self) -> str:
        """The label as the start of a sentence: "Date of birth must …"."""
        label = str(self.label or "Date").strip() or "Date"
        return label[0].upper() + label[1:]

    @property
    def _object(self) -> str:
        """The label within a sentence: "Enter the date of birth"."""
        label = self._subject
        # Keep capitals that start an acronym ("EHC plan date") or a name.
        if len(label) == 1 or not label[1].isupper():
            label = label[0].lower() + label[1:]
        if label.startswith(("your ", "the ")):
            return label
        return f"the {label}"

    def _error(self, message: str, code: str) -> ValidationError:
        return ValidationError(message, code=code)

    # -- Cleaning ---------------------------------------------------------------------------------

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list:
            return None
        return self._parse(data_list)

    def clean(self, value: Any) -> date | None:
        if isinstance(value, date):  # a disabled field's initial value
            result: date | None = value
        elif value is None or isinstance(value, list | tuple):
            result = self._parse(list(value or []))
        else:
            raise self._error(f"{self._subject} must be a real date", "invalid_date")
        if result is not None:
            self._check_bounds(result)
        self.validate(result)
        self.run_validators(result)
        return result

    def _parse(self, value: list[Any]) -> date | None:
        texts = [str(value[i]).strip() if i < len(value) and value[i] is not None else "" for i in ALL_PARTS]
        if not any(texts):
            if self.required:
                if self.custom_required_message:
                    raise self._error(str(self.error_messages["required"]), "required")
                raise self._error(f"Enter {self._object}", "required")
            return None

        missing = [PARTS[i] for i in ALL_PARTS if not texts[i]]
        if missing:
            raise self._error(
                f"{self._subject} must include a {' and '.join(missing)}",
                "missing_" + "_".join(missing),
            )

        day_text, month_text, year_text = texts
        day = _small_number(day_text)
        month = _small_number(month_text) or _MONTHS_BY_NAME.get(month_text.lower())
        year_is_number = _DIGITS.fullmatch(year_text) is not None
        invalid = []
        if day is None or not 1 <= day <= 31:
            invalid.append("day")
        if month is None or not 1 <= month <= 12:
            invalid.append("month")
        if not year_is_number or (len(year_text) == 4 and int(year_text) == 0):
            invalid.append("year")
        if invalid:
            raise self._error(f"{self._subject} must be a real date", "invalid_" + "_".join(invalid))
        if len(year_text) != 4:
            raise self._error("Year must include 4 numbers", "year_length")

        assert day is not None and month is not None
        try:
            return date(int(year_text), month, day)
        except ValueError:  # 31 February and the like
            raise self._error(f"{self._subject} must be a real date", "invalid_date") from None

    def _check_bounds(self, value: date) -> None:
        today = timezone.localdate()
        latest = _resolve(self.max_date)
        if latest is not None and value > latest:
            if latest == today:
                ending = "must be today or in the past"
            elif latest == today - timedelta(days=1):
                ending = "must be in the past"
            else:
                ending = f"must be the same as or before {_long_date(latest)}"
            raise self._error(f"{self._subject} {ending}", "after_max_date")
        earliest = _resolve(self.min_date)
        if earliest is not None and value < earliest:
            if earliest == today:
                ending = "must be today or in the future"
            elif earliest == today + timedelta(days=1):
                ending = "must be in the future"
            else:
                ending = f"must be the same as or after {_long_date(earliest)}"
            raise self._error(f"{self._subject} {ending}", "before_min_date")


def _small_number(text: str) -> int | None:
    """A day or month typed as one or two digits ("7", "07"), or None."""
    if len(text) <= 2 and _DIGITS.fullmatch(text):
        return int(text)
    return None


def _resolve(bound: DateBound) -> date | None:
    return bound() if callable(bound) else bound


def _long_date(value: date) -> str:
    """The GOV.UK style for a date in a sentence: 4 June 2017."""
    return f"{value.day} {_MONTH_NAMES[value.month - 1].capitalize()} {value.year}"


def show_refusal(form: forms.BaseForm, error: ServiceError, *, version_field: str | None = "version") -> bool:
    """Put a service's refusal at the top of ``form``, the form the person sent, for the page that
    answers with a 4xx. Returns whether the refusal was a stale edit.

    After a stale edit the form keeps what the person typed but now names the saved version, so
    that saving again, once they have seen what is saved now, is their decision. Pass
    ``version_field=None`` where the page does not show what is saved now (the person reloads), or
    where the form carries a version for each of several rows and the view sets them itself.
    """
    if isinstance(error, StaleEditError) and version_field is not None and error.saved_version is not None:
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict (or a dict) bound to the form
        data[form.add_prefix(version_field)] = str(error.saved_version)
        form.data = data
        form.full_clean()
    form.add_error(None, error.message)
    return isinstance(error, StaleEditError)
