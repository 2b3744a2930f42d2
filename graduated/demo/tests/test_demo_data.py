import itertools
from collections import Counter
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction

from graduated.accounts.models import User
from graduated.audit.models import AuditEvent
from graduated.demo import data
from graduated.ehc.transfers import transfer_for_pupil
from graduated.organisations.models import LocalAuthority, Membership, Phase, Setting
from graduated.pupils import services
from graduated.pupils.identifiers import validate_upn
from graduated.pupils.models import (
    ChronologyEntry,
    Enrolment,
    Need,
    Pupil,
    SENStatusPeriod,
    StaffLink,
)
from graduated.pupils.year_groups import year_group_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)
# Year groups (2026/27) that each phase may hold.
YEAR_GROUPS = {
    Phase.EARLY_YEARS: range(-2, 0),
    Phase.PRIMARY: range(0, 7),
    Phase.SECONDARY: range(7, 14),
    Phase.FURTHER_EDUCATION: range(12, 15),
}


@pytest.fixture(autouse=True)
def _default_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def load(**options: Any) -> str:
    out = StringIO()
    call_command("load_demo", "--create-demo-accounts-with-known-passwords", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [LocalAuthority, Setting, User, Membership, Pupil, Enrolment, SENStatusPeriod, Need]
    models += [StaffLink, ChronologyEntry, AuditEvent]
    return {model.__name__: model.objects.count() for model in models}


def snapshot() -> list[tuple[Any, ...]]:
    """What a pupil's record holds, without database ids: equal for equal demo data."""
    rows = []
    for pupil in Pupil.objects.prefetch_related("sen_statuses", "needs", "enrolments__setting"):
        statuses = sorted((s.status, s.start_date, s.end_date, s.reason) for s in pupil.sen_statuses.all())
        needs = sorted((n.sen_type, n.rank, n.start_date, n.end_date) for n in pupil.needs.all())
        enrolments = sorted((e.setting.urn, e.start_date) for e in pupil.enrolments.all())
        details = (pupil.upn or "", pupil.legal_first_name, pupil.legal_last_name)
        details += (pupil.preferred_first_name, pupil.date_of_birth, pupil.sex)
        rows.append((*details, tuple(statuses), tuple(needs), tuple(enrolments)))
    return sorted(rows)


def test_loads_the_demo_world() -> None:
    output = load()

    assert "Demo data loaded." in output
    assert "pupils: 300" in output
    assert LocalAuthority.objects.count() == 2
    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"860", "931"}
    north, south = LocalAuthority.objects.get(code="860"), LocalAuthority.objects.get(code="931")
    assert sorted(Setting.objects.filter(local_authority=north).values_list("phase", flat=True)) == sorted(
        [Phase.EARLY_YEARS, Phase.PRIMARY, Phase.SECONDARY, Phase.FURTHER_EDUCATION]
    )
    assert list(Setting.objects.filter(local_authority=south).values_list("phase", flat=True)) == [Phase.PRIMARY]
    assert all(len(urn) == 6 for urn in Setting.objects.values_list("urn", flat=True))

    pupils = Pupil.objects.count()
    assert 270 <= pupils <= 330
    current = Counter(SENStatusPeriod.objects.current().values_list("status", flat=True))
    assert 0.13 <= (current["K"] + current["E"]) / pupils <= 0.19
    assert 0.02 <= current["E"] / pupils <= 0.03
    assert Pupil.objects.exclude(home_local_authority=None).count() == pupils
    assert Pupil.objects.filter(home_local_authority=south, enrolments__setting__local_authority=north).exists()


def test_pupils_are_enrolled_today_in_a_year_group_that_fits_the_phase() -> None:
    load()
    for setting in Setting.objects.all():
        enrolled = list(Pupil.objects.enrolled_in(setting, on=TODAY))
        assert enrolled
        allowed = YEAR_GROUPS[Phase(setting.phase)]
        assert {pupil.year_group(on=TODAY) for pupil in enrolled} <= set(allowed), setting.name
    assert Pupil.objects.enrolled_in(Setting.objects.get(phase=Phase.SECONDARY), on=TODAY).count() >= 100
    assert Enrolment.objects.current(on=TODAY).count() == Pupil.objects.count()
    for enrolment in Enrolment.objects.select_related("pupil"):
        assert enrolment.pupil.date_of_birth < enrolment.start_date <= TODAY
    early_years = Pupil.objects.enrolled_in(Setting.objects.get(phase=Phase.EARLY_YEARS), on=TODAY)
    for child in early_years:
        age = (TODAY - child.date_of_birth).days / 365.25
        assert 2 <= age < 5


