"""Waiting figures per service, worked by hand, for a setting and across its LA."""

from collections.abc import Callable
from datetime import date

from django.test import Client
from django.urls import reverse

from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.specialists import selectors
from graduated.specialists.tests.factories import referral, service

TODAY = date(2025, 3, 5)


def _referrals(world: World) -> None:
    eps, salt = service(world.la_north), service(world.la_north, "Speech and Language Therapy")
    consent = {"consent_on": date(2025, 1, 2)}
    # Educational psychology at Ash: two seen (56 and 10 days), three still waiting on 5 March 2025:
    # from 3 February (30 days), 24 January (40 days) and 23 February (10 days). One not referred yet.
    referral(world.p1, eps, referred_on=date(2025, 1, 6), seen_on=date(2025, 3, 3), **consent)
    referral(world.p2, eps, referred_on=date(2025, 1, 6), seen_on=date(2025, 1, 16), **consent)
    referral(world.p1, eps, referred_on=date(2025, 2, 3), **consent)
    referral(world.p2, eps, referred_on=date(2025, 1, 24), **consent)
    referral(world.p1, eps, referred_on=date(2025, 2, 23), **consent)
    referral(world.p2, eps, referred_on=None, consent_by="not_yet", consent_on=None)
    # Speech and language therapy at Ash: one waiting since 1 March (4 days).
    referral(world.p1, salt, referred_on=date(2025, 3, 1), **consent)
    # Beech (same LA): educational psychology waiting since 1 February (32 days).
    referral(world.p3, eps, referred_on=date(2025, 2, 1), **consent)
    # Cedar (another LA): never counted in Northshire's figures.
    referral(world.p4, referred_on=date(2024, 9, 2), consent_on=date(2024, 9, 2))


def _figures(rows: list[selectors.WaitingFigures]) -> list[tuple[object, ...]]:
    return [
        (row.service_name, row.setting_count, row.waiting, row.median_wait, row.longest_wait, row.seen,
         row.median_to_seen)
        for row in rows
    ]  # fmt: skip


def test_a_settings_waiting_figures_per_service(world: World) -> None:
    _referrals(world)
    assert _figures(selectors.setting_waiting_figures(world.setting_a, TODAY)) == [
        # waits now 10, 30, 40: the median is 30; seen after 10 and 56 days: the median is (10 + 56) / 2 = 33.
        ("Educational Psychology Service", 1, 3, "30 days", "40 days", 2, "33 days"),
        ("Speech and Language Therapy", 1, 1, "4 days", "4 days", 0, "–"),
    ]


def test_the_las_waiting_figures_count_every_setting_of_the_la_and_no_other(world: World) -> None:
    _referrals(world)
    assert _figures(selectors.la_waiting_figures(world.la_north, TODAY)) == [
        # waits now 10, 30, 32, 40: the median is (30 + 32) / 2 = 31.
        ("Educational Psychology Service", 2, 4, "31 days", "40 days", 2, "33 days"),
        ("Speech and Language Therapy", 1, 1, "4 days", "4 days", 0, "–"),
    ]
    assert _figures(selectors.la_waiting_figures(world.la_south, TODAY)) == [
        ("Educational Psychology Service", 1, 1, "184 days", "184 days", 0, "–"),
    ]


def test_an_odd_half_day_median_is_shown_with_its_half(world: World) -> None:
    eps = service(world.la_north)
    referral(world.p1, eps, referred_on=date(2025, 1, 6), seen_on=date(2025, 1, 16))  # 10 days
    referral(world.p2, eps, referred_on=date(2025, 1, 6), seen_on=date(2025, 1, 17))  # 11 days
    assert selectors.setting_waiting_figures(world.setting_a, TODAY)[0].median_to_seen == "10.5 days"


def test_the_la_page_shows_the_figures_and_no_pupil_names(world: World, client_for: Callable[..., Client]) -> None:
    _referrals(world)
    page = client_for(world.officer_north).get(reverse("specialists:la_directory", args=[world.la_north.pk]))
    html = page.content.decode()
    rows = table_rows(html, "Waiting times per service")
    # The waits still running depend on today; those already seen do not.
    assert [(row[0], row[1], row[2], row[5], row[6]) for row in rows[1:]] == [
        ("Educational Psychology Service", "2", "4", "2", "33 days"),
        ("Speech and Language Therapy", "1", "1", "0", "–"),
    ]
    for pupil in (world.p1, world.p2, world.p3):
        assert pupil.legal_last_name not in html


def test_the_settings_page_shows_its_figures_and_its_referrals(world: World, client_for: Callable[..., Client]) -> None:
    _referrals(world)
    html = client_for(world.head_a).get(reverse("specialists:setting_referrals", args=[world.setting_a.pk]))
    html = html.content.decode()
    rows = table_rows(html, "Waiting times per service")
    assert [(row[0], row[1], row[4], row[5]) for row in rows[1:]] == [
        ("Educational Psychology Service", "3", "2", "33 days"),
        ("Speech and Language Therapy", "1", "0", "–"),
    ]
    listed = table_rows(html, "Referrals, those waiting first")[1:]
    assert len(listed) == 7 and {row[0] for row in listed} == {"Priya One", "Paul Two"}
    assert listed[-1][2] == "Not referred yet"
