"""Odd numbers typed into a request's details: a 400 with a clear message, never a 500, nothing saved."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from graduated.assessment_requests.forms import DetailsForm
from graduated.assessment_requests.tests import factories
from graduated.lib.testing import World
from graduated.pupils.models import Pupil

THIS_YEAR = "Enter the attendance this school year as a percentage from 0 to 100, like 92.5"
LAST_YEAR = "Enter the attendance last school year as a percentage from 0 to 100, like 92.5"


@pytest.mark.parametrize(
    "typed", ["101", "-1", "NaN", "nan", "sNaN", "Infinity", "-inf", "100.1", "92.55", "1e3", "1E-7", "92,5", "9 2"]
)
def test_an_impossible_attendance_is_a_400_that_says_so(
    world: World, client_for: Callable[..., Client], typed: str
) -> None:
    prepared = factories.started(world.p1)
    client = client_for(world.senco_a)
    url = reverse("assessment_requests:details", args=[world.p1.pk, prepared.pk])
    response = client.post(
        url,
        {"attendance_this_year": typed, "attendance_last_year": typed, "parental_responsibility": "Rosa One",
         "version": prepared.version},
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert THIS_YEAR in body and LAST_YEAR in body
    assert "There is a problem" in body  # the error summary at the top of the page
    prepared.refresh_from_db()
    assert (prepared.parental_responsibility, prepared.attendance_this_year, prepared.version) == ("", None, 1)


def test_a_possible_attendance_is_saved(world: World, client_for: Callable[..., Client]) -> None:
    prepared = factories.started(world.p1)
    url = reverse("assessment_requests:details", args=[world.p1.pk, prepared.pk])
    response = client_for(world.senco_a).post(
        url, {"attendance_this_year": "100", "attendance_last_year": "0", "version": prepared.version}
    )
    assert response.status_code == 302
    prepared.refresh_from_db()
    assert (prepared.attendance_this_year, prepared.attendance_last_year) == (Decimal(100), Decimal(0))


_PUPIL = Pupil(legal_first_name="Priya", date_of_birth=date(2015, 3, 1))  # the form reads it only for consent

_numberish = st.one_of(
    st.text(alphabet="0123456789.-+eE%naifNIF ", max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=8),
)


@given(typed=_numberish)
@example(typed="101")
@example(typed="-1")
@example(typed="NaN")
@example(typed="100.05")
def test_any_attendance_either_fits_or_gets_the_message(typed: str) -> None:
    form = DetailsForm({"attendance_this_year": typed, "version": "1"}, pupil=_PUPIL)
    # Rendering the messages is where Django %-formats them: the 500 lived there.
    rendered = form.errors.as_text()
    if form.is_valid():
        value = form.cleaned_data["attendance_this_year"]
        assert value is None or (Decimal(0) <= value <= Decimal(100) and value.is_finite())
    else:
        assert list(form.errors) == ["attendance_this_year"]
        assert form.errors["attendance_this_year"] == [THIS_YEAR], rendered
