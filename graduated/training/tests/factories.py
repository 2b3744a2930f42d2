"""Courses and training records for the training tests, made through the services."""

from datetime import date
from decimal import Decimal
from typing import Any

from graduated.accounts.models import User
from graduated.audit.services import Actor
from graduated.organisations.models import LocalAuthority, Setting
from graduated.pupils.codes import BroadArea
from graduated.training import services
from graduated.training.models import Audience, Course, CourseFormat, TrainingRecord

ACTOR = Actor.system("test")


def course_details(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Understanding autism in the classroom", "description": "Practical strategies for autistic pupils.",
        "provider": "Northshire Autism Team", "format": CourseFormat.FACE_TO_FACE, "hours": Decimal("3.0"),
        "areas": [BroadArea.COMMUNICATION_INTERACTION], "audiences": [Audience.TEACHERS, Audience.TEACHING_ASSISTANTS],
        **changes,
    }  # fmt: skip


def course(la: LocalAuthority, **changes: Any) -> Course:
    return services.add_course(actor=ACTOR, local_authority=la, details=course_details(**changes))


def training(setting: Setting, user: User, **details: Any) -> TrainingRecord:
    values: dict[str, Any] = {
        "course": None, "own_title": "Team Teach refresher", "own_areas": [BroadArea.SEMH],
        "completed_on": date(2025, 11, 3), "expires_on": None, "note": "", **details,
    }  # fmt: skip
    if values["course"] is not None:
        values["own_title"], values["own_areas"] = "", []
    return services.record_training(actor=ACTOR, setting=setting, user=user, details=values)


def course_form(**changes: Any) -> dict[str, Any]:
    """The course form as a browser posts it."""
    details = course_details()
    data: dict[str, Any] = {
        "title": details["title"], "description": details["description"], "provider": details["provider"],
        "format": details["format"], "hours": "3", "areas": details["areas"], "audiences": details["audiences"],
    }  # fmt: skip
    data.update(changes)
    return data


def training_form(day: date = date(2025, 11, 3), **changes: Any) -> dict[str, Any]:
    """The training form as a browser posts it: the setting's own training, completed on ``day``."""
    data: dict[str, Any] = {
        "course": "", "own_title": "Team Teach refresher", "own_areas": [BroadArea.SEMH],
        "completed_on_0": str(day.day), "completed_on_1": str(day.month), "completed_on_2": str(day.year),
        "expires_on_0": "", "expires_on_1": "", "expires_on_2": "", "note": "",
    }  # fmt: skip
    data.update(changes)
    return data
