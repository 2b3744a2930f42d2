"""The rules of referrals, whatever the caller: dates in order, consent before referral and from
the right person, recommendations linked only to the pupil's own provision, stale edits refused."""

import re
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from graduated.audit.models import AuditAction, AuditEvent
from graduated.lib.testing import World, make_pupil
from graduated.lib.versioning import StaleEditError
from graduated.pupils.models import ChronologyEntry, ChronologyKind
from graduated.specialists import services
from graduated.specialists.models import RecommendationStatus, Referral, ReferralStatus
from graduated.specialists.tests.factories import (
    ACTOR,
    recommendation,
    referral,
    seen_referral,
    service,
    service_details,
)
from graduated.support.tests.factories import draft_cycle


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"accepted_on": date(2025, 1, 5)}, "date accepted must be on or after the date of referral (6 January 2025)"),
        ({"seen_on": date(2024, 12, 31)}, "date seen must be on or after the date of referral"),
        ({"report_received_on": date(2025, 1, 1)}, "date the report was received must be on or after"),
        ({"referred_on": None, "seen_on": date(2025, 2, 1)}, "Enter the date of referral before the date seen"),
        ({"consent_by": "not_yet", "consent_on": None}, "Record consent before the date of referral"),
        ({"consent_on": date(2025, 1, 7)}, "Consent must be given on or before the date of referral"),
        ({"consent_on": None}, "Enter the date consent was given"),
        ({"consent_by": "young_person"}, "Priya was 8 on 16 December 2024: a parent or carer gives consent"),
    ],
)
def test_a_referral_out_of_order_or_without_consent_is_refused(world: World, changes: dict, message: str) -> None:
    with pytest.raises(services.ReferralError, match=re.escape(message)):
        referral(world.p1, **changes)
    assert not Referral.objects.exists()


