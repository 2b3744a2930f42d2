"""Transfers between phases (reg 2(1), reg 18): found from the setting's phase and statutory age range."""

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.ehc import reviews, selectors
from graduated.ehc.tests.factories import final
from graduated.ehc.transfers import TransferKind, transfer_for_pupil, transfer_from
from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World, make_pupil
from graduated.organisations.models import Phase, Setting
from graduated.pupils.models import Enrolment, Pupil
from graduated.pupils.year_groups import academic_year_start

AUTUMN = date(2026, 11, 13)  # in 2026/27: the transfers are in September 2027
FEBRUARY_2027 = date(2027, 2, 14)  # the last day before 15 February 2027
MARCH_2027 = date(2027, 3, 30)  # the last day before 31 March 2027
K = TransferKind


def _setting(phase: str, ages: tuple[int, int] | None, name: str = "A setting") -> Setting:
    low, high = ages if ages else (None, None)
    return Setting(name=name, phase=phase, statutory_low_age=low, statutory_high_age=high)


def _kind(phase: str, ages: tuple[int, int] | None, year: int) -> TransferKind | None:
    transfer = transfer_from(year, [_setting(phase, ages)], AUTUMN)
    return transfer.kind if transfer else None


# One per transfer kind ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "ages", "year", "kind"),
    [
        (Phase.EARLY_YEARS, (0, 5), -1, K.EARLY_YEARS_TO_SCHOOL),  # Nursery 2: starts Reception next September
        (Phase.PRIMARY, (4, 7), 2, K.INFANT_TO_JUNIOR),  # an infant school's Year 2
        (Phase.PRIMARY, (4, 9), 4, K.FIRST_TO_MIDDLE),  # a first school's Year 4
        (Phase.PRIMARY, (4, 8), 3, K.FIRST_TO_MIDDLE),  # a 4–8 first school feeding an 8–12 middle
        (Phase.PRIMARY, (4, 11), 6, K.PRIMARY_TO_SECONDARY),
        (Phase.PRIMARY, (7, 11), 6, K.PRIMARY_TO_SECONDARY),  # a junior school
        (Phase.SECONDARY, (9, 13), 8, K.MIDDLE_TO_SECONDARY),  # a middle school deemed secondary, to the upper
        (Phase.PRIMARY, (8, 12), 7, K.MIDDLE_TO_SECONDARY),  # a middle school deemed primary
        (Phase.SECONDARY, (11, 16), 11, K.SECONDARY_TO_POST_16),
        (Phase.ALL_THROUGH, (4, 16), 11, K.SECONDARY_TO_POST_16),  # an all-through school without a sixth form
        (Phase.ALTERNATIVE_PROVISION, (11, 16), 11, K.SECONDARY_TO_POST_16),
        (Phase.SPECIAL, (4, 11), 6, K.PRIMARY_TO_SECONDARY),  # a primary special school: at its last year
        (Phase.SPECIAL, (11, 16), 11, K.SECONDARY_TO_POST_16),
    ],
)
def test_each_transfer_is_found_in_the_settings_last_year(
    phase: str, ages: tuple[int, int], year: int, kind: TransferKind
) -> None:
    transfer = transfer_from(year, [_setting(phase, ages)], AUTUMN)
    assert transfer is not None
    assert (transfer.kind, transfer.year_of_transfer, transfer.range_assumed) == (kind, 2027, False)
    assert transfer.deadline == (MARCH_2027 if kind == K.SECONDARY_TO_POST_16 else FEBRUARY_2027)
    assert _kind(phase, ages, year - 1) is None  # the year before: nothing yet


def test_the_transfers_are_named() -> None:
    assert [kind.label for kind in TransferKind] == [
        "Early years to school", "Infant to junior", "First to middle", "Primary to secondary",
        "Middle to secondary", "Secondary to post-16",
    ]  # fmt: skip


