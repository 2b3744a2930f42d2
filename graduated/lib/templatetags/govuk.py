"""GOV.UK Design System markup for Django forms. A builtin tag library: no ``{% load %}`` needed.

    {% govuk_field form.name %}
    {% govuk_field form.name label_size="l" is_page_heading=True classes="govuk-input--width-10" %}
    {% govuk_field form.choice hint="Select one" small=True inline=True %}
    {% error_summary form %}  {% error_summary form other_form formset %}

``govuk_field`` picks the component from the field's widget: text-like inputs, textarea, select,
file upload, radios, checkboxes, a single checkbox and ``GovukDateWidget``. A hidden field is
drawn as Django draws it. ``classes`` goes on the input (or on the radios, checkboxes or date
input container). A hint is escaped like any other text: pass ``format_html`` output for markup.
"""

from typing import Any

from django import forms, template
from django.forms import BoundField
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from graduated.lib.forms import GovukDateWidget, parts_in_error

register = template.Library()

LABEL_SIZES = ("", "s", "m", "l", "xl")

# Django's ModelChoiceField and model choices offer this as an empty first choice: it makes sense
# in a select but not as a radio button.
BLANK_CHOICE_LABEL = "---------"


def _join(*parts: str) -> str:
    """Space-separated, without repeats or blanks: for class lists and aria-describedby."""
    seen: list[str] = []
    for part in parts:
        for word in part.split():
            if word not in seen:
                seen.append(word)
    return " ".join(seen)


def _field_id(field: BoundField) -> str:
    return str(field.field.widget.attrs.get("id") or field.auto_id or "")


def _choice_items(field: BoundField) -> list[dict[str, Any]]:
    items = []
    for option in field.subwidgets:
        data = option.data
        if str(data["value"]) == "" and str(data["label"]) == BLANK_CHOICE_LABEL:
            continue
        items.append(
            {
                "id": data["attrs"].get("id", ""),
                "value": data["value"],
                "label": data["label"],
                "checked": data["selected"],
            }
        )
    return items


def _date_error_parts(field: BoundField) -> tuple[int, ...]:
    errors = field.errors.as_data()
    if not errors:
        return ()
    return parts_in_error(errors[0].code)


def _anchor(field: BoundField) -> str:
    """The id of the input an error summary link should take the person to."""
    widget = field.field.widget
    field_id = _field_id(field)
    if isinstance(widget, GovukDateWidget):
        return f"{field_id}_{min(_date_error_parts(field) or (0,))}"
    if isinstance(widget, forms.RadioSelect):  # checkboxes too: CheckboxSelectMultiple is one
        items = _choice_items(field)
        return str(items[0]["id"]) if items else f"{field_id}_0"
    if isinstance(widget, forms.MultiWidget):
        return f"{field_id}_0"
    return field_id


def _render_widget(field: BoundField, classes: str, describedby: str) -> SafeString:
    """The field's own widget, as ``BoundField.as_widget`` draws it, with our classes and ids."""
    widget = field.field.widget
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    attrs.pop("aria-describedby", None)  # Django's ids are not ours
    if describedby:
        attrs["aria-describedby"] = describedby
    attrs["class"] = _join(str(widget.attrs.get("class", "")), classes)
    if isinstance(widget, forms.EmailInput | forms.PasswordInput):
        attrs.setdefault("spellcheck", widget.attrs.get("spellcheck", "false"))
    if field.auto_id and "id" not in widget.attrs:
        attrs["id"] = field.auto_id
    if _is_plain_select(widget):
        return _render_select(widget, field.html_name, field.value(), attrs)
    return widget.render(field.html_name, field.value(), attrs, field.form.renderer)


def _is_plain_select(widget: forms.Widget) -> bool:
    """A select drawn by Django's own templates, which ours can draw in its place."""
    return (
        isinstance(widget, forms.Select)
        and not widget.allow_multiple_selected
        and widget.template_name == forms.Select.template_name
        and widget.option_template_name == forms.Select.option_template_name
    )


def _attributes(attrs: dict[str, Any]) -> str:
    """As Django's widgets/attrs.html: False left out, True as the bare name, values escaped."""
    shown = ((name, value) for name, value in attrs.items() if value is not False)
    return "".join(f" {name}" if value is True else f' {name}="{escape(value)}"' for name, value in shown)


def _render_select(widget: forms.Select, name: str, value: Any, attrs: dict[str, Any]) -> SafeString:
    """The markup Django's select and option templates give, built here: a select of an LA's 300
    settings took the template engine tens of milliseconds, one included template per option."""
    context = widget.get_context(name, value, attrs)["widget"]
    parts = [f'<select name="{escape(name)}"{_attributes(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{escape(group_name)}">')
        for option in options:
            value, label = escape(option["value"]), escape(option["label"])
            parts.append(f'<option value="{value}"{_attributes(option["attrs"])}>{label}</option>')
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # every value above is escaped


