"""Staff training's rows of the authorisation matrix (see graduated/lib/tests/authorisation_matrix.py).

The LA's officers and admins read its training offer; only its admins change it (MANAGE_GUIDANCE).
A setting's SENCO and senior leaders read the offer and keep the setting's training record and
awareness overview (RECORD_TRAINING). A pupil's awareness page: everyone who reaches the pupil.
"""

from typing import Any

from graduated.lib.testing import World, make_member
from graduated.lib.tests.authorisation_matrix import Row, personas
from graduated.organisations.models import Membership, Role
from graduated.training.models import Course, TrainingRecord
from graduated.training.tests.factories import course, course_form, training, training_form

LA_READERS = personas("officer_north", "la_admin_north")
LA_ADMIN = personas("la_admin_north")
FOREIGN_OFFICER = personas("officer_south")
LEADERS_A = personas("senco_a", "head_a")
FOREIGN_SENCO = personas("senco_c")
REACH_P1 = personas("senco_a", "head_a", "teacher_a", "ta_a")


def _course(world: World, side: str) -> list[Any]:
    made = course(world.la_north if side == "own" else world.la_south)
    return [made.local_authority_id, made.pk]


def _member(world: World, side: str) -> list[Any]:
    if side == "own":
        return [world.setting_a.pk, Membership.objects.get(user=world.teacher_a, setting=world.setting_a).pk]
    return [world.setting_c.pk, Membership.objects.get(user=world.senco_c, setting=world.setting_c).pk]


def _record(world: World, side: str) -> list[Any]:
    setting = world.setting_a if side == "own" else world.setting_c
    # A person outside the personas, so that the record changes nobody's pages.
    person = make_member(f"trained.{side}@example.org", Role.TEACHER, setting)
    return [setting.pk, training(setting, person).pk]


def _change_course(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**course_form(title="Autism: first steps"), "version": Course.objects.get(pk=args[1]).version}


def _withdraw(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"offered": "0", "version": Course.objects.get(pk=args[1]).version}


def _change_record(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {**training_form(note="Corrected"), "version": TrainingRecord.objects.get(pk=args[1]).version}


def _remove_record(world: World, args: list[Any], side: str) -> dict[str, Any]:
    return {"version": TrainingRecord.objects.get(pk=args[1]).version}


TARGETS = {"training_course": _course, "training_member": _member, "training_record": _record}

ROWS = [
    Row("training:offer", "GET", "la", own=LA_READERS, foreign=FOREIGN_OFFICER),
    Row("training:add_course", "GET", "la", own=LA_ADMIN),
    Row("training:add_course", "POST", "la", own=LA_ADMIN, data=course_form()),
    Row("training:change_course", "GET", "training_course", own=LA_ADMIN),
    Row("training:change_course", "POST", "training_course", own=LA_ADMIN, data=_change_course),
    Row("training:set_offered", "POST", "training_course", own=LA_ADMIN, data=_withdraw),
    Row("training:setting_offer", "GET", "setting", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:staff", "GET", "setting", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:member", "GET", "training_member", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:add_training", "GET", "training_member", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:add_training", "POST", "training_member", own=LEADERS_A, foreign=FOREIGN_SENCO,
        data=training_form()),
    Row("training:change_training", "GET", "training_record", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:change_training", "POST", "training_record", own=LEADERS_A, foreign=FOREIGN_SENCO,
        data=_change_record),
    Row("training:remove_training", "POST", "training_record", own=LEADERS_A, foreign=FOREIGN_SENCO,
        data=_remove_record),
    Row("training:awareness_overview", "GET", "setting", own=LEADERS_A, foreign=FOREIGN_SENCO),
    Row("training:pupil_awareness", "GET", "pupil", own=REACH_P1, foreign=FOREIGN_SENCO),
    Row("training:pupil_awareness", "POST", "pupil", own=REACH_P1, foreign=FOREIGN_SENCO,
        data={"what_read": "all"}),
]  # fmt: skip