def test_settings_have_age_ranges_that_hold_their_year_groups_and_give_the_phase_transfers() -> None:
    load()
    ranges = {s.name: (s.statutory_low_age, s.statutory_high_age) for s in Setting.objects.all()}
    assert ranges == {
        "Little Wrens Day Nursery": (0, 5), "Millbeck Primary School": (4, 11), "Ravensmoor Academy": (11, 18),
        "Northshire College of Further Education": (16, 99), "Tidewell Primary School": (4, 11),
    }  # fmt: skip
    expected = {  # what each setting's pupils, by year group, transfer to next September
        Phase.EARLY_YEARS: {-1: "Early years to school"},
        Phase.PRIMARY: {6: "Primary to secondary"},
        Phase.SECONDARY: {},  # 11–18: Year 11 stay on in the sixth form
        Phase.FURTHER_EDUCATION: {},
    }
    for setting in Setting.objects.all():
        assert setting.statutory_low_age is not None and setting.statutory_high_age is not None
        first, last = setting.statutory_low_age - 4, min(setting.statutory_high_age - 5, 14)
        for pupil in Pupil.objects.enrolled_in(setting, on=TODAY):
            year = pupil.year_group(on=TODAY)
            assert first <= year <= last, (setting.name, year)
            transfer = transfer_for_pupil(pupil, TODAY)
            assert (transfer.label if transfer else None) == expected[Phase(setting.phase)].get(year), pupil


def test_every_pupil_has_one_current_status_and_valid_identifiers() -> None:
    load()
    assert Counter(SENStatusPeriod.objects.current().values_list("pupil_id", flat=True)) == Counter(
        {pk: 1 for pk in Pupil.objects.values_list("pk", flat=True)}
    )
    upns = list(Pupil.objects.exclude(upn=None).values_list("upn", flat=True))
    for upn in upns:
        validate_upn(upn)
        assert upn[1:4] in {"860", "931"}
    assert len(upns) == len(set(upns))
    without_upn = Pupil.objects.filter(upn=None)
    assert without_upn.exists()
    assert not without_upn.exclude(enrolments__setting__phase=Phase.EARLY_YEARS).exists()
    assert set(Pupil.objects.values_list("sex", flat=True)) == {"F", "M"}


def test_needs_follow_the_census_rules_and_the_national_pattern() -> None:
    load()
    register = Pupil.objects.filter(sen_statuses__end_date=None, sen_statuses__status__in=["K", "E"])
    for pupil in register:
        ranks = sorted(need.rank for need in pupil.needs.current())
        assert ranks in ([1], [1, 2]), pupil
    assert not Need.objects.current().exclude(pupil__in=register).exists()
    # NSA only with SEN support, never with an EHC plan, and never as a second need.
    with_plan = register.filter(sen_statuses__status="E")
    assert not Need.objects.filter(pupil__in=with_plan, sen_type="NSA").exists()
    assert not Need.objects.filter(sen_type="NSA", rank=2).exists()
    second = Need.objects.current().filter(rank=2).count()
    assert 0.2 <= second / register.count() <= 0.45
    for need in Need.objects.current().filter(rank=2):
        assert need.sen_type != need.pupil.needs.current().get(rank=1).sen_type

    support = Counter(
        Need.objects.current()
        .filter(rank=1, pupil__sen_statuses__end_date=None, pupil__sen_statuses__status="K")
        .values_list("sen_type", flat=True)
    )
    plans = Counter(Need.objects.current().filter(rank=1, pupil__in=with_plan).values_list("sen_type", flat=True))
    assert support.most_common(1)[0][0] == "SLCN"
    assert plans.most_common(1)[0][0] == "ASD"


def test_histories_go_through_the_services() -> None:
    load()
    histories = Counter()
    for pupil in Pupil.objects.prefetch_related("sen_statuses"):
        periods = sorted(pupil.sen_statuses.all(), key=lambda period: period.start_date)
        histories["".join(period.status for period in periods)] += 1
        for earlier, later in itertools.pairwise(periods):
            assert earlier.end_date is not None and earlier.end_date < later.start_date
        if len(periods) > 1:
            assert date(2024, 1, 1) <= periods[1].start_date <= TODAY
    assert histories["NKE"] >= 3
    assert histories["NKN"] >= 3
    assert histories["NE"] >= 1
    removed = SENStatusPeriod.objects.filter(status="N", end_date=None).exclude(reason="")
    assert removed.count() == histories["NKN"]
    # Needs ended and replaced by another primary need while the pupil stayed on SEN support.
    replaced = Need.objects.filter(rank=1, pupil__needs__rank=1, pupil__needs__end_date=None)
    replaced = replaced.exclude(end_date=None).filter(
        pupil__sen_statuses__status="K", pupil__sen_statuses__end_date=None
    )
    assert replaced.count() >= 3

    changes = SENStatusPeriod.objects.count() - Pupil.objects.count()
    assert ChronologyEntry.objects.filter(kind="status_changed").count() == changes
    assert ChronologyEntry.objects.filter(kind="enrolled").count() == Pupil.objects.count()
    assert ChronologyEntry.objects.filter(kind="need_recorded").count() == Need.objects.count()
    assert ChronologyEntry.objects.filter(kind="need_ended").count() == Need.objects.exclude(end_date=None).count()
    sencos = set(User.objects.filter(memberships__role="senco").values_list("pk", flat=True))
    # The base histories are the SENCOs' work; feature demos add entries by linked staff too.
    base_kinds = ["enrolled", "status_changed", "need_recorded", "need_ended"]
    assert set(ChronologyEntry.objects.filter(kind__in=base_kinds).values_list("recorded_by", flat=True)) <= sencos
    assert AuditEvent.objects.filter(object_type="pupils.pupil", actor_role="senco").count() == Pupil.objects.count()


