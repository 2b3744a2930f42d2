"""No form's error message carries a stray "%".

Django %-formats a message raised with parameters (min_value, max_digits, invalid_choice, ...), so
"Attendance (%) must be ..." was a 500 instead of the message."""

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator

from django import forms

import graduated

# "%(name)s" is a placeholder Django fills in; "%%" is a literal per cent sign after formatting.
_STRAY_PERCENT = re.compile(r"%(?!\(\w+\)[sdr]|%)")


def _form_modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(graduated.__path__, "graduated."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" not in module.name and (last == "forms" or last.endswith("_forms")):
            yield module.name


def _messages(form_class: type[forms.BaseForm]) -> Iterator[tuple[str, str]]:
    for name, field in form_class.base_fields.items():  # type: ignore[attr-defined]
        for code, message in field.error_messages.items():
            yield f"{name}.{code}", str(message)
        for validator in field.validators:
            if message := getattr(validator, "message", None):
                yield f"{name}.{type(validator).__name__}", str(message)


def test_the_form_modules_are_found() -> None:
    assert {"graduated.lib.forms", "graduated.assessment_requests.forms"} <= set(_form_modules())


def test_no_form_message_has_a_stray_percent_sign() -> None:
    stray = []
    for module_name in _form_modules():
        module = importlib.import_module(module_name)
        for _, form_class in inspect.getmembers(module, inspect.isclass):
            if issubclass(form_class, forms.BaseForm) and form_class.__module__ == module_name:
                stray += [
                    f"{module_name}.{form_class.__name__}.{where}: {message}"
                    for where, message in _messages(form_class)
                    if _STRAY_PERCENT.search(message)
                ]
    assert stray == []


def test_the_check_would_catch_the_old_attendance_message() -> None:
    assert _STRAY_PERCENT.search("Enter the attendance this school year (%) as a number from 0 to 100")
    assert not _STRAY_PERCENT.search("Ensure this value is less than or equal to %(limit_value)s.")