# No transfer ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "ages", "year"),
    [
        (Phase.ALL_THROUGH, (4, 18), 6),  # Year 6 moves up within the school
        (Phase.ALL_THROUGH, (4, 18), 11),  # and Year 11 stays in its sixth form
        (Phase.ALL_THROUGH, (3, 18), 13),  # leaving a sixth form is not a reg 2(1) transfer
        (Phase.SECONDARY, (11, 18), 11),  # the school's own sixth form is not a post-16 institution
        (Phase.SECONDARY, (11, 18), 13),
        (Phase.PRIMARY, (3, 11), -1),  # a nursery class moves up to the school's Reception
        (Phase.PRIMARY, (4, 11), 2),  # a primary school's Year 2 is no infant school's
        (Phase.PRIMARY, (7, 11), 2),
        (Phase.SECONDARY, (9, 13), 6),  # a middle school's Year 6
        (Phase.EARLY_YEARS, (0, 5), -2),  # Nursery 1: another year before school
        (Phase.SPECIAL, (2, 19), 6),  # a special school's wide range: not at Year 6
        (Phase.SPECIAL, (2, 19), 12),  # nor after Year 11
        (Phase.SPECIAL, (2, 19), 14),
        (Phase.SIXTH_FORM, (16, 19), 12),  # post-16 moves are reg 18(2), at no fixed date
        (Phase.FURTHER_EDUCATION, (16, 99), 13),
    ],
)
def test_no_transfer_within_a_setting_or_after_the_secondary_phase(
    phase: str, ages: tuple[int, int], year: int
) -> None:
    assert _kind(phase, ages, year) is None


def test_a_special_school_beyond_year_11_shows_the_post_16_deadline_if_the_young_person_leaves() -> None:
    transfer = transfer_from(11, [_setting(Phase.SPECIAL, (2, 19), "Oakfield School")], AUTUMN)
    assert transfer is not None
    assert (transfer.kind, transfer.deadline, transfer.only_if_leaving) == (K.SECONDARY_TO_POST_16, MARCH_2027, True)
    assert transfer.leaving_words == (
        "leaving Oakfield School (2–19) after Year 11, if the young person leaves for a post-16 institution rather "
        "than staying on"
    )
    ended_at_16 = transfer_from(11, [_setting(Phase.SPECIAL, (11, 16))], AUTUMN)
    assert ended_at_16 is not None and not ended_at_16.only_if_leaving


def test_an_early_years_child_past_nursery_2_still_starts_school_next_september() -> None:
    assert _kind(Phase.EARLY_YEARS, (0, 5), 0) == K.EARLY_YEARS_TO_SCHOOL  # a deferred start
    assert _kind(Phase.EARLY_YEARS, (0, 3), -1) == K.EARLY_YEARS_TO_SCHOOL  # whatever the range says


# Settings without an age range -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "year", "kind"),
    [
        (Phase.PRIMARY, 6, K.PRIMARY_TO_SECONDARY),  # taken as 4–11
        (Phase.PRIMARY, 2, None),
        (Phase.SECONDARY, 11, K.SECONDARY_TO_POST_16),  # taken as 11–16: no sixth form known
        (Phase.ALL_THROUGH, 6, None),  # taken as 4–16
        (Phase.ALL_THROUGH, 11, K.SECONDARY_TO_POST_16),
        (Phase.SPECIAL, 6, None),  # taken as 2–19
        (Phase.SPECIAL, 11, K.SECONDARY_TO_POST_16),
        (Phase.ALTERNATIVE_PROVISION, 11, K.SECONDARY_TO_POST_16),  # taken as 5–16
        (Phase.EARLY_YEARS, -1, K.EARLY_YEARS_TO_SCHOOL),
        (Phase.FURTHER_EDUCATION, 12, None),
    ],
)
def test_a_setting_without_an_age_range_is_taken_to_have_its_phases_usual_one(
    phase: str, year: int, kind: TransferKind | None
) -> None:
    transfer = transfer_from(year, [_setting(phase, None)], AUTUMN)
    assert (transfer.kind if transfer else None) == kind
    if transfer is not None and phase != Phase.EARLY_YEARS:
        assert transfer.range_assumed and "no age range recorded" in transfer.leaving_words


def test_only_the_high_age_matters() -> None:
    setting = Setting(name="Half known", phase=Phase.PRIMARY, statutory_high_age=7)
    transfer = transfer_from(2, [setting], AUTUMN)
    assert transfer is not None and transfer.kind == K.INFANT_TO_JUNIOR and not transfer.range_assumed


