"""GovukDateField's checking, and the HTML that {% govuk_field %} and {% error_summary %} draw."""

from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from graduated.lib.forms import GovukDateField, GovukDateWidget, parts_in_error

# -- Helpers ------------------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def _attribute_matches(attrs: dict[str, str], key: str, value: str) -> bool:
    key = key.rstrip("_").replace("_", "-")
    if key == "class":
        return value in attrs.get("class", "").split()
    return attrs.get(key) == value


def elements(html: str, tag: str, **wanted: str) -> list[dict[str, str]]:
    """The attributes of each ``tag`` whose attributes include ``wanted`` (``class_`` for class).

    A wanted class is one class among the element's classes.
    """
    parser = _Elements()
    parser.feed(html)
    matches = []
    for name, attrs in parser.found:
        if name != tag:
            continue
        if all(_attribute_matches(attrs, key, value) for key, value in wanted.items()):
            matches.append(attrs)
    return matches


def one(html: str, tag: str, **wanted: str) -> dict[str, str]:
    found = elements(html, tag, **wanted)
    assert len(found) == 1, f"expected one <{tag} {wanted}>, found {len(found)} in:\n{html}"
    return found[0]


def classes(attrs: dict[str, str]) -> set[str]:
    return set(attrs.get("class", "").split())


def render(source: str, **context: Any) -> str:
    return Template(source).render(Context(context))


def today() -> date:
    return timezone.localdate()


def parts_of(value: date) -> list[str]:
    return [str(value.day), str(value.month), str(value.year)]


def clean(value: Any, **kwargs: Any) -> date | None:
    kwargs.setdefault("label", "Date of birth")
    result: date | None = GovukDateField(**kwargs).clean(value)
    return result


def error_of(value: Any, **kwargs: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean(value, **kwargs)
    return caught.value


# -- GovukDateField -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (["27", "3", "2016"], date(2016, 3, 27)),
        (["07", "03", "2016"], date(2016, 3, 7)),
        ([" 1 ", " 9 ", " 2026 "], date(2026, 9, 1)),
        (["29", "2", "2024"], date(2024, 2, 29)),
        (["5", "March", "2020"], date(2020, 3, 5)),
        (["5", "mar", "2020"], date(2020, 3, 5)),
        (["5", "Sept", "2020"], date(2020, 9, 5)),
    ],
)
def test_date_field_accepts_real_dates(parts: list[str], expected: date) -> None:
    assert clean(parts) == expected


def test_date_field_required_and_empty_asks_for_the_date() -> None:
    error = error_of(["", "", ""])
    assert error.messages == ["Enter the date of birth"]
    assert error.code == "required"
    assert error_of(None).messages == ["Enter the date of birth"]


def test_date_field_not_required_and_empty_is_none() -> None:
    assert clean(["", " ", ""], required=False) is None
    assert clean(None, required=False) is None


@pytest.mark.parametrize(
    ("parts", "message", "code"),
    [
        (["", "3", "2016"], "Date of birth must include a day", "missing_day"),
        (["27", "", "2016"], "Date of birth must include a month", "missing_month"),
        (["27", "3", ""], "Date of birth must include a year", "missing_year"),
        (["", "", "2016"], "Date of birth must include a day and month", "missing_day_month"),
        (["27", "", ""], "Date of birth must include a month and year", "missing_month_year"),
        (["", "3", ""], "Date of birth must include a day and year", "missing_day_year"),
    ],
)
def test_date_field_names_the_missing_parts(parts: list[str], message: str, code: str) -> None:
    error = error_of(parts)
    assert error.messages == [message]
    assert error.code == code


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (["31", "2", "2024"], "invalid_date"),
        (["29", "2", "2023"], "invalid_date"),
        (["31", "4", "2024"], "invalid_date"),
        (["32", "1", "2024"], "invalid_day"),
        (["0", "1", "2024"], "invalid_day"),
        (["1", "13", "2024"], "invalid_month"),
        (["1", "Smarch", "2024"], "invalid_month"),
        (["0", "0", "2024"], "invalid_day_month"),
        (["1", "1", "0000"], "invalid_year"),
        (["a", "b", "c"], "invalid_day_month_year"),
        (["1", "1", "20x4"], "invalid_year"),
        (["-1", "1", "2024"], "invalid_day"),
        (["1", "-1", "2024"], "invalid_month"),
        (["1", "1", "-2024"], "invalid_year"),
        (["1.5", "1", "2024"], "invalid_day"),
        (["\u0661", "1", "2024"], "invalid_day"),  # Arabic-Indic 1: int() would take it
        (["9" * 5000, "1", "2024"], "invalid_day"),
    ],
)
def test_date_field_refuses_dates_that_cannot_be_real(parts: list[str], code: str) -> None:
    error = error_of(parts)
    assert error.messages == ["Date of birth must be a real date"]
    assert error.code == code


