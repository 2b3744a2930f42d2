"""A small Northshire whose dashboard figures are worked out by hand (see test_figures.py), and a
bigger one for the query counts. Everything goes through the services, as the SENCOs and officers
would type it, on days before TODAY (3 December 2026: the autumn term of 2026/27)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from graduated.audit.services import Actor
from graduated.ehc import services as ehc_services
from graduated.ehc.models import EHCRequest, RequestSource
from graduated.lib.testing import World, make_pupil
from graduated.meetings import services as meeting_services
from graduated.meetings.models import AttendeeKind, MeetingKind
from graduated.organisations.models import Phase, Setting
from graduated.oversight.models import SettingArea
from graduated.provision import services as provision_services
from graduated.provision.models import CatalogueItem, StaffCost
from graduated.provision.tests.factories import catalogue_item
from graduated.pupils import services as pupil_services
from graduated.pupils.models import Enrolment, Pupil
from graduated.support import reviews
from graduated.support import services as support_services
from graduated.support.models import Cycle, Provision
from graduated.support.tests.factories import agreed_cycle, draft_cycle

TODAY = date(2026, 12, 3)
ACTOR = Actor.system("test")


@dataclass
class Northshire:
    world: World
    ezra: Pupil  # Ash, EHC plan, autism, Year 2
    nia: Pupil  # Ash, SEN support, NSA, a cycle without outcomes
    omar: Pupil  # Beech, no SEN
    talk_boost: CatalogueItem  # the LA's, adopted by Ash
    precision: CatalogueItem  # the LA's, adopted by nobody
    p1_cycle: Cycle
    p1_talk_boost: Provision


def need(pupil: Pupil, sen_type: str) -> None:
    pupil_services.record_need(actor=ACTOR, pupil=pupil, sen_type=sen_type, rank=1, start_date=date(2024, 1, 8))


def parent_meeting(pupil: Pupil, on: date, *, parent: bool = True) -> None:
    people = [meeting_services.AttendeeData(AttendeeKind.STAFF, "Sam Senco", "SENCO")]
    if parent:
        people.append(meeting_services.AttendeeData(AttendeeKind.PARENT, "Pam Parent", "Mother"))
    meeting_services.record_meeting(
        actor=ACTOR, pupil=pupil, kind=MeetingKind.PARENT if parent else MeetingKind.PROFESSIONALS, held_on=on,
        discussed=f"Progress on {on:%-d %B}", attendees=people,
    )  # fmt: skip


def log(provision: Provision, on: date, status: str = "delivered") -> None:
    reason = "pupil_absent" if status == "missed" else ""
    reviews.log_delivery(actor=ACTOR, provision=provision, on=on, status=status, missed_reason=reason)


def settle_lines() -> None:
    """As if the dashboard had last synced its register lines well after the scenario's changes
    (made seconds ago, so inside the sync's margin): the pages then read as on any later day."""
    from datetime import timedelta

    from django.utils import timezone

    from graduated.oversight.models import LineSync
    from graduated.oversight.register_lines import SYNC_MARGIN

    LineSync.objects.update(synced_at=timezone.now() + SYNC_MARGIN + timedelta(minutes=1))


def build(world: World) -> Northshire:
    """The hand-worked Northshire: Ash (primary, area "North Vale") and Beech (secondary, "Coastal").

    Ash: P1 (K, SLCN), P2 (N), Ezra (E, ASD), Nia (K, NSA). Beech: P3 (K, ASD), Omar (N); Lola (K) left.
    """
    a, b = world.setting_a, world.setting_b
    SettingArea.objects.create(setting=a, area="North Vale")
    SettingArea.objects.create(setting=b, area="Coastal")
    ezra = make_pupil(a, "Ezra", "Plan", sen_status="E", date_of_birth=date(2019, 10, 1))
    nia = make_pupil(a, "Nia", "Nought", sen_status="K")
    omar = make_pupil(b, "Omar", "Other")
    lola = make_pupil(b, "Lola", "Left", sen_status="K")
    Enrolment.objects.filter(pupil=lola).update(end_date=date(2024, 7, 19))
    for pupil, sen_type in [(world.p1, "SLCN"), (ezra, "ASD"), (nia, "NSA"), (world.p3, "ASD"), (world.p4, "SLCN")]:
        need(pupil, sen_type)

    # APDR: P1's plan is agreed and its review (2 December 2024) is overdue; the TA read it, the
    # class teacher has not. Nia's cycle has no outcome and no review date. P3 has no cycle.
    p1_cycle = agreed_cycle(world.p1)
    reviews.acknowledge_plan(actor=Actor(world.ta_a), cycle=p1_cycle)
    draft_cycle(nia, outcomes=0)

    # The LA's interventions: Ash adopts Talk Boost; P1 has it from 7 September 2026 for its 10 weeks.
    talk_boost = catalogue_item(world.la_north, "Talk boost", areas=["CI"])
    precision = catalogue_item(world.la_north, "Precision teaching")
    ash_talk_boost = provision_services.adopt_item(actor=ACTOR, setting=a, shared=talk_boost)
    StaffCost.objects.create(setting=a, role="teaching_assistant", hourly_cost=Decimal("20.00"))
    p1_cycle.refresh_from_db()
    p1_talk_boost = support_services.save_provision(
        actor=ACTOR, cycle=p1_cycle, expected_version=p1_cycle.version,
        data={"catalogue_item": ash_talk_boost, "kind": "intervention", "description": "Talk Boost",
              "staff_role": "teaching_assistant", "starts_on": date(2026, 9, 7)},
    )  # fmt: skip
    # Sessions: this term 3 delivered and 1 missed of Talk Boost; last summer 2 of the other provision.
    for day in (8, 9, 10):
        log(p1_talk_boost, date(2026, 9, day))
    log(p1_talk_boost, date(2026, 9, 11), "missed")
    [first] = Provision.objects.filter(cycle=p1_cycle, catalogue_item__isnull=True)
    log(first, date(2026, 6, 2))
    log(first, date(2026, 6, 3))

    # Meetings this year: P1 two with a parent (and one without), Nia none, P3 three.
    parent_meeting(world.p1, date(2026, 9, 21))
    parent_meeting(world.p1, date(2026, 11, 2))
    parent_meeting(world.p1, date(2026, 11, 9), parent=False)
    for day in (date(2026, 9, 22), date(2026, 10, 13), date(2026, 11, 17)):
        parent_meeting(world.p3, day)
    parent_meeting(nia, date(2026, 6, 15))  # last year's: does not count this year

    # Requests: Ash asked for Ezra (waiting); Nia's parent asked and the LA will not assess; P3's
    # parent asked last June (last academic year).
    ehc_services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=ezra, received_on=date(2026, 9, 14),
        source=RequestSource.EDUCATION_SETTING, requested_by="Sam Senco", requesting_setting=a,
    )  # fmt: skip
    nia_request = ehc_services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=nia, received_on=date(2026, 10, 5),
        source=RequestSource.PARENT_OR_YOUNG_PERSON, requested_by="Nia's mother",
    )  # fmt: skip
    ehc_services.decide_whether_to_assess(
        actor=ACTOR, request=nia_request, to_assess=False, decided_on=date(2026, 11, 10),
        reasons="Needs can be met from the setting's resources.", expected_version=nia_request.version,
    )  # fmt: skip
    ehc_services.receive_request(
        actor=ACTOR, la=world.la_north, pupil=world.p3, received_on=date(2026, 6, 1),
        source=RequestSource.PARENT_OR_YOUNG_PERSON, requested_by="Petra's father",
    )  # fmt: skip
    return Northshire(world, ezra, nia, omar, talk_boost, precision, p1_cycle, p1_talk_boost)