# Deadlines: the calendar year of transfer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year", "deadline"),
    [
        (date(2026, 9, 1), 2, FEBRUARY_2027),  # the first day of the academic year
        (AUTUMN, 2, FEBRUARY_2027),
        (date(2027, 1, 10), 2, FEBRUARY_2027),  # already the calendar year of transfer
        (date(2027, 6, 30), 2, FEBRUARY_2027),  # passed: still the deadline that applied
        (date(2027, 8, 31), 11, MARCH_2027),
        (date(2027, 9, 1), 2, date(2028, 2, 14)),  # a new academic year: next year's leavers
        (date(2027, 9, 1), 11, date(2028, 3, 30)),
    ],
)
def test_the_deadline_is_in_the_calendar_year_of_transfer(today: date, year: int, deadline: date) -> None:
    phase, ages = (Phase.PRIMARY, (4, 7)) if year == 2 else (Phase.SECONDARY, (11, 16))
    transfer = transfer_from(year, [_setting(phase, ages)], today)
    assert transfer is not None
    assert (transfer.deadline, transfer.year_of_transfer) == (deadline, deadline.year)


# Which setting ------------------------------------------------------------------------------------------------------


def test_a_dual_registered_pupil_transfers_if_either_setting_says_so() -> None:
    main = _setting(Phase.SECONDARY, (11, 18), "Beech Academy")
    alternative = _setting(Phase.ALTERNATIVE_PROVISION, (11, 16), "The Bridge")
    transfer = transfer_from(11, [alternative, main], AUTUMN)
    assert transfer is not None and transfer.setting is alternative
    assert transfer_from(11, [main], AUTUMN) is None


def test_a_pupil_with_no_current_setting_follows_the_usual_pattern() -> None:
    secondary = transfer_from(6, [], AUTUMN)
    assert secondary is not None and (secondary.kind, secondary.setting) == (K.PRIMARY_TO_SECONDARY, None)
    assert "no current setting" in secondary.leaving_words
    post_16 = transfer_from(11, [], AUTUMN)
    assert post_16 is not None and post_16.kind == K.SECONDARY_TO_POST_16
    assert transfer_from(2, [], AUTUMN) is None


def _born_in_year(year: int, on: date) -> date:
    """A date of birth that puts a child in year group ``year`` on ``on``."""
    return date(academic_year_start(on) - year - 5, 10, 1)


def test_the_pupils_current_enrolment_gives_the_setting(world: World) -> None:
    infant = Setting.objects.create(
        name="Ash Infant School", phase=Phase.PRIMARY, local_authority=world.la_north, statutory_low_age=4,
        statutory_high_age=7,
    )  # fmt: skip
    pupil = make_pupil(infant, "Ivy", "Infant", date_of_birth=_born_in_year(2, AUTUMN))
    transfer = transfer_for_pupil(pupil, AUTUMN)
    assert transfer is not None and (transfer.kind, transfer.setting) == (K.INFANT_TO_JUNIOR, infant)
    assert transfer.leaving_words == "leaving Ash Infant School (4–7) after Year 2"
    # A place at the junior school from next September is not yet where she is.
    junior = Setting.objects.create(name="Ash Junior", phase=Phase.PRIMARY, local_authority=world.la_north)
    Enrolment.objects.create(pupil=pupil, setting=junior, start_date=date(2027, 9, 1))
    assert transfer_for_pupil(pupil, AUTUMN) == transfer
    # Once she has left the infant school, she is at the junior school and makes no transfer there.
    Enrolment.objects.filter(pupil=pupil, setting=infant).update(end_date=date(2027, 7, 21))
    assert transfer_for_pupil(pupil, date(2027, 9, 10)) is None


def test_a_pupil_taught_outside_their_year_group_transfers_with_it(world: World) -> None:
    pupil = make_pupil(world.setting_a, "Held", "Back", date_of_birth=_born_in_year(6, AUTUMN))
    assert transfer_for_pupil(pupil, AUTUMN) is not None
    Pupil.objects.filter(pk=pupil.pk).update(year_group_override=5)
    pupil.refresh_from_db()
    assert transfer_for_pupil(pupil, AUTUMN) is None


def test_the_age_range_is_kept_in_order(world: World) -> None:
    setting = Setting(name="Backwards", phase=Phase.PRIMARY, local_authority=world.la_north)
    setting.statutory_low_age, setting.statutory_high_age = 11, 4
    with pytest.raises(ValidationError, match="low age cannot be above the statutory high age"):
        setting.full_clean()


# Reviews due and the pages -----------------------------------------------------------------------------------------


