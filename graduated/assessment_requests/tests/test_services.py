from datetime import date, timedelta
from typing import Any

import pytest

from graduated.assessment_requests import services
from graduated.assessment_requests.models import BundleStatus, PreparedRequest, SentContent
from graduated.assessment_requests.tests import factories
from graduated.audit.models import AuditEvent
from graduated.ehc.models import EHCRequest, RequestSource, Stage
from graduated.ehc.tests import factories as ehc_factories
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.statutory.tests import factories as plan_factories

TODAY = date(2026, 12, 2)


def test_starting_copies_the_latest_views_from_the_record_and_starting_again_gives_the_same_request(
    world: World,
) -> None:
    plan_factories.plan(world.p1, parent_contribution="We are worried about reading.")
    first = factories.started(world.p1)
    assert first.child_views == "I like school when it is calm (1)."
    assert first.parent_views == "We are worried about reading."
    assert factories.started(world.p1).pk == first.pk  # a double click starts one request
    assert PreparedRequest.objects.filter(pupil=world.p1).count() == 1


def test_a_stale_save_is_refused_and_changes_nothing(world: World) -> None:
    prepared = factories.started(world.p1)
    services.update_details(
        actor=factories.ACTOR, prepared=prepared, values={"parental_responsibility": "Rosa One"}, expected_version=1
    )
    with pytest.raises(StaleEditError):
        services.update_details(
            actor=factories.ACTOR, prepared=prepared, values={"parental_responsibility": "Someone else"},
            expected_version=1,
        )  # fmt: skip
    prepared.refresh_from_db()
    assert (prepared.parental_responsibility, prepared.version) == ("Rosa One", 2)


def test_what_is_missing_is_said_in_words(world: World) -> None:
    prepared = factories.started(world.p1)
    assert services.missing_for_submission(prepared, TODAY) == [
        "Enter the people with parental responsibility.",
        "Say what support the child needs beyond ordinarily available provision.",
        "Record who consented to the request, and when.",
    ]
    ready = factories.ready(world.p1, TODAY)
    assert services.missing_for_submission(ready, TODAY) == []
    # Paul was born in 2016: he cannot consent for himself.
    young = factories.ready(world.p2, TODAY, consent_by="young_person")
    assert services.missing_for_submission(young, TODAY) == [
        "The young person was under 16 when consent was given: a parent must consent."
    ]


def test_submitting_starts_the_las_case_keeps_what_was_sent_and_asks_for_the_bundle_once_committed(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = factories.DUMMY_TASKS
    prepared = factories.ready(world.p1, TODAY)
    with django_capture_on_commit_callbacks() as callbacks:
        case = services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY)
        assert factories.queued_builds() == []  # nothing is queued before the sending commits
    assert (case.local_authority, case.received_on, case.source, case.requesting_setting, case.stage) == (
        world.la_north, TODAY, RequestSource.EDUCATION_SETTING, world.setting_a, Stage.RECEIVED,
    )  # fmt: skip
    assert case.deadlines.decision_to_assess == date(2027, 1, 13)  # 6 weeks
    prepared.refresh_from_db()
    assert (prepared.case, prepared.submitted_on, prepared.bundle_status, prepared.bundle.name) == (
        case, TODAY, BundleStatus.BUILDING, "",
    )  # fmt: skip
    assert prepared.bundle_attempts == 1 and prepared.bundle_status_at is not None
    # What was sent is kept, drawn from the record on the day it was sent.
    assert prepared.sent_content.outline["subtitle"] == "From Ash Primary School, submitted 2 December 2026"
    assert prepared.sent_content.outline["produced_on"] == "2026-12-02"
    assert AuditEvent.objects.filter(object_type="assessment_requests.preparedrequest", action="change").exists()
    for callback in callbacks:
        callback()
    assert factories.queued_builds() == [prepared.pk]


def test_a_second_submission_or_a_change_after_it_is_refused(world: World) -> None:
    prepared = factories.ready(world.p1, TODAY)
    version = prepared.version
    services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=version, on=TODAY)
    with pytest.raises(services.RequestError, match="submitted on 2 December 2026"):
        services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=version, on=TODAY)
    with pytest.raises(services.RequestError, match="cannot change now"):
        services.update_details(
            actor=factories.ACTOR, prepared=prepared, values={"parent_views": "x"}, expected_version=version + 1
        )
    assert EHCRequest.objects.filter(pupil=world.p1).count() == 1
    # A new request can be prepared once one has been sent (e.g. after a refusal).
    assert factories.started(world.p1).pk != prepared.pk


def test_an_incomplete_request_or_one_the_la_cannot_take_is_refused_with_nothing_saved(world: World) -> None:
    incomplete = factories.started(world.p2)
    with pytest.raises(services.RequestError, match="parental responsibility"):
        services.submit(actor=factories.ACTOR, prepared=incomplete, expected_version=1, on=TODAY)
    # The LA already has an open request for Priya (from her parents).
    ehc_factories.received(world.p1, on=TODAY - timedelta(days=10))
    prepared = factories.ready(world.p1, TODAY)
    with pytest.raises(services.RequestError, match="already has an open request"):
        services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY)
    prepared.refresh_from_db()
    assert (prepared.submitted_on, prepared.case, prepared.bundle.name, prepared.bundle_status) == (None, None, "", "")
    assert not SentContent.objects.exists()
    assert EHCRequest.objects.filter(pupil=world.p1).count() == 1
