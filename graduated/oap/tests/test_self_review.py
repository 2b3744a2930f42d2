"""A setting's yearly self-review, and the LA's results across its settings."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.lib.html_tables import table_rows
from graduated.lib.testing import World
from graduated.oap import services
from graduated.oap.models import OAPVersion, Rating, SelfReview
from graduated.oap.tests.factories import ACTOR, published
from graduated.organisations.models import Phase, Setting
from graduated.pupils.year_groups import academic_year_start

ClientFor = Callable[..., Client]


def _url(name: str, *args: Any) -> str:
    return reverse(f"oap:{name}", args=args)


def _answers(version: OAPVersion, *ratings: str, action: str = "save", seen: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = {"version": seen, "action": action}
    for expectation, rating in zip(version.expectations.all(), ratings, strict=False):
        data[f"rating_{expectation.pk}"] = rating
        data[f"note_{expectation.pk}"] = f"Note on {expectation.title}"
    return data


def test_a_senco_saves_a_draft_then_marks_it_complete(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    client = client_for(world.senco_a)
    url = _url("self_review", world.setting_a.pk)
    assert "Mark complete" in client.get(url).content.decode()
    response = client.post(url, _answers(version, Rating.MET))
    assert response.status_code == 302
    review = SelfReview.objects.get(setting=world.setting_a)
    assert review.academic_year == academic_year_start(timezone.localdate()) and not review.is_complete
    response = client.post(url, _answers(version, Rating.MET, action="complete", seen=review.version))
    page = response.content.decode()
    assert response.status_code == 400 and "Answer every expectation before marking the review complete" in page
    response = client.post(url, _answers(version, Rating.MET, Rating.PARTLY, action="complete", seen=review.version))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_complete and review.completed_by == world.senco_a
    page = client.get(url).content.decode()
    assert "Marked complete on" in page and "Partly met" in page and "Mark complete" not in page
    response = client.post(url, _answers(version, Rating.NOT_YET, Rating.NOT_YET, seen=review.version))
    assert response.status_code == 400 and "can no longer be changed" in response.content.decode()


def test_two_people_saving_at_once_the_later_is_refused(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    url = _url("self_review", world.setting_a.pk)
    assert client_for(world.senco_a).post(url, _answers(version, Rating.MET)).status_code == 302
    head = Client()
    head.force_login(world.head_a)
    response = head.post(url, _answers(version, Rating.NOT_YET))  # opened before the SENCO's save (version 0)
    assert response.status_code == 409 and "Someone else changed this self-review" in response.content.decode()
    rating = SelfReview.objects.get().answers.get(expectation=version.expectations.first()).rating
    assert rating == Rating.MET
    response = head.post(url, {**_answers(version, "brilliant"), "version": "x"})
    assert response.status_code == 400


def test_a_huge_note_is_refused(world: World, client_for: ClientFor) -> None:
    version = published(world.la_north)
    data = _answers(version, Rating.MET)
    data[f"note_{version.expectations.first().pk}"] = "x" * 2001  # type: ignore[union-attr]
    response = client_for(world.senco_a).post(_url("self_review", world.setting_a.pk), data)
    assert response.status_code == 400 and "2000 characters or fewer" in response.content.decode()
    assert not SelfReview.objects.exists()


def test_no_oap_in_force_means_nothing_to_review(world: World, client_for: ClientFor) -> None:
    client = client_for(world.senco_a)
    assert "nothing to review against" in client.get(_url("self_review", world.setting_a.pk)).content.decode()
    assert client.post(_url("self_review", world.setting_a.pk), {"version": "0"}).status_code == 400


def _review(setting: Setting, version: OAPVersion, *ratings: str, complete: bool = True) -> SelfReview:
    answers = {e.pk: (r, "") for e, r in zip(version.expectations.all(), ratings, strict=False)}
    return services.save_self_review(
        actor=ACTOR, setting=setting, academic_year=academic_year_start(timezone.localdate()), version=version,
        answers=answers, expected_version=0, complete=complete,
    )  # fmt: skip


def test_the_la_sees_results_per_expectation_and_per_setting_filtered_by_phase(
    world: World, client_for: ClientFor
) -> None:
    version = published(world.la_north)
    _review(world.setting_a, version, Rating.MET, Rating.NOT_YET)  # primary, complete
    _review(world.setting_b, version, Rating.PARTLY, complete=False)  # secondary, in draft
    _review(world.setting_c, published(world.la_south), Rating.MET, Rating.MET)  # another LA
    client = client_for(world.officer_north)
    page = client.get(_url("la_self_reviews", world.la_north.pk)).content.decode()
    expectations = table_rows(page, "Each expectation")
    assert expectations[1] == ["Staff know which pupils are on the SEN register", "1", "0", "0", "1"]
    assert expectations[2] == ["Parents are met three times a year", "0", "0", "1", "1"]
    settings = table_rows(page, "Each setting")
    assert settings[1:] == [
        ["Ash Primary School", "Primary", "Complete", "1", "0", "1"],
        ["Beech Academy", "Secondary", "In draft", "0", "1", "0"],
    ]
    page = client.get(_url("la_self_reviews", world.la_north.pk), {"phase": Phase.SECONDARY}).content.decode()
    assert [row[0] for row in table_rows(page, "Each setting")[1:]] == ["Beech Academy"]
    response = client.get(_url("la_self_reviews", world.la_north.pk), {"phase": "castle", "year": "soon"})
    assert response.status_code == 400 and "Choose a phase from the list" in response.content.decode()

    response = client.get(_url("la_self_reviews_csv", world.la_north.pk))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    first = version.expectations.order_by("position").values_list("title", flat=True)[0]
    assert rows[0][:4] == ["Setting", "URN", "Phase", "Self-review"] and rows[0][7] == first
    assert rows[1] == ["Ash Primary School", "100001", "Primary", "Complete", "1", "0", "1", "Met", "Not yet"]
    assert rows[2][-2:] == ["Partly met", "Not answered"]


def _settings(world: World, version: OAPVersion, n: int) -> None:
    for i in range(n):
        setting = Setting.objects.create(
            name=f"School {i:03d}", phase=Phase.PRIMARY if i % 2 else Phase.SECONDARY, local_authority=world.la_north
        )
        _review(setting, version, Rating.MET, Rating.PARTLY, complete=bool(i % 3))


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["la_self_reviews", "la_self_reviews_csv"])
def test_the_results_take_a_fixed_number_of_queries_whatever_the_number_of_settings(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any, name: str
) -> None:
    version = published(world.la_north)
    client = client_for(world.officer_north)
    url = _url(name, world.la_north.pk)
    _settings(world, version, 3)
    few = _count(client, url)
    _settings(world, version, 30)
    with django_assert_max_num_queries(few):
        client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