def test_every_demo_account_signs_in_with_the_demo_password() -> None:
    load()
    # The staff accounts; feature demos add others (the professionals demo's educational psychologist).
    assert len(data.DEMO_ACCOUNTS) == User.objects.filter(memberships__isnull=False).distinct().count() + 1 == 12
    for email, _role, _organisation in data.DEMO_ACCOUNTS:
        assert email.endswith("@example.org")
        user = authenticate(username=email, password=data.DEMO_PASSWORD)
        assert user is not None, email
    admin = User.objects.get(email="platform.admin@example.org")
    assert admin.is_superuser and admin.is_staff and not admin.memberships.exists()
    assert not User.objects.exclude(pk=admin.pk).filter(is_staff=True).exists()
    roles = {(m.user.email, m.role) for m in Membership.objects.select_related("user")}
    assert ("senco.primary@example.org", "senco") in roles
    assert ("senco.south@example.org", "senco") in roles
    assert ("admin.north@example.org", "la_admin") in roles
    assert ("head.primary@example.org", "senior_leader") in roles
    organisations = {account.organisation for account in data.DEMO_ACCOUNTS}
    assert set(Setting.objects.values_list("name", flat=True)) <= organisations


def test_the_primary_teacher_and_ta_have_pupils_on_the_register() -> None:
    load()
    for email in ["teacher.primary@example.org", "ta.primary@example.org"]:
        links = StaffLink.objects.filter(user__email=email)
        on_register = links.filter(pupil__sen_statuses__end_date=None, pupil__sen_statuses__status__in=["K", "E"])
        assert on_register.count() >= 3, email
        assert set(links.values_list("setting__phase", flat=True)) == {Phase.PRIMARY}


def test_a_second_run_changes_nothing() -> None:
    load()
    before = counts()
    assert load().strip() == "Demo data already loaded."
    assert counts() == before


def test_the_database_holds_what_the_plan_says() -> None:
    plan = data.build_plan()
    load()
    planned = sorted(
        (p.legal_first_name, p.legal_last_name, p.upn or "", p.final_status, p.primary_need) for p in plan.pupils
    )
    stored = []
    for pupil in Pupil.objects.all():
        status = pupil.sen_statuses.current().get().status
        primary = pupil.needs.current().filter(rank=1).first()
        need = primary.sen_type if primary else ""
        stored.append((pupil.legal_first_name, pupil.legal_last_name, pupil.upn or "", status, need))
    assert sorted(stored) == planned
    for pupil_plan in plan.pupils:
        assert year_group_for(pupil_plan.date_of_birth, TODAY) == pupil_plan.year_group


def test_the_data_is_the_same_every_time() -> None:
    assert data.build_plan() == data.build_plan()
    with transaction.atomic():
        load()
        first = snapshot()
        transaction.set_rollback(True)
    assert Pupil.objects.count() == 0
    load()
    assert snapshot() == first


def test_a_failed_run_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "link_staff", fail)
    with pytest.raises(RuntimeError):
        load()
    assert all(count == 0 for count in counts().values())


def test_the_password_can_be_chosen_and_must_be_strong(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError, match="too short"):
        load(password="short")
    with pytest.raises(CommandError, match="too common"):
        load(password="password1234")
    assert LocalAuthority.objects.count() == 0
    monkeypatch.setenv("DEMO_PASSWORD", "a lighthouse in fog")
    load()
    assert authenticate(username="senco.primary@example.org", password="a lighthouse in fog")


def test_refuses_to_load_over_clashing_records() -> None:
    LocalAuthority.objects.create(name="Somewhere Else", code="931")
    with pytest.raises(CommandError, match="local authority 931"):
        load()
    assert Pupil.objects.count() == 0 and Setting.objects.count() == 0
