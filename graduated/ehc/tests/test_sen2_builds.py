"""The SEN2 return built in the background and kept (sen2_builds.py, tasks.build_sen2_return): what is
stored is what a direct build makes, the check page's states (none, being built, built with errors,
built clean, out of date, failed, stopped), the downloads from storage, who may build, asking twice,
and the page's queries at two sizes. Requests are received 3 March 2025, so they fall in SEN2 2026."""

import logging
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from graduated.audit.models import AuditAction, AuditEvent
from graduated.ehc import sen2_builds, sen2_services
from graduated.ehc.models import SEN2_BUILD_STUCK_AFTER, EHCPlan, Sen2Build, Sen2BuildStatus
from graduated.ehc.sen2_files import as_csv_zip, as_xml
from graduated.ehc.sen2_return import Collection, build_return, cases_for_return
from graduated.ehc.tasks import build_sen2_return
from graduated.ehc.tests.factories import ACTOR, final
from graduated.lib import submit_once
from graduated.lib.testing import World, make_pupil
from graduated.pupils.models import Need

ClientFor = Callable[..., Client]
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "email"]}}
_TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')
YEAR = {"year": 2026}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _clean_case(world: World, pupil: Any = None) -> EHCPlan:
    """A final plan with its main placement and a need: a case the checks find no error in."""
    pupil = pupil or world.p1
    plan = final(pupil)
    data = {"setting": world.setting_a, "urn": "", "ukprn": "", "sen_setting": "", "sen_setting_other": "", "rank": 1,
            "entry_date": plan.final_issued_on, "leaving_date": None, "sen_unit": False,
            "resourced_provision": False}  # fmt: skip
    sen2_services.add_placement(actor=ACTOR, plan=plan, data=data)
    Need.objects.create(pupil=pupil, sen_type="SLCN", rank=1, start_date=date(2024, 9, 1))
    return plan


def _urls(world: World, la: Any = None) -> dict[str, str]:
    args = [(la or world.la_north).pk]
    return {name: reverse(f"ehc:sen2_{name}", args=args) for name in ("check", "build", "xml", "csv")}


def _ask(client: Client, url: str, capture: Any, data: dict[str, Any] | None = None) -> Any:
    with capture(execute=True):  # tasks run in-process (conftest.py): the build runs once this commits
        return client.post(url, data or YEAR)