@pytest.mark.parametrize("year", ["24", "999", "99999", "9" * 5000])
def test_date_field_needs_a_four_digit_year(year: str) -> None:
    error = error_of(["1", "1", year])
    assert error.messages == ["Year must include 4 numbers"]
    assert error.code == "year_length"


def test_date_field_max_date_today() -> None:
    assert clean(parts_of(today()), max_date=today) == today()
    tomorrow = today() + timedelta(days=1)
    error = error_of(parts_of(tomorrow), max_date=today)
    assert error.messages == ["Date of birth must be today or in the past"]


def test_date_field_max_date_yesterday_means_in_the_past() -> None:
    def yesterday() -> date:
        return today() - timedelta(days=1)

    error = error_of(parts_of(today()), max_date=yesterday)
    assert error.messages == ["Date of birth must be in the past"]


def test_date_field_fixed_bounds_name_the_date() -> None:
    error = error_of(["2", "9", "2025"], max_date=date(2025, 9, 1), label="Start date")
    assert error.messages == ["Start date must be the same as or before 1 September 2025"]
    error = error_of(["31", "8", "2025"], min_date=date(2025, 9, 1), label="Start date")
    assert error.messages == ["Start date must be the same as or after 1 September 2025"]
    assert clean(["1", "9", "2025"], min_date=date(2025, 9, 1), max_date=date(2025, 9, 1))


def test_date_field_min_date_today() -> None:
    yesterday = today() - timedelta(days=1)
    error = error_of(parts_of(yesterday), min_date=today)
    assert error.messages == ["Date of birth must be today or in the future"]


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("EHC plan start date", "Enter the EHC plan start date"),
        ("Your date of birth", "Enter your date of birth"),
        ("date the need ended", "Enter the date the need ended"),
    ],
)
def test_date_field_message_uses_the_label(label: str, message: str) -> None:
    assert error_of(["", "", ""], label=label).messages == [message]


def test_date_field_keeps_a_custom_required_message() -> None:
    error = error_of(["", "", ""], error_messages={"required": "Enter when the review happened"})
    assert error.messages == ["Enter when the review happened"]


def test_date_field_runs_extra_validators() -> None:
    def not_a_sunday(value: date) -> None:
        if value.weekday() == 6:
            raise ValidationError("Choose a weekday", code="sunday")

    assert error_of(["7", "9", "2025"], validators=[not_a_sunday]).messages == ["Choose a weekday"]


@given(st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers()), max_size=4))
def test_date_field_only_ever_raises_validation_error(parts: list[Any]) -> None:
    for field in (GovukDateField(label="Date"), GovukDateField(label="Date", required=False)):
        try:
            result = field.clean(parts)
        except ValidationError:
            continue
        assert result is None or isinstance(result, date)