def test_the_database_refuses_dates_out_of_order_and_referral_without_consent(world: World) -> None:
    made = referral(world.p1)
    for changes in ({"seen_on": date(2025, 1, 1)}, {"consent_by": "not_yet", "consent_on": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Referral.objects.filter(pk=made.pk).update(**changes)


def test_a_referral_waits_for_consent_then_is_referred_and_its_status_follows_the_dates(world: World) -> None:
    made = referral(world.p1, consent_by="not_yet", consent_on=None, referred_on=None)
    assert made.status == ReferralStatus.NOT_REFERRED and made.waiting_days(date(2025, 2, 1)) is None
    steps = [
        ({"consent_by": "parent", "consent_on": date(2025, 1, 2), "referred_on": date(2025, 1, 6)}, "waiting", 26),
        ({"accepted_on": date(2025, 1, 20)}, "accepted", 26),
        ({"seen_on": date(2025, 1, 27)}, "seen", 21),
        ({"report_received_on": date(2025, 2, 24), "advice": "Short, frequent practice."}, "report_received", 21),
    ]
    details = {name: getattr(made, name) for name in services.REFERRAL_FIELDS}
    for changes, status, waited in steps:
        details |= changes
        made = services.update_referral(actor=ACTOR, referral=made, details=details, expected_version=made.version)
        # The wait runs to today (1 February) until the pupil is seen, then stops at the day seen.
        assert (made.status, made.waiting_days(date(2025, 2, 1))) == (status, waited)
    assert made.version == 5
    assert AuditEvent.objects.filter(object_type="specialists.referral", action=AuditAction.CHANGE).count() == 4
    # The pupil's story gains the referral and the report, each on the day it happened, once.
    story = ChronologyEntry.objects.filter(
        pupil=world.p1, kind__in=[ChronologyKind.REFERRAL_MADE, ChronologyKind.SPECIALIST_REPORT_RECEIVED]
    )
    assert sorted((entry.kind, entry.occurred_on) for entry in story) == [
        (ChronologyKind.REFERRAL_MADE, date(2025, 1, 6)),
        (ChronologyKind.SPECIALIST_REPORT_RECEIVED, date(2025, 2, 24)),
    ]


def test_a_young_person_of_16_consents_for_themselves_and_a_parent_no_longer_does(world: World) -> None:
    student = make_pupil(world.setting_b, "Sasha", "Sixteen", date_of_birth=date(2008, 10, 1))
    birthday, day_before = date(2024, 10, 1), date(2024, 9, 30)
    made = referral(student, consent_by="young_person", consent_on=birthday, referred_on=birthday)
    assert made.consent_by == "young_person"
    with pytest.raises(services.ReferralError, match="Sasha was 16 on 1 October 2024: from 16 a young person gives"):
        referral(student, consent_by="parent", consent_on=birthday, referred_on=birthday)
    with pytest.raises(services.ReferralError, match="Sasha was 15 on 30 September 2024"):
        referral(student, consent_by="young_person", consent_on=day_before, referred_on=birthday)
    assert referral(student, consent_by="parent", consent_on=day_before, referred_on=birthday).consent_by == "parent"


def test_only_a_service_of_the_settings_own_la_and_listed_can_be_referred_to(world: World) -> None:
    southern = service(world.la_south, "Southern Therapy")
    with pytest.raises(services.ReferralError, match="your local authority's directory"):
        referral(world.p1, southern)
    unlisted = service(world.la_north, "Closed Service", is_active=False)
    with pytest.raises(services.ReferralError, match="your local authority's directory"):
        referral(world.p1, unlisted)


def test_a_recommendation_needs_the_pupil_seen_or_the_report(world: World) -> None:
    waiting = referral(world.p1)
    with pytest.raises(services.ReferralError, match="before adding the service's recommendations"):
        services.add_recommendation(actor=ACTOR, referral=waiting, text="Use a visual timetable.")
    seen = seen_referral(world.p1)
    services.add_recommendation(actor=ACTOR, referral=seen, text="Use a visual timetable.")
    details = {name: getattr(seen, name) for name in services.REFERRAL_FIELDS} | {"seen_on": None}
    with pytest.raises(services.ReferralError, match="This referral has recommendations"):
        services.update_referral(actor=ACTOR, referral=seen, details=details, expected_version=seen.version)


def _decide(rec, **changes):  # type: ignore[no-untyped-def]
    arguments = {
        "actor": ACTOR, "recommendation": rec, "put_in_place": True, "provision": None, "reason": "",
        "decided_on": date(2025, 3, 10), "expected_version": rec.version, **changes,
    }  # fmt: skip
    return services.decide_recommendation(**arguments)


def test_a_recommendation_links_only_to_the_pupils_own_provision(world: World) -> None:
    rec = recommendation(world.p1)
    others = draft_cycle(world.p2).provisions.get()
    with pytest.raises(services.ReferralError, match="Choose one of Priya's own provisions"):
        _decide(rec, provision=others)
    with pytest.raises(services.ReferralError, match="Choose the provision in the plan"):
        _decide(rec)
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.NOT_CONSIDERED and rec.version == 1
    own = draft_cycle(world.p1).provisions.get()
    decided = _decide(rec, provision=own)
    assert (decided.status, decided.provision, decided.decided_on) == ("put_in_place", own, date(2025, 3, 10))


def test_a_recommendation_not_put_in_place_needs_its_reason(world: World) -> None:
    rec = recommendation(world.p1)
    with pytest.raises(services.ReferralError, match="Enter why the recommendation was not put in place"):
        _decide(rec, put_in_place=False, reason="  ")
    with pytest.raises(services.ReferralError, match="on or after the date of referral"):
        _decide(rec, put_in_place=False, reason="No room", decided_on=date(2025, 1, 1))
    decided = _decide(rec, put_in_place=False, reason="No staff free at lunchtime.")
    assert (decided.status, decided.provision, decided.reason_not_in_place) == (
        "not_put_in_place", None, "No staff free at lunchtime.",
    )  # fmt: skip


def test_stale_edits_are_refused_and_change_nothing(world: World) -> None:
    made = referral(world.p1)
    details = {name: getattr(made, name) for name in services.REFERRAL_FIELDS}
    services.update_referral(
        actor=ACTOR, referral=made, details=details | {"advice": "First"}, expected_version=made.version
    )
    with pytest.raises(StaleEditError, match="Someone else changed this referral"):
        services.update_referral(actor=ACTOR, referral=made, details=details | {"advice": "Second"}, expected_version=1)
    made.refresh_from_db()
    assert (made.advice, made.version) == ("First", 2)

    entry = service(world.la_north)
    services.update_service(actor=ACTOR, service=entry, details=service_details(offer="New offer"), expected_version=1)
    with pytest.raises(StaleEditError, match="Someone else changed this service"):
        services.update_service(actor=ACTOR, service=entry, details=service_details(offer="Lost"), expected_version=1)
    entry.refresh_from_db()
    assert (entry.offer, entry.version) == ("New offer", 2)

    rec = recommendation(world.p1)
    _decide(rec, put_in_place=False, reason="Not now")
    with pytest.raises(StaleEditError):
        _decide(rec, put_in_place=False, reason="Later", expected_version=1)


def test_a_directory_refuses_a_second_service_of_the_same_name_and_one_serving_no_phase(world: World) -> None:
    service(world.la_north, "Hearing Support")
    with pytest.raises(services.ReferralError, match="already has a service called hearing support"):
        services.add_service(actor=ACTOR, la=world.la_north, details=service_details("hearing support"))
    no_phase = service_details("Nobody's Service", serves_primary=False, serves_secondary=False)
    with pytest.raises(services.ReferralError, match="at least one phase"):
        services.add_service(actor=ACTOR, la=world.la_north, details=no_phase)
    # Another LA may use the same name.
    assert service(world.la_south, "Hearing Support").local_authority == world.la_south


def test_each_change_writes_one_audit_event_naming_the_pupil(world: World) -> None:
    to = service(world.la_north)
    before = AuditEvent.objects.count()
    made = referral(world.p1, to, referred_on=date(2025, 1, 6))
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.pupil_id, event.object_id) == (AuditAction.CREATE, world.p1.pk, str(made.pk))
    rec = services.add_recommendation(actor=ACTOR, referral=seen_referral(world.p1, to), text="Visual timetable")
    before = AuditEvent.objects.count()
    _decide(rec, put_in_place=False, reason="Not now")
    assert AuditEvent.objects.count() == before + 1
