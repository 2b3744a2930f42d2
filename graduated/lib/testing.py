"""Test personas and factories, shared by every app's tests (see conftest.py).

The world: LA "North" with setting A (primary) and setting B; LA "South" with setting C. At A: a
SENCO, a teacher and a TA linked to pupil P1, an unlinked teacher, a senior leader. SENCOs at B
and C; an officer and an admin for each LA; a platform admin. Pupils P1 and P2 at A, P3 at B, P4 at C.
"""

import base64
import itertools
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from graduated.accounts.models import User
from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Membership, Phase, Role, Setting
from graduated.pupils import services
from graduated.pupils.identifiers import check_letter
from graduated.pupils.models import Pupil, StaffRelationship

PASSWORD = "correct horse battery staple"  # noqa: S105 - the personas' shared test password

_serials = itertools.count(1)


def valid_upn(la_code: str = "860", establishment: str = "2001", year: str = "24", serial: int | None = None) -> str:
    """A UPN with a correct check letter; serials count up so each call gives a new one."""
    body = f"{la_code}{establishment}{year}{(serial if serial is not None else next(_serials)) % 1000:03d}"
    return check_letter(body) + body


def make_user(email: str, name: str = "", *, enrolled: bool = True, **extra: Any) -> User:
    """A person with the shared password and, unless ``enrolled=False``, an authenticator app set up."""
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name or email.split("@")[0], **extra)
    if enrolled:
        TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def code_for(user: User) -> str:
    """A code the person's app would show that the second step will accept now.

    A code is accepted once, so if this time step's code was used already (the same persona signing in
    twice in a test), take the next step's, which the check allows for clock drift; wait if even
    that was used."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    step = device.step
    wanted = max(int(time.time()) // step, device.last_t + 1)
    while wanted > int(time.time()) // step + device.tolerance:
        time.sleep(0.5)
    totp = TOTP(device.bin_key, step, device.t0, device.digits, device.drift)
    totp.time = wanted * step
    return f"{totp.token():06d}"


def code_from_secret(secret: str) -> str:
    """The code an app would show now for a secret typed from the set-up page (base32, spaced)."""
    key = base64.b32decode("".join(secret.split()) + "=" * (-len("".join(secret.split())) % 8))
    return f"{TOTP(key).token():06d}"


def mark_second_factor_done(client: Any) -> None:
    """For a test client signed in with force_login: the second step counts as done."""
    from graduated.accounts import second_factor

    session = client.session
    second_factor.set_verified(session, second_factor.Method.APP)
    session.save()


def make_member(email: str, role: Role, organisation: Setting | LocalAuthority, name: str = "") -> User:
    user = make_user(email, name)
    if isinstance(organisation, Setting):
        Membership.objects.create(user=user, role=role, setting=organisation)
    else:
        Membership.objects.create(user=user, role=role, local_authority=organisation)
    return user


def make_pupil(
    setting: Setting,
    first: str = "Alex",
    last: str = "Example",
    *,
    date_of_birth: date = date(2016, 3, 14),
    start_date: date = date(2023, 9, 1),
    sen_status: str | None = None,
    **details: Any,
) -> Pupil:
    details.setdefault("upn", valid_upn(setting.local_authority.code))
    actor = Actor.system("test")
    pupil = services.register_pupil(
        actor=actor,
        setting=setting,
        start_date=start_date,
        details={
            "legal_first_name": first,
            "legal_last_name": last,
            "date_of_birth": date_of_birth,
            "sex": "F",
            "home_local_authority": setting.local_authority,
            **details,
        },
    )
    if sen_status:
        services.change_sen_status(actor=actor, pupil=pupil, status=sen_status, start_date=date(2024, 1, 8))
    return pupil


@dataclass
class World:
    la_north: LocalAuthority
    la_south: LocalAuthority
    setting_a: Setting
    setting_b: Setting
    setting_c: Setting
    senco_a: User
    teacher_a: User
    ta_a: User
    other_teacher_a: User
    head_a: User
    senco_b: User
    senco_c: User
    officer_north: User
    officer_south: User
    la_admin_north: User
    platform_admin: User
    p1: Pupil
    p2: Pupil
    p3: Pupil
    p4: Pupil
    # Outside professionals (graduated.professionals): a live grant to P1 with every scope, and a
    # grant to P1 that ended yesterday. They hold no membership.
    professional_p1: User
    professional_expired: User
    # Families (graduated.families): a parent linked to P1, one linked to P2 (the same setting),
    # and one linked to P4 (another LA).
    parent_p1: User
    parent_p2: User
    parent_p4: User
    # Accounts for P1 and for P2 as young people with their own records: the authorisation matrix
    # links them (test_authorisation_matrix.py), so that other tests' e-mail to the families is not
    # doubled. young_p2 is "another child in the same setting" for P1's pages.
    young_p1: User
    young_p2: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


PERSONAS = [
    "senco_a",
    "teacher_a",
    "ta_a",
    "other_teacher_a",
    "head_a",
    "senco_b",
    "senco_c",
    "officer_north",
    "officer_south",
    "la_admin_north",
    "platform_admin",
    "professional_p1",
    "professional_expired",
    "parent_p1",
    "parent_p2",
    "parent_p4",
    "young_p1",
    "young_p2",
]


def build_world() -> World:
    north = LocalAuthority.objects.create(name="Northshire", code="860")
    south = LocalAuthority.objects.create(name="Southborough", code="931")
    a = Setting.objects.create(name="Ash Primary School", urn="100001", phase=Phase.PRIMARY, local_authority=north)
    b = Setting.objects.create(name="Beech Academy", urn="100002", phase=Phase.SECONDARY, local_authority=north)
    c = Setting.objects.create(name="Cedar School", urn="200001", phase=Phase.PRIMARY, local_authority=south)
    world = World(
        la_north=north,
        la_south=south,
        setting_a=a,
        setting_b=b,
        setting_c=c,
        senco_a=make_member("senco.a@example.org", Role.SENCO, a, "Sam Senco"),
        teacher_a=make_member("teacher.a@example.org", Role.TEACHER, a, "Tia Teacher"),
        ta_a=make_member("ta.a@example.org", Role.TEACHING_ASSISTANT, a, "Tom Assistant"),
        other_teacher_a=make_member("other.teacher.a@example.org", Role.TEACHER, a, "Olu Other"),
        head_a=make_member("head.a@example.org", Role.SENIOR_LEADER, a, "Hana Head"),
        senco_b=make_member("senco.b@example.org", Role.SENCO, b, "Bea Senco"),
        senco_c=make_member("senco.c@example.org", Role.SENCO, c, "Cal Senco"),
        officer_north=make_member("officer.north@example.org", Role.LA_OFFICER, north, "Nia Officer"),
        officer_south=make_member("officer.south@example.org", Role.LA_OFFICER, south, "Sol Officer"),
        la_admin_north=make_member("admin.north@example.org", Role.LA_ADMIN, north, "Ned Admin"),
        platform_admin=make_user("platform@example.org", "Pat Platform", is_staff=True, is_superuser=True),
        p1=make_pupil(a, "Priya", "One", sen_status="K"),
        p2=make_pupil(a, "Paul", "Two"),
        p3=make_pupil(b, "Petra", "Three", sen_status="K"),
        p4=make_pupil(c, "Piotr", "Four", sen_status="K"),
        professional_p1=make_user("ep.p1@example.org", "Esme Psychologist"),
        professional_expired=make_user("slt.expired@example.org", "Ed Expired"),
        parent_p1=make_user("parent.p1@example.org", "Pam One"),
        parent_p2=make_user("parent.p2@example.org", "Pat Two"),
        parent_p4=make_user("parent.p4@example.org", "Pia Four"),
        young_p1=make_user("young.p1@example.org", "Priya One"),
        young_p2=make_user("young.p2@example.org", "Paul Two"),
    )
    _grant_professionals(world)
    _link_families(world)
    actor = Actor.system("test")
    for user, relationship in [
        (world.teacher_a, StaffRelationship.CLASS_TEACHER),
        (world.ta_a, StaffRelationship.TEACHING_ASSISTANT),
    ]:
        services.link_staff(actor=actor, pupil=world.p1, setting=a, user=user, relationship=relationship)
    return world


def _link_families(world: World) -> None:
    from graduated.families.models import FamilyLink

    for user, pupil, setting in [
        (world.parent_p1, world.p1, world.setting_a),
        (world.parent_p2, world.p2, world.setting_a),
        (world.parent_p4, world.p4, world.setting_c),
    ]:
        FamilyLink.objects.create(user=user, pupil=pupil, setting=setting, relationship="Mother")


def _grant_professionals(world: World) -> None:
    from graduated.professionals.models import ProfessionalGrant

    today = timezone.localdate()
    for user, expires_on, title in [
        (world.professional_p1, today + timedelta(days=90), "Educational psychologist"),
        (world.professional_expired, today - timedelta(days=1), "Speech and language therapist"),
    ]:
        ProfessionalGrant.objects.create(
            pupil=world.p1, setting=world.setting_a, user=user, organisation="Northshire Council", job_title=title,
            can_read_plan=True, can_advise=True, can_upload_report=True, expires_on=expires_on,
            invited_by=world.senco_a,
        )  # fmt: skip


def complete_second_step(client: Any, user: User) -> None:
    """After ``client.login`` (the password): give the second step through its pages, as a person
    does: a code from the app, or for someone with no app yet, setting one up from the secret shown."""
    import re

    from django.urls import reverse

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        response = client.post(reverse("accounts:second_factor"), {"code": code_for(user)})
    else:
        page = client.get(reverse("accounts:second_factor_setup")).content.decode()
        secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page)
        assert secret is not None, "the set-up page shows no secret"
        response = client.post(reverse("accounts:second_factor_setup"), {"code": code_from_secret(secret.group(1))})
    assert response.status_code in (200, 302), response.status_code