def _stored(world: World) -> Sen2Build:
    return Sen2Build.objects.get(local_authority=world.la_north, year=2026)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_task_stores_what_a_direct_build_makes_and_the_downloads_serve_it(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    response = _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == f"{urls['check']}?year=2026"
    build = _stored(world)
    assert (build.status, build.attempts, build.people, build.error_count) == (Sen2BuildStatus.READY, 1, 1, 0)
    assert build.built_asked_by == world.officer_north and build.error == ""

    collection = Collection(2026)
    direct = build_return(world.la_north, collection, cases_for_return(world.la_north, collection))
    created = timezone.localtime(build.built_at)
    xml = officer.get(urls["xml"], YEAR)
    assert xml["Content-Disposition"] == f'attachment; filename="sen2-2026-{world.la_north.code}.xml"'
    assert _body(xml) == as_xml(direct, created)
    zipped = officer.get(urls["csv"], YEAR)
    assert zipped["Content-Disposition"] == f'attachment; filename="sen2-2026-{world.la_north.code}-csv.zip"'
    assert _body(zipped) == as_csv_zip(direct, created)
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="ehc sen2 return")
    assert sorted(exports.values_list("description", flat=True)) == [
        "SEN2 2026 return as CSV: 1 people", "SEN2 2026 return as XML: 1 people",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(description="SEN2 2026 return built: 1 people, 0 errors").exists()

    page = officer.get(urls["check"], YEAR).content.decode()
    assert "No errors: the return can be downloaded." in page and "Build the return again" in page
    assert "asked for by Nia Officer" in page and "out of date" not in page


def test_the_page_before_any_build_says_so_and_the_downloads_are_a_clear_409(
    world: World, client_for: ClientFor
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    page = officer.get(urls["check"], YEAR)
    html = page.content.decode()
    assert page.status_code == 200 and "The SEN2 2026 return has not been built yet." in html
    assert ">Build the return<" in html and urls["build"] in html and "Download" not in html
    assert "Refresh" not in page
    for kind in ("xml", "csv"):
        download = officer.get(urls[kind], YEAR)
        assert download.status_code == 409
        assert "The SEN2 2026 return has not been built" in download.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_while_being_built_the_page_says_so_and_refreshes_itself(
    world: World, client_for: ClientFor, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)  # a first return, built
    settings.TASKS = DUMMY_TASKS
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)  # a second, queued only
    queued = [result.args[0] for result in default_task_backend.results if result.task.func is build_sen2_return.func]
    assert queued == [_stored(world).pk]
    page = officer.get(urls["check"], YEAR)
    html = page.content.decode()
    assert page["Refresh"] == "5" and "The SEN2 2026 return is being built." in html
    assert "waiting for the service's background worker" in html and "Stop refreshing this page" in html
    assert "No errors: the return can be downloaded." in html  # the last one built is still shown
    assert ">Build the return again<" not in html
    assert "Refresh" not in officer.get(urls["check"], {"year": 2026, "refresh": "off"})
    assert officer.get(urls["xml"], YEAR).status_code == 200  # the last one built, meanwhile

    # Asked for again while it is being built: refused, nothing queued twice.
    again = officer.post(urls["build"], YEAR, follow=True)
    assert "The return is already being built" in again.content.decode()
    assert _stored(world).attempts == 2

    # The worker takes it up, and then stops: after a while the page stops saying it is being built.
    sen2_builds.Sen2Build.objects.filter(pk=_stored(world).pk).update(
        status_at=timezone.now() - SEN2_BUILD_STUCK_AFTER - timedelta(minutes=1)
    )
    html = officer.get(urls["check"], YEAR).content.decode()
    assert "the service's background worker may not be running" in html and "Try again" in html
    build_sen2_return.call(_stored(world).pk)  # a late worker still finishes it
    assert _stored(world).status == Sen2BuildStatus.READY


def test_a_return_with_errors_shows_them_and_its_downloads_go_back_to_the_check(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    plan = final(world.p1)  # no main placement: two errors (the named plan's and the active plan's)
    Need.objects.create(pupil=world.p1, sen_type="SLCN", rank=1, start_date=date(2024, 9, 1))
    officer = client_for(world.officer_north)
    urls = _urls(world)
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    html = officer.get(urls["check"], YEAR).content.decode()
    assert "2 errors to put right" in html and "names no main placement" in html
    assert reverse("ehc:case", args=[world.la_north.pk, plan.request_id]) in html and "Download" not in html
    for kind in ("xml", "csv"):
        refused = officer.get(urls[kind], YEAR)
        assert refused.status_code == 302 and refused["Location"] == f"{urls['check']}?year=2026"
    assert "The return has 2 errors: put them right" in officer.get(urls["check"], YEAR).content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_change_to_the_cases_after_the_build_says_it_may_be_out_of_date(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    plan = _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    details = reverse("ehc:sen2_details", args=[world.la_north.pk, plan.request_id])
    plan.refresh_from_db()
    form = {"other_mediation": "on", "version": plan.request.version, "plan_version": plan.version}
    assert officer.post(details, form).status_code == 302
    assert "The return may be out of date" in officer.get(urls["check"], YEAR).content.decode()
    # Another LA's work, and what is not a change to the cases (views, exports), do not count.
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    officer.get(urls["xml"], YEAR)
    client_for(world.officer_south).get(reverse("ehc:inbox", args=[world.la_south.pk]))
    assert "out of date" not in client_for(world.officer_north).get(urls["check"], YEAR).content.decode()


def test_a_build_that_fails_is_kept_shown_and_tried_again(
    world: World,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)

    def broken(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(sen2_builds, "draw", broken)
    with caplog.at_level(logging.ERROR):
        _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    assert "SEN2 2026 return of LA" in caplog.text
    build = _stored(world)
    assert (build.status, build.error, build.xml.name) == (Sen2BuildStatus.FAILED, sen2_builds.FAILED, "")
    html = officer.get(urls["check"], YEAR).content.decode()
    assert "The return could not be built." in html and "Try again" in html
    assert officer.get(urls["xml"], YEAR).status_code == 409

    monkeypatch.undo()
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    build = _stored(world)
    assert (build.status, build.attempts, build.error) == (Sen2BuildStatus.READY, 2, "")
    assert officer.get(urls["xml"], YEAR).status_code == 200


def test_building_again_replaces_the_files_and_an_older_attempt_is_not_kept(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    first = _stored(world)
    storage = first.xml.storage
    _ask(officer, urls["build"], django_capture_on_commit_callbacks)
    second = _stored(world)
    assert Sen2Build.objects.count() == 1 and second.attempts == 2
    assert not storage.exists(first.xml.name) and not storage.exists(first.csv_zip.name)
    assert storage.exists(second.xml.name)
    # A task delivered again for a build already made does nothing.
    build_sen2_return.call(second.pk)
    assert _stored(world).xml.name == second.xml.name


def test_asking_twice_with_the_same_form_builds_once(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    _clean_case(world)
    officer = client_for(world.officer_north)
    urls = _urls(world)
    page = officer.get(urls["check"], YEAR).content.decode()
    tokens = _TOKEN.findall(page.split("<main", 1)[-1].split("</main>", 1)[0])
    assert len(tokens) == 1
    data = {"year": 2026, "form_token": tokens[0]}
    first = _ask(officer, urls["build"], django_capture_on_commit_callbacks, data)
    with django_capture_on_commit_callbacks(execute=True) as second_callbacks:
        second = officer.post(urls["build"], data, follow=True)
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert submit_once.ALREADY_SENT in second.content.decode() and second_callbacks == []
    assert _stored(world).attempts == 1
    asked = AuditEvent.objects.filter(description__startswith="SEN2 2026 return asked to be built")
    assert asked.count() == 1


def test_only_the_las_officers_may_see_build_or_download_it(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    _clean_case(world)
    urls = _urls(world)
    _ask(client_for(world.officer_north), urls["build"], django_capture_on_commit_callbacks)
    for outsider in (world.officer_south, world.senco_a, world.head_a):
        client = client_for(outsider)
        for name in ("check", "xml", "csv"):
            assert client.get(urls[name], YEAR).status_code == 404, (outsider, name)
        assert _ask(client, urls["build"], django_capture_on_commit_callbacks).status_code == 404
    assert _stored(world).attempts == 1


def test_a_year_not_offered_is_refused_by_the_build_too(world: World, client_for: ClientFor) -> None:
    officer = client_for(world.officer_north)
    response = officer.post(_urls(world)["build"], {"year": "1999"})
    assert response.status_code == 400 and "Choose a year from the list" in response.content.decode()
    assert not Sen2Build.objects.exists()


def test_the_check_page_takes_the_same_queries_for_one_case_or_six(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    officer = client_for(world.officer_north)
    urls = _urls(world)

    def count() -> int:
        _ask(officer, urls["build"], django_capture_on_commit_callbacks)
        officer.get(urls["check"], YEAR)
        with CaptureQueriesContext(connection) as queries:
            assert officer.get(urls["check"], YEAR).status_code == 200
        return len(queries)

    _clean_case(world)
    one = count()
    for index in range(5):
        _clean_case(world, make_pupil(world.setting_a, "More", f"Pupil{index}"))
    final(make_pupil(world.setting_a, "With", "Errors"))  # errors and warnings listed too
    assert count() == one
    assert _stored(world).people == 7 and _stored(world).error_count > 0