def grow(world: World, settings: int, pupils: int) -> list[Setting]:
    """``settings`` more Northshire settings of ``pupils`` pupils each, with the same mix of
    history as the hand-worked ones: a plan, meetings, sessions and a request for every third pupil."""
    made = []
    talk_boost = catalogue_item(world.la_north, f"Shared item {settings}x{pupils}")
    for n in range(settings):
        setting = Setting.objects.create(
            name=f"Grown School {n}", urn=f"3{settings:02d}{n:03d}", phase=Phase.PRIMARY if n % 2 else Phase.SECONDARY,
            local_authority=world.la_north,
        )  # fmt: skip
        SettingArea.objects.create(setting=setting, area=f"Area {n % 3}")
        copy = provision_services.adopt_item(actor=ACTOR, setting=setting, shared=talk_boost)
        for i in range(pupils):
            pupil = make_pupil(setting, f"Pupil{i}", f"School{n}", sen_status="K" if i % 3 else "E")
            need(pupil, "NSA" if i % 3 and i % 2 else "SEMH")
            if i % 3:
                cycle = agreed_cycle(pupil)
                cycle.refresh_from_db()
                provision = support_services.save_provision(
                    actor=ACTOR, cycle=cycle, expected_version=cycle.version,
                    data={"catalogue_item": copy, "kind": "intervention", "description": "Talk Boost",
                          "starts_on": date(2026, 9, 7)},
                )  # fmt: skip
                for day in range(8, 8 + i % 4):
                    log(provision, date(2026, 9, day))
                parent_meeting(pupil, date(2026, 10, 1) + timedelta(days=i))
            else:
                ehc_services.receive_request(
                    actor=ACTOR, la=world.la_north, pupil=pupil, received_on=date(2026, 9, 14),
                    source=RequestSource.EDUCATION_SETTING, requested_by="SENCO", requesting_setting=setting,
                )  # fmt: skip
        made.append(setting)
    return made


def cases_of(world: World) -> list[EHCRequest]:
    return list(EHCRequest.objects.filter(local_authority=world.la_north).order_by("received_on", "pk"))