def _input_classes(widget: forms.Widget, has_errors: bool) -> str:
    if isinstance(widget, forms.Textarea):
        block = "govuk-textarea"
    elif isinstance(widget, forms.Select):
        block = "govuk-select"
    elif isinstance(widget, forms.FileInput):
        block = "govuk-file-upload"
    else:
        block = "govuk-input"
    return f"{block} {block}--error" if has_errors else block


@register.simple_tag
def govuk_field(
    field: BoundField,
    *,
    label_size: str = "",
    is_page_heading: bool = False,
    classes: str = "",
    hint: str | None = None,
    small: bool = False,
    inline: bool = False,
) -> SafeString:
    if not isinstance(field, BoundField):
        raise template.TemplateSyntaxError(f"govuk_field needs a form field, not {field!r}")
    if label_size not in LABEL_SIZES:
        raise template.TemplateSyntaxError(f"govuk_field's label_size must be one of {LABEL_SIZES}, not {label_size!r}")
    widget = field.field.widget
    if widget.is_hidden:
        return field.as_widget()

    field_id = _field_id(field)
    hint_text = field.help_text if hint is None else hint
    errors = list(field.errors)
    context: dict[str, Any] = {
        "id": field_id,
        "name": field.html_name,
        "label": field.label if field.field.required else f"{field.label} (optional)",
        "label_size": label_size or ("l" if is_page_heading else ""),
        "is_page_heading": is_page_heading,
        "hint": hint_text,
        "hint_id": f"{field_id}-hint",
        "errors": errors,
        "error_id": f"{field_id}-error",
        "classes": classes,
        "disabled": field.field.disabled,
    }
    describedby = _join(
        str(widget.attrs.get("aria-describedby", "")),
        context["hint_id"] if hint_text else "",
        context["error_id"] if errors else "",
    )

    if isinstance(widget, forms.CheckboxInput):
        context["label"] = field.label  # one box to tick is never marked "(optional)"
        context["small"] = small
        context["control"] = _render_widget(field, "govuk-checkboxes__input", describedby)
        return render_to_string("govuk/checkbox.html", context)

    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
        kind = "checkboxes" if isinstance(widget, forms.CheckboxSelectMultiple) else "radios"
        modifiers = [name for name, wanted in (("small", small), ("inline", inline)) if wanted]
        context.update(
            kind=kind,
            input_type="checkbox" if kind == "checkboxes" else "radio",
            items=_choice_items(field),
            container_classes=_join(f"govuk-{kind}", *(f"govuk-{kind}--{m}" for m in modifiers), classes),
        )
        context["control"] = render_to_string("govuk/choices.html", context)
        return render_to_string("govuk/fieldset.html", {**context, "describedby": describedby})

    if isinstance(widget, GovukDateWidget):
        attrs = field.build_widget_attrs({}, widget)
        if field.auto_id and "id" not in widget.attrs:
            attrs["id"] = field.auto_id
        context["control"] = widget.render_date_input(
            field.html_name,
            field.value(),
            attrs,
            field.form.renderer,
            error_parts=_date_error_parts(field),
            classes=classes,
        )
        context["is_group"] = True
        return render_to_string("govuk/fieldset.html", {**context, "describedby": describedby})

    input_classes = _join(_input_classes(widget, bool(errors)), classes)
    context["control"] = _render_widget(field, input_classes, describedby)
    return render_to_string("govuk/field.html", context)


def _errors_of(form: Any) -> list[dict[str, str]]:
    if isinstance(form, BaseFormSet):
        if not form.is_bound:
            return []
        items = [{"message": str(message), "href": ""} for message in form.non_form_errors()]
        for member in form.forms:
            items.extend(_errors_of(member))
        return items
    if not isinstance(form, forms.BaseForm):
        raise template.TemplateSyntaxError(f"error_summary needs forms, not {form!r}")
    if not form.is_bound or not form.errors:
        return []
    items = [{"message": str(message), "href": ""} for message in form.non_field_errors()]
    for field in form:
        href = "" if field.is_hidden else f"#{_anchor(field)}"
        items.extend({"message": str(message), "href": href} for message in field.errors)
    return items


@register.simple_tag
def error_summary(*forms_to_check: Any) -> SafeString:
    """The error summary for one or more forms or formsets; nothing if none has an error.

    ``None`` is skipped, so a template can name a form that a view sometimes leaves out.
    """
    errors: list[dict[str, str]] = []
    for form in forms_to_check:
        if form is not None:
            errors.extend(_errors_of(form))
    if not errors:
        return SafeString("")
    return render_to_string("govuk/error_summary.html", {"errors": errors})
