from datetime import date, timedelta

import pytest

from graduated.assessment_requests import services
from graduated.assessment_requests.models import PreparedRequest
from graduated.assessment_requests.tests import factories
from graduated.audit.models import AuditEvent
from graduated.ehc.models import EHCRequest, RequestSource, Stage
from graduated.ehc.tests import factories as ehc_factories
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.statutory.tests import factories as plan_factories

TODAY = date(2026, 12, 2)
PDF = b"%PDF-1.7 a bundle"


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


def test_submitting_starts_the_las_case_from_the_setting_and_keeps_the_bundle(world: World) -> None:
    prepared = factories.ready(world.p1, TODAY)
    case = services.submit(
        actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY, bundle_pdf=PDF
    )
    assert (case.local_authority, case.received_on, case.source, case.requesting_setting, case.stage) == (
        world.la_north, TODAY, RequestSource.EDUCATION_SETTING, world.setting_a, Stage.RECEIVED,
    )  # fmt: skip
    assert case.deadlines.decision_to_assess == date(2027, 1, 13)  # 6 weeks
    prepared.refresh_from_db()
    assert (prepared.case, prepared.submitted_on) == (case, TODAY)
    with prepared.bundle.open("rb") as handle:
        assert handle.read() == PDF
    assert AuditEvent.objects.filter(object_type="assessment_requests.preparedrequest", action="change").exists()


def test_a_second_submission_or_a_change_after_it_is_refused(world: World) -> None:
    prepared = factories.ready(world.p1, TODAY)
    version = prepared.version
    services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=version, on=TODAY, bundle_pdf=PDF)
    with pytest.raises(services.RequestError, match="submitted on 2 December 2026"):
        services.submit(actor=factories.ACTOR, prepared=prepared, expected_version=version, on=TODAY, bundle_pdf=PDF)
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
        services.submit(actor=factories.ACTOR, prepared=incomplete, expected_version=1, on=TODAY, bundle_pdf=PDF)
    # The LA already has an open request for Priya (from her parents).
    ehc_factories.received(world.p1, on=TODAY - timedelta(days=10))
    prepared = factories.ready(world.p1, TODAY)
    with pytest.raises(services.RequestError, match="already has an open request"):
        services.submit(
            actor=factories.ACTOR, prepared=prepared, expected_version=prepared.version, on=TODAY, bundle_pdf=PDF
        )
    prepared.refresh_from_db()
    assert (prepared.submitted_on, prepared.case, prepared.bundle.name) == (None, None, "")
    assert EHCRequest.objects.filter(pupil=world.p1).count() == 1