@given(
    st.text(alphabet="0123456789 -+.", max_size=6),
    st.text(alphabet="0123456789 -+.abcjanJAN", max_size=6),
    st.text(alphabet="0123456789 -+.", max_size=8),
)
def test_date_field_numeric_looking_input_never_crashes(day: str, month: str, year: str) -> None:
    try:
        result = GovukDateField(label="Date", max_date=today, min_date=date(1900, 1, 1)).clean([day, month, year])
    except ValidationError as error:
        assert len(error.messages) == 1 and error.messages[0]
    else:
        assert result is not None and date(1900, 1, 1) <= result <= today()


def test_parts_in_error() -> None:
    assert parts_in_error("missing_month") == (1,)
    assert parts_in_error("missing_day_year") == (0, 2)
    assert parts_in_error("invalid_year") == (2,)
    assert parts_in_error("year_length") == (2,)
    assert parts_in_error("invalid_date") == (0, 1, 2)
    assert parts_in_error("required") == (0, 1, 2)
    assert parts_in_error(None) == (0, 1, 2)


def test_date_widget_decompresses_a_date() -> None:
    widget = GovukDateWidget()
    assert widget.decompress(date(2016, 3, 7)) == ["7", "3", "2016"]
    assert widget.decompress(None) == [None, None, None]


# -- Forms used by the render tests --------------------------------------------------------------


class PupilForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As on their birth certificate",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(label="Email address", required=False)
    sex = forms.ChoiceField(
        label="Sex",
        choices=[("", "---------"), ("F", "Female"), ("M", "Male")],
        widget=forms.RadioSelect,
    )
    needs = forms.MultipleChoiceField(
        label="Areas of need",
        choices=[
            ("ci", "Communication and interaction"),
            ("semh", "Social, emotional and mental health"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    authority = forms.ChoiceField(label="Home local authority", choices=[("", "Choose"), ("n", "Northshire")])
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2016")
    agree = forms.BooleanField(label="I have checked these details")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("full_name") == "Duplicate":
            raise ValidationError("A pupil with these details is already on the register")
        return cleaned


VALID = {
    "full_name": "Priya One",
    "sex": "F",
    "needs": ["ci"],
    "authority": "n",
    "date_of_birth_0": "14",
    "date_of_birth_1": "3",
    "date_of_birth_2": "2016",
    "agree": "on",
}


def field_html(data: dict[str, Any] | None, name: str, **options: Any) -> str:
    form = PupilForm(data)
    arguments = " ".join(f"{key}=opt_{key}" for key in options)
    context = {f"opt_{key}": value for key, value in options.items()}
    return render(f"{{% govuk_field form.{name} {arguments} %}}", form=form, **context)


# -- {% govuk_field %} ----------------------------------------------------------------------------


def test_text_input_without_errors() -> None:
    html = field_html(None, "full_name")
    group = one(html, "div", class_="govuk-form-group")
    assert "govuk-form-group--error" not in classes(group)
    assert one(html, "label", for_="id_full_name")["class"] == "govuk-label"
    assert one(html, "div", class_="govuk-hint")["id"] == "id_full_name-hint"
    field = one(html, "input", id="id_full_name")
    assert classes(field) == {"govuk-input"}
    assert field["autocomplete"] == "name"
    assert field["aria-describedby"] == "id_full_name-hint"
    assert not elements(html, "p", class_="govuk-error-message")
    assert "As on their birth certificate" in html
    assert "(optional)" not in html


def test_text_input_with_an_error() -> None:
    html = field_html({**VALID, "full_name": ""}, "full_name")
    assert "govuk-form-group--error" in classes(one(html, "div", class_="govuk-form-group"))
    message = one(html, "p", class_="govuk-error-message")
    assert message["id"] == "id_full_name-error"
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    field = one(html, "input", id="id_full_name")
    assert classes(field) == {"govuk-input", "govuk-input--error"}
    assert field["aria-describedby"] == "id_full_name-hint id_full_name-error"


def test_optional_field_says_so_and_email_is_not_spellchecked() -> None:
    html = field_html(None, "email")
    assert ">Email address (optional)</label>" in html
    field = one(html, "input", id="id_email")
    assert field["type"] == "email"
    assert field["spellcheck"] == "false"
    assert "aria-describedby" not in field


def test_label_size_page_heading_classes_and_hint_options() -> None:
    html = field_html(
        None,
        "full_name",
        is_page_heading=True,
        classes="govuk-input--width-20",
        hint="Their legal name",
    )
    heading = '<h1 class="govuk-label-wrapper"><label class="govuk-label govuk-label--l" for='
    assert heading + '"id_full_name">' in html
    assert classes(one(html, "input", id="id_full_name")) == {
        "govuk-input",
        "govuk-input--width-20",
    }
    assert "Their legal name" in html
    assert "birth certificate" not in html
    html = field_html(None, "full_name", label_size="s", hint="")
    assert one(html, "label", for_="id_full_name")["class"] == "govuk-label govuk-label--s"
    assert not elements(html, "div", class_="govuk-hint")
    assert "aria-describedby" not in one(html, "input", id="id_full_name")


def test_unknown_label_size_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        field_html(None, "full_name", label_size="huge")


def test_govuk_field_refuses_something_that_is_not_a_field() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% govuk_field form.no_such_field %}", form=PupilForm())


def test_textarea_and_select_error_classes() -> None:
    data = {**VALID, "authority": ""}
    assert classes(one(field_html(data, "notes"), "textarea")) == {"govuk-textarea"}
    select = one(field_html(data, "authority"), "select")
    assert classes(select) == {"govuk-select", "govuk-select--error"}
    assert select["aria-describedby"] == "id_authority-error"


def test_radios_in_a_fieldset() -> None:
    html = field_html({**VALID, "sex": ""}, "sex", label_size="m", small=True)
    fieldset = one(html, "fieldset", class_="govuk-fieldset")
    assert fieldset["aria-describedby"] == "id_sex-error"
    assert "role" not in fieldset
    assert classes(one(html, "legend")) == {"govuk-fieldset__legend", "govuk-fieldset__legend--m"}
    radios = one(html, "div", class_="govuk-radios")
    assert classes(radios) == {"govuk-radios", "govuk-radios--small"}
    assert radios["data-module"] == "govuk-radios"
    inputs = elements(html, "input", class_="govuk-radios__input")
    # The "---------" blank choice is not offered as a radio button.
    assert [(i["id"], i["value"], i["type"]) for i in inputs] == [
        ("id_sex_1", "F", "radio"),
        ("id_sex_2", "M", "radio"),
    ]
    assert one(html, "label", for_="id_sex_1")["class"] == "govuk-label govuk-radios__label"
    assert "govuk-form-group--error" in classes(one(html, "div", class_="govuk-form-group"))
    assert "checked" not in inputs[0]


def test_radios_keep_the_choice_and_page_heading_legend() -> None:
    html = field_html({**VALID, "sex": "M"}, "sex", is_page_heading=True)
    assert "checked" in one(html, "input", id="id_sex_2")
    assert "checked" not in one(html, "input", id="id_sex_1")
    assert '<h1 class="govuk-fieldset__heading">Sex</h1>' in html
    assert "govuk-fieldset__legend--l" in classes(one(html, "legend"))
    assert "govuk-radios--small" not in classes(one(html, "div", class_="govuk-radios"))


def test_checkboxes() -> None:
    html = field_html({**VALID, "needs": ["semh"]}, "needs")
    assert one(html, "div", class_="govuk-checkboxes")["data-module"] == "govuk-checkboxes"
    assert "Areas of need (optional)" in html
    assert "checked" in one(html, "input", id="id_needs_1")
    assert "checked" not in one(html, "input", id="id_needs_0")
    assert one(html, "input", id="id_needs_1")["type"] == "checkbox"


def test_single_checkbox() -> None:
    html = field_html({**VALID, "agree": ""}, "agree")
    box = one(html, "input", id="id_agree")
    assert box["type"] == "checkbox"
    assert classes(box) == {"govuk-checkboxes__input"}
    assert box["aria-describedby"] == "id_agree-error"
    assert one(html, "label", for_="id_agree")["class"] == "govuk-label govuk-checkboxes__label"
    assert not elements(html, "fieldset")
    assert "checked" in one(field_html(VALID, "agree"), "input", id="id_agree")


def test_date_input_without_errors_shows_the_date() -> None:
    form = PupilForm(initial={"date_of_birth": date(2016, 3, 7)})
    html = render("{% govuk_field form.date_of_birth %}", form=form)
    fieldset = one(html, "fieldset")
    assert fieldset["role"] == "group"
    assert fieldset["aria-describedby"] == "id_date_of_birth-hint"
    assert one(html, "div", class_="govuk-date-input")["id"] == "id_date_of_birth"
    parts = elements(html, "input", class_="govuk-date-input__input")
    assert [(p["name"], p["id"], p["value"], p["inputmode"]) for p in parts] == [
        ("date_of_birth_0", "id_date_of_birth_0", "7", "numeric"),
        ("date_of_birth_1", "id_date_of_birth_1", "3", "numeric"),
        ("date_of_birth_2", "id_date_of_birth_2", "2016", "numeric"),
    ]
    widths = [next(c for c in classes(p) if c.startswith("govuk-input--width-")) for p in parts]
    assert widths == ["govuk-input--width-2", "govuk-input--width-2", "govuk-input--width-4"]
    for part_id, label in [("0", "Day"), ("1", "Month"), ("2", "Year")]:
        assert f'for="id_date_of_birth_{part_id}">{label}</label>' in html
    assert not any("govuk-input--error" in classes(p) for p in parts)


def test_date_input_marks_only_the_missing_part() -> None:
    data = {**VALID, "date_of_birth_1": ""}
    html = field_html(data, "date_of_birth")
    assert one(html, "fieldset")["aria-describedby"] == "id_date_of_birth-hint id_date_of_birth-error"
    assert "Date of birth must include a month" in html
    parts = elements(html, "input", class_="govuk-date-input__input")
    assert ["govuk-input--error" in classes(p) for p in parts] == [False, True, False]
    assert [p.get("aria-invalid") for p in parts] == [None, "true", None]
    assert [p.get("value") for p in parts] == ["14", None, "2016"]  # what they typed is kept


def test_date_input_marks_every_part_when_the_date_is_empty() -> None:
    empty = {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}
    html = field_html({**VALID, **empty}, "date_of_birth")
    assert "Enter the date of birth" in html
    parts = elements(html, "input", class_="govuk-date-input__input")
    assert all("govuk-input--error" in classes(p) for p in parts)


def test_date_widget_renders_on_its_own() -> None:
    html = str(PupilForm()["date_of_birth"])
    assert len(elements(html, "input", class_="govuk-date-input__input")) == 3
    assert 'for="id_date_of_birth_0">Day</label>' in html


def test_hidden_field_is_drawn_plainly() -> None:
    html = field_html(None, "version")
    assert one(html, "input", type="hidden")["name"] == "version"
    assert "govuk-form-group" not in html


# -- {% error_summary %} ---------------------------------------------------------------------------


def test_error_summary_is_empty_for_unbound_and_valid_forms() -> None:
    assert render("{% error_summary form %}", form=PupilForm()) == ""
    valid = PupilForm(VALID)
    assert valid.is_valid(), valid.errors
    assert render("{% error_summary form %}", form=valid) == ""


def test_error_summary_links_each_error_to_its_input() -> None:
    data = {**VALID, "full_name": "", "sex": "", "date_of_birth_0": "", "agree": ""}
    html = render("{% error_summary form %}", form=PupilForm(data))
    summary = one(html, "div", class_="govuk-error-summary")
    assert summary["data-module"] == "govuk-error-summary"
    assert one(html, "div", role="alert") is not None
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    links = [a["href"] for a in elements(html, "a")]
    # In the form's order; radios go to the first radio; a date to the first part in error.
    assert links == ["#id_full_name", "#id_sex_1", "#id_date_of_birth_0", "#id_agree"]
    assert '<a href="#id_date_of_birth_0">Date of birth must include a day</a>' in html


def test_error_summary_date_link_goes_to_the_part_in_error() -> None:
    html = render("{% error_summary form %}", form=PupilForm({**VALID, "date_of_birth_2": "99"}))
    assert '<a href="#id_date_of_birth_2">Year must include 4 numbers</a>' in html


def test_error_summary_lists_non_field_errors_without_links() -> None:
    html = render("{% error_summary form %}", form=PupilForm({**VALID, "full_name": "Duplicate"}))
    assert "<li>A pupil with these details is already on the register</li>" in html
    assert not elements(html, "a")


def test_error_summary_lists_hidden_field_errors_without_links() -> None:
    html = render("{% error_summary form %}", form=PupilForm({**VALID, "version": "x"}))
    assert "Enter a whole number." in html
    assert not elements(html, "a")


def test_error_summary_takes_several_forms() -> None:
    def prefixed(prefix: str, **changes: str) -> dict[str, Any]:
        return {f"{prefix}-{key}": value for key, value in {**VALID, **changes}.items()}

    first = PupilForm(prefixed("first", full_name=""), prefix="first")
    second = PupilForm(prefixed("second", sex=""), prefix="second")
    html = render("{% error_summary first second none %}", first=first, second=second, none=None)
    assert [a["href"] for a in elements(html, "a")] == ["#id_first-full_name", "#id_second-sex_1"]
    assert len(elements(html, "div", class_="govuk-error-summary")) == 1


def test_error_summary_takes_formsets() -> None:
    formset_class = forms.formset_factory(PupilForm)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        **{f"form-0-{key}": value for key, value in VALID.items()},
        "form-0-full_name": "",
    }
    html = render("{% error_summary formset %}", formset=formset_class(data))
    assert [a["href"] for a in elements(html, "a")] == ["#id_form-0-full_name"]


def test_error_summary_refuses_something_that_is_not_a_form() -> None:
    with pytest.raises(TemplateSyntaxError):
        render("{% error_summary form %}", form="oops")


# -- The page shell (base.html and the error pages) -----------------------------------------------


class _SignedIn:
    is_authenticated = True
    full_name = "Sam Senco"
    email = "sam@example.org"


def shell_page(template_name: str = "lib/home.html", **context: Any) -> str:
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/pupils/register/1/")
    request.user = AnonymousUser()
    return render_to_string(template_name, context, request=request)


def test_shell_has_no_inline_script_or_style() -> None:
    html = shell_page(places=[])
    scripts = elements(html, "script")
    assert scripts, "the page should load its scripts"
    assert all(script.get("src", "").startswith("/static/") for script in scripts)
    assert one(html, "script", type="module")["src"] == "/static/js/app.js"
    assert "<style" not in html
    assert " style=" not in html


def test_shell_structure_for_someone_signed_out() -> None:
    html = shell_page(places=[])
    assert one(html, "html")["lang"] == "en-GB"
    assert "<title>Your places \u2013 Graduated</title>" in html
    assert one(html, "a", class_="govuk-skip-link")["href"] == "#main-content"
    assert one(html, "main")["id"] == "main-content"
    assert one(html, "a", class_="govuk-generic-header__homepage-link")["href"] == "/"
    assert one(html, "a", class_="govuk-footer__link")["href"] == "/accessibility"
    assert "govuk-service-navigation" not in html
    assert "Sign out" not in html
    assert "Ask your SENCO" in html


def test_shell_navigation_and_sign_out_for_someone_signed_in() -> None:
    from graduated.lib.context_processors import NavItem

    nav = [
        NavItem("Home", "/", False),
        NavItem("SEN register: Ash Primary School", "/pupils/register/1/", True),
    ]
    html = shell_page(nav_items=nav, user=_SignedIn(), places=[])
    links = elements(html, "a", class_="govuk-service-navigation__link")
    assert [(link["href"], link.get("aria-current")) for link in links] == [
        ("/", None),
        ("/pupils/register/1/", "page"),
    ]
    assert "Sam Senco" in html
    form = one(html, "form", class_="app-account__form")
    assert form["method"] == "post"
    # The sign-out form, and the footer's language switch, each carry a token.
    assert len(elements(html, "input", name="csrfmiddlewaretoken")) == 2
    buttons = elements(html, "button", class_="app-link-button")
    assert len(buttons) == 2 and all(button["type"] == "submit" for button in buttons)


def test_shell_shows_messages_as_notification_banners() -> None:
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    messages = [
        Message(constants.SUCCESS, "Pupil added"),
        Message(constants.INFO, "Export started"),
    ]
    html = shell_page(messages=messages, places=[])
    banners = elements(html, "div", class_="govuk-notification-banner")
    assert [b["role"] for b in banners] == ["alert", "region"]
    assert "govuk-notification-banner--success" in classes(banners[0])
    assert "govuk-notification-banner--success" not in classes(banners[1])
    assert "Pupil added" in html and "Export started" in html


def test_home_lists_places() -> None:
    from graduated.lib.context_processors import NavItem

    html = shell_page(places=[NavItem("People: Ash Primary School", "/organisations/x/", False)])
    assert one(html, "a", href="/organisations/x/")
    assert "Ask your SENCO" not in html


def test_500_page_renders_without_any_context() -> None:
    from django.template.loader import get_template

    html = get_template("errors/500.html").render()
    assert "Sorry, there is a problem with the service" in html
    assert one(html, "link", rel="stylesheet")["href"] == "/static/css/app.css"


# -- Selects drawn without Django's option templates ---------------------------------------------


def _without_layout(html: str) -> str:
    """Django's select template puts each option on a line of its own; ours does not."""
    return "".join(line.strip() for line in html.splitlines())


class _Choices(forms.Form):
    grouped = forms.ChoiceField(
        label="Grouped",
        choices=[("", "Any"), ("Near & far", [("n", "North <east>"), ("s", "South")]), ("w", 'West "end"')],
    )
    numbered = forms.TypedChoiceField(label="Numbered", coerce=int, required=False, choices=[(1, "One"), (2, "Two")])


@pytest.mark.parametrize("data", [None, {"grouped": "s", "numbered": "2"}, {"grouped": "nowhere"}])
def test_a_select_is_drawn_as_djangos_templates_draw_it(data: dict[str, str] | None) -> None:
    from graduated.lib.templatetags.govuk import _render_select

    form = _Choices(data)
    form.is_valid()
    for name in ("grouped", "numbered"):
        field = form[name]
        widget = field.field.widget
        attrs = {"id": field.auto_id, "class": "govuk-select", "required": field.field.required}
        ours = _render_select(widget, field.html_name, field.value(), attrs)
        theirs = widget.render(field.html_name, field.value(), attrs)
        assert ours == _without_layout(theirs)
    assert '<option value="n">North &lt;east&gt;</option>' in _render_select(
        form["grouped"].field.widget, "grouped", None, {}
    )


def test_a_select_field_keeps_its_value_and_errors_in_the_page() -> None:
    html = Template("{% govuk_field form.grouped %}").render(Context({"form": _bound({"grouped": "w"})}))
    assert '<option value="w" selected>West &quot;end&quot;</option>' in html
    html = Template("{% govuk_field form.grouped %}").render(Context({"form": _bound({"grouped": "nowhere"})}))
    assert "govuk-select--error" in html and "Select a valid choice" in html


def _bound(data: dict[str, str]) -> _Choices:
    form = _Choices(data)
    form.is_valid()
    return form
