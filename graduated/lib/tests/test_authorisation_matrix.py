"""Runs every cell of the authorisation matrix (authorisation_matrix.py) against the real views."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from graduated.audit.models import AuditAction, AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import PASSWORD, World, make_member
from graduated.lib.tests.authorisation_matrix import EXEMPT, OK, ROWS, TARGETS, Row
from graduated.organisations.models import Invitation, Membership, Role, hash_token
from graduated.pupils import services
from graduated.pupils.models import Pupil, StaffRelationship

ALL_PERSONAS = [
    "senco_a", "teacher_a", "ta_a", "other_teacher_a", "head_a", "senco_b", "senco_c",
    "officer_north", "officer_south", "la_admin_north", "platform_admin",
    "professional_p1", "professional_expired", "parent_p1", "parent_p2", "parent_p4", "young_p1", "young_p2",
]  # fmt: skip


class _Rollback(Exception):
    pass


def _own(side: str) -> bool:
    return side == "own"


def target_args(world: World, target: str, side: str) -> list[Any]:
    own = _own(side)
    pupil = world.p1 if own else world.p4
    if target == "none":
        return []
    if target == "pupil":
        return [pupil.pk]
    if target == "setting":
        return [(world.setting_a if own else world.setting_c).pk]
    if target == "la":
        return [(world.la_north if own else world.la_south).pk]
    if target == "need":
        need = services.record_need(
            actor=Actor.system("test"), pupil=pupil, sen_type="SEMH", rank=3, start_date=date(2024, 2, 1)
        )
        return [pupil.pk, need.pk]
    if target == "staff_link":
        setting = world.setting_a if own else world.setting_c
        # A teacher outside the personas, so that linking them changes no persona's access.
        email = "linked.teacher.a@example.org" if own else "teacher.c@example.org"
        teacher = make_member(email, Role.TEACHER, setting)
        link = services.link_staff(
            actor=Actor.system("test"), pupil=pupil, setting=setting, user=teacher,
            relationship=StaffRelationship.SUBJECT_TEACHER,
        )  # fmt: skip
        return [pupil.pk, link.pk]
    if target == "membership":
        membership = Membership.objects.get(user=world.teacher_a if own else world.senco_c)
        kind_and_org = ["setting", membership.setting_id]
        return [*kind_and_org, membership.pk]
    if target == "people_setting":
        return ["setting", (world.setting_a if own else world.setting_c).pk]
    if target == "people_la":
        return ["la", (world.la_north if own else world.la_south).pk]
    if target == "invitation":
        setting = world.setting_a if own else world.setting_c
        invitation = Invitation.objects.create(
            email=f"pending.{side}@example.org", role=Role.TEACHER, setting=setting,
            token_hash=hash_token(f"pending-token-{side}"),
        )  # fmt: skip
        return ["setting", setting.pk, invitation.pk]
    if target == "reset_link":
        user = world.teacher_a if own else world.senco_c
        return [urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)]
    if target == "staff_membership":
        setting = world.setting_a if own else world.setting_c
        user = world.teacher_a if own else make_member("teacher.c@example.org", Role.TEACHER, setting)
        return ["setting", setting.pk, Membership.objects.get(user=user, setting=setting).pk]
    if target == "invitation_token":
        token = f"matrix-token-{side}"
        Invitation.objects.create(
            email=f"new.{side}@example.org", role=Role.TEACHER,
            setting=world.setting_a if own else world.setting_c, token_hash=hash_token(token),
        )  # fmt: skip
        return [token]
    if target in TARGETS:
        return TARGETS[target](world, side)
    raise AssertionError(f"Unknown target {target!r}: add it to target_args or a matrix_rows.TARGETS")


def form_data(world: World, row: Row, args: list[Any], side: str) -> dict[str, Any]:
    if callable(row.data):
        return row.data(world, args, side)
    data = dict(row.data)
    if data.pop("__pupil_form__", False):
        pupil = Pupil.objects.get(pk=args[0])
        data = {
            "legal_first_name": pupil.legal_first_name,
            "legal_last_name": pupil.legal_last_name,
            "date_of_birth_0": pupil.date_of_birth.day,
            "date_of_birth_1": pupil.date_of_birth.month,
            "date_of_birth_2": pupil.date_of_birth.year,
            "sex": pupil.sex,
            "upn": pupil.upn or "",
            "version": pupil.version,
            **data,
        }
    if data.pop("__staff_membership__", False):
        setting = world.setting_a if _own(side) else world.setting_c
        user = world.other_teacher_a if _own(side) else make_member("teacher.c2@example.org", Role.TEACHER, setting)
        data["membership"] = Membership.objects.get(user=user, setting=setting).pk
    return data


def expected(row: Row, side: str, persona: str | None) -> str | int:
    if persona is None:
        return OK if row.public else "login"
    allowed = row.own if _own(side) else row.foreign
    if persona in allowed:
        return OK
    # An invitation link belongs to no one organisation: a refusal is a 403 on either side.
    if persona in row.forbidden and (_own(side) or row.public):
        return 403
    return 404


def outcome(status: int, location: str) -> str | int:
    if status == 200 or (status == 302 and "/accounts/login" not in location):
        return OK
    if status == 302:
        return "login"
    return status


# Targets that are an organisation's, not one pupil's: every other target belongs to pupil P1 (own)
# or P4 (foreign), and every allowed GET that shows it must write exactly one VIEW or EXPORT event
# for that pupil (graduated.audit.reach makes it so).
NOT_ONE_PUPILS = {
    "none", "setting", "la", "people_setting", "people_la", "membership", "invitation", "reset_link",
    "staff_membership", "invitation_token", "intervention_group", "impact_group", "rulepack_draft",
    "rulepack_rule", "rulepack_version", "setting_catalogue_item", "setting_map_pdf", "setting_map_xlsx",
    "specialists_service", "import_run", "import_run_checked", "sen2_built",
    "training_course", "training_member", "training_record",
    "oap_draft", "oap_new_item", "oap_item",
    "plans_kind", "plans_type",
    "guidance_site", "guidance_page", "guidance_version", "guidance_public_page",
}  # fmt: skip


def audit_problem(world: World, row: Row, side: str, status: int, since: int) -> str:
    """Why the request's audit events are wrong for an allowed GET of a pupil's object, or ""."""
    if row.method != "GET" or status != 200 or row.target in NOT_ONE_PUPILS:
        return ""
    pupil = world.p1 if _own(side) else world.p4
    events = AuditEvent.objects.filter(
        pk__gt=since, pupil_id=pupil.pk, action__in=[AuditAction.VIEW, AuditAction.EXPORT]
    )
    count = events.count()
    return "" if count == 1 else f"wrote {count} VIEW/EXPORT audit events for the pupil, not 1"


@pytest.fixture(autouse=True)
def _young_people_of_p1_and_p2(world: World) -> None:
    """P1 and P2 with accounts of their own, as young people have (the matrix tests the link's
    access, not the age rule, which graduated/families' own tests cover): young_p1 is P1's own,
    young_p2 another child's in the same setting."""
    from graduated.families.models import FamilyLink, FamilyRole

    for user, pupil in [(world.young_p1, world.p1), (world.young_p2, world.p2)]:
        FamilyLink.objects.create(user=user, pupil=pupil, setting=world.setting_a, role=FamilyRole.YOUNG_PERSON)


CELLS = [(row, side) for row in ROWS for side in ("own", "foreign") if side == "own" or row.target != "none"]


@pytest.mark.parametrize(("row", "side"), CELLS, ids=[f"{r.method} {r.url_name} {s}" for r, s in CELLS])
def test_matrix_row(world: World, row: Row, side: str) -> None:
    failures = []
    for persona in [None, *ALL_PERSONAS]:
        try:
            with transaction.atomic():
                args = target_args(world, row.target, side)
                since = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                client = Client()
                if persona is not None:
                    client.force_login(world.persona(persona))
                url = reverse(row.url_name, args=args)
                if row.method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, form_data(world, row, args, side))
                got = outcome(response.status_code, response.get("Location", ""))
                want = expected(row, side, persona)
                if got != want:
                    failures.append(f"{persona or 'anonymous'}: expected {want}, got {response.status_code}")
                elif want == OK and (problem := audit_problem(world, row, side, response.status_code, since)):
                    failures.append(f"{persona}: {problem}")
                raise _Rollback
        except _Rollback:
            pass
    assert not failures, f"{row.method} {row.url_name} ({side}):\n" + "\n".join(failures)


def _url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern.url_patterns, namespace)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    covered = {row.url_name for row in ROWS}
    exempt_namespaces = {name for name in EXEMPT}
    missing = sorted(
        name
        for name in _url_names(get_resolver().url_patterns)
        if name not in covered and name.split(":")[0] not in exempt_namespaces and name not in EXEMPT
    )
    assert not missing, f"URLs missing from graduated/lib/tests/authorisation_matrix.py: {missing}"


def test_personas_can_sign_in_with_the_shared_password(world: World) -> None:
    assert Client().login(username=world.senco_a.email, password=PASSWORD)
