"""Demo one-page profiles: about half the pupils on the SEN register, some with two or three versions.

Deterministic (a seeded random generator, pupils in id order, fixed dates no later than the
demo's last day). Written through ``save_profile`` by the staff who work with each pupil, so the
chronology and the audit trail match.
"""

import random
from datetime import date, timedelta

from graduated.audit.services import Actor
from graduated.organisations.models import Membership, Phase, Role
from graduated.profiles import demo_text
from graduated.profiles.models import ProfileContent
from graduated.profiles.services import save_profile
from graduated.pupils.codes import SENProvision
from graduated.pupils.models import Enrolment, Need, Pupil, SENStatusPeriod, StaffLink

SEED = 1613
LATEST = date(2026, 11, 13)  # the demo's last day (graduated/demo/data.py LATEST_EVENT)
ROLE_NAMES = {
    Role.SENCO: "SENCO",
    Role.TEACHER: "class teacher",
    Role.TEACHING_ASSISTANT: "teaching assistant",
}
BANDS = {
    Phase.EARLY_YEARS: "early",
    Phase.SECONDARY: "secondary",
    Phase.SIXTH_FORM: "post16",
    Phase.FURTHER_EDUCATION: "post16",
}


def _school_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _pick(rng: random.Random, options: list[str], count: int) -> list[str]:
    return rng.sample(options, min(count, len(options)))


def _support_options(band: str, need: str) -> list[str]:
    return demo_text.SUPPORT_BY_NEED.get(need, []) + demo_text.SUPPORT_GENERAL[band]


def _first_content(rng: random.Random, band: str, need: str, authors: list[Actor]) -> ProfileContent:
    support = _pick(rng, demo_text.SUPPORT_BY_NEED.get(need, []), 2) + _pick(rng, demo_text.SUPPORT_GENERAL[band], 1)
    return ProfileContent(
        liked_and_admired=" ".join(_pick(rng, demo_text.LIKED[band], rng.randint(2, 3))),
        important_to_me="\n".join(_pick(rng, demo_text.IMPORTANT[band], rng.randint(2, 4))),
        how_to_support="\n".join(support),
        pupil_contributed=band != "early" or rng.random() < 0.5,
        parents_contributed=rng.random() < 0.8,
        staff_contributors=", ".join(_staff_name(a) for a in authors),
        other_contributors=rng.choice(demo_text.OTHER_CONTRIBUTORS) if rng.random() < 0.25 else "",
    )


def _revised(rng: random.Random, content: ProfileContent, band: str, need: str) -> ProfileContent:
    """A review: one thing that matters changes, and a new strategy that worked is added."""
    important = content.important_to_me.split("\n")
    important[rng.randrange(len(important))] = rng.choice(
        [line for line in demo_text.IMPORTANT[band] if line not in important]
    )
    support = content.how_to_support.split("\n")
    new = [line for line in _support_options(band, need) if line not in support]
    if new:
        support.append(rng.choice(new))
    return ProfileContent(
        liked_and_admired=content.liked_and_admired,
        important_to_me="\n".join(important),
        how_to_support="\n".join(support),
        pupil_contributed=True if band != "early" else content.pupil_contributed,
        parents_contributed=rng.random() < 0.7,
        staff_contributors=content.staff_contributors,
        other_contributors=content.other_contributors,
    )


def _staff_name(actor: Actor) -> str:
    assert actor.user is not None
    return f"{actor.user.full_name} ({ROLE_NAMES.get(Role(actor.role), actor.role)})"


def load_demo_data() -> dict[str, int]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    pupils = list(
        Pupil.objects.filter(
            pk__in=SENStatusPeriod.objects.current()
            .filter(status__in=[SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN])
            .values("pupil_id")
        ).order_by("pk")
    )
    enrolments = {
        e.pupil_id: e for e in Enrolment.objects.current(LATEST).filter(pupil__in=pupils).select_related("setting")
    }
    register_from = {
        period.pupil_id: period.start_date
        for period in SENStatusPeriod.objects.filter(
            pupil__in=pupils, status__in=[SENProvision.SEN_SUPPORT, SENProvision.EHC_PLAN]
        ).order_by("-start_date")  # the earliest wins, being written last
    }
    needs = {n.pupil_id: n.sen_type for n in Need.objects.current().filter(pupil__in=pupils, rank=1)}
    senco_of = {
        m.setting_id: Actor(user=m.user, role=m.role, setting_id=m.setting_id)
        for m in Membership.objects.filter(role=Role.SENCO, setting__isnull=False).select_related("user").order_by("pk")
    }
    linked: dict[int, list[Actor]] = {}
    for link in StaffLink.objects.filter(pupil__in=pupils).select_related("user").order_by("pk"):
        role = Membership.objects.filter(user=link.user, setting=link.setting).values_list("role", flat=True).first()
        if role in (Role.TEACHER, Role.TEACHING_ASSISTANT):
            linked.setdefault(link.pupil_id, []).append(Actor(user=link.user, role=role, setting_id=link.setting_id))

    profiles = versions = 0
    for pupil in pupils:
        enrolment = enrolments.get(pupil.pk)
        if enrolment is None or enrolment.setting_id not in senco_of or rng.random() >= 0.5:
            continue
        band = BANDS.get(Phase(enrolment.setting.phase), "primary")
        need = needs.get(pupil.pk, "")
        authors = [senco_of[enrolment.setting_id], *linked.get(pupil.pk, [])]
        earliest = max(register_from.get(pupil.pk, enrolment.start_date), enrolment.start_date)
        written_on = _school_day(earliest + timedelta(days=rng.randint(10, 60)))
        if written_on > LATEST:
            continue
        content = _first_content(rng, band, need, rng.sample(authors, min(2, len(authors))))
        count = rng.choices([1, 2, 3], weights=[45, 35, 20])[0]
        for number in range(1, count + 1):
            save_profile(
                actor=rng.choice(authors),
                pupil=pupil,
                expected_version=number - 1,
                content=content,
                written_on=written_on,
            )
            versions += 1
            written_on = _school_day(written_on + timedelta(days=rng.randint(80, 140)))
            if written_on > LATEST:
                break
            content = _revised(rng, content, band, need)
        profiles += 1
    return {"one-page profiles": profiles, "one-page profile versions": versions}