def _phase_settings(world: World) -> dict[str, Setting]:
    la = world.la_north
    made = {
        "nursery": ("Little Acorns Nursery", Phase.EARLY_YEARS, (0, 5)),
        "infant": ("Ash Infant School", Phase.PRIMARY, (4, 7)),
        "middle": ("Hill Middle School", Phase.SECONDARY, (9, 13)),
        "sixth": ("Elm Academy", Phase.SECONDARY, (11, 18)),
        "all_through": ("Oak All-through School", Phase.ALL_THROUGH, (4, 18)),
    }
    return {
        key: Setting.objects.create(
            name=name, phase=phase, local_authority=la, statutory_low_age=ages[0], statutory_high_age=ages[1]
        )
        for key, (name, phase, ages) in made.items()
    }


def _planned(setting: Setting, first: str, year: int, today: date) -> Pupil:
    pupil = make_pupil(setting, first, "Planned", date_of_birth=_born_in_year(year, today), sen_status="K")
    final(pupil)
    return pupil


def test_reviews_due_carry_each_pupils_transfer(world: World) -> None:
    settings = _phase_settings(world)
    nursery = _planned(settings["nursery"], "Nia", -1, AUTUMN)
    middle = _planned(settings["middle"], "Milo", 8, AUTUMN)
    staying = _planned(settings["sixth"], "Stay", 11, AUTUMN)
    all_through = _planned(settings["all_through"], "Ada", 6, AUTUMN)
    dues = {due.plan.pupil: due for due in selectors.reviews_due(world.la_north, AUTUMN)}
    assert (dues[nursery].phase_transfer_label, dues[nursery].phase_transfer) == (
        "Early years to school", FEBRUARY_2027,
    )  # fmt: skip
    assert (dues[middle].phase_transfer_label, dues[middle].phase_transfer) == ("Middle to secondary", FEBRUARY_2027)
    assert dues[staying].transfer is None and dues[all_through].transfer is None
    # The same, worked out for one plan without the list's preloading.
    assert reviews.review_due(dues[middle].plan, [], AUTUMN).transfer == dues[middle].transfer


def test_the_reviews_due_page_shows_the_transfers_and_deadlines(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    february = date(academic_year_start(today) + 1, 2, 14)
    settings = _phase_settings(world)
    _planned(settings["infant"], "Ivy", 2, today)
    _planned(world.setting_b, "Sixteen", 11, today)  # Beech Academy has no age range: taken as 11–16
    _planned(settings["all_through"], "Ada", 6, today)
    client = client_for(world.officer_north)
    page = client.get(reverse("ehc:reviews_due", args=[world.la_north.pk])).content.decode()
    rows = {row[0]: row[4] for row in table_rows(page, "plan")[1:]}
    assert rows["Ivy Planned"].startswith(f"Infant to junior: amend by {february:%-d %b %Y}")
    assert "Leaving Ash Infant School (4–7) after Year 2" in rows["Ivy Planned"]
    assert rows["Sixteen Planned"].startswith(f"Secondary to post-16: amend by 30 Mar {february.year}")
    assert "no age range recorded" in rows["Sixteen Planned"]
    assert rows["Ada Planned"] == "None this year"


def test_the_case_and_the_review_form_show_the_transfer(world: World, client_for: Callable[..., Client]) -> None:
    today = timezone.localdate()
    settings = _phase_settings(world)
    pupil = _planned(settings["infant"], "Ivy", 2, today)
    plan = pupil.ehc_plans.get()
    client = client_for(world.officer_north)
    sentence = "Phase transfer next September: infant to junior, leaving Ash Infant School (4–7) after Year 2."
    deadline = f"reviewed and amended by 14 February {academic_year_start(today) + 1}"
    case_page = client.get(reverse("ehc:case", args=[world.la_north.pk, plan.request_id])).content.decode()
    assert sentence in case_page and deadline in case_page
    form_page = client.get(reverse("ehc:new_review", args=[world.la_north.pk, plan.request_id])).content.decode()
    assert sentence in form_page and deadline in form_page


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_reviews_due_page_loads_the_settings_in_a_fixed_number_of_queries(
    world: World, client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    settings = _phase_settings(world)
    _planned(settings["infant"], "Ivy", 2, today)
    client = client_for(world.officer_north)
    url = reverse("ehc:reviews_due", args=[world.la_north.pk])
    few = _queries(client, url)
    for n, key in enumerate(["nursery", "middle", "sixth", "all_through"]):
        pupil = _planned(settings[key], f"More{n}", 6, today)
        Enrolment.objects.create(pupil=pupil, setting=world.setting_a, start_date=date(2024, 9, 1))  # dual
    assert _queries(client, url) == few
