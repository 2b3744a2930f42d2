"""Starting SEN support from a concern records the concern's areas as the pupil's needs."""

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.pathway import services
from graduated.pathway.models import Concern
from graduated.pupils.models import Need, Pupil
from graduated.pupils.services import record_need

ACTOR = Actor.system("test")


def _concern(pupil: Pupil, areas: list[str]) -> Concern:
    return services.raise_concern(
        actor=ACTOR, pupil=pupil, raised_on=date(2026, 11, 2), areas=areas,
        what_is_seen="Rarely speaks in class; reading well below peers.", already_tried="Visual timetable.",
    )  # fmt: skip


def _start(**extra: str) -> dict[str, str]:
    return {
        "decision": "start_sen_support", "decided_on_0": "9", "decided_on_1": "11", "decided_on_2": "2026",
        "decision_note": "Needs a plan.", "parents_notified_on_0": "6", "parents_notified_on_1": "11",
        "parents_notified_on_2": "2026", "version": "1", **extra,
    }  # fmt: skip


def _current(pupil: Pupil) -> list[tuple[str, int]]:
    return [(need.sen_type, need.rank) for need in pupil.needs.current().order_by("rank")]


def _url(concern: Concern, name: str = "decide_concern") -> str:
    return reverse(f"pathway:{name}", args=[concern.pupil_id, concern.pk])


def test_the_form_offers_a_type_in_each_area_preselected(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2, ["CI", "CL", "SEMH"])
    page = client_for(world.senco_a).get(_url(concern, "concern")).content.decode()
    assert "If SEN support starts: the pupil's recorded needs" in page
    checked = re.findall(r'<input[^>]*name="(need_\w+)"[^>]*value="(\w*)"[^>]*checked', page)
    assert checked == [("need_CI", "SLCN"), ("need_CL", "MLD"), ("need_SEMH", "")]
    # Only the types within each area are offered: ASD under CI, MLD under CL, no HI anywhere.
    assert 'name="need_CI" type="radio" value="ASD"' in page and 'name="need_CL" type="radio" value="MLD"' in page
    assert 'value="HI"' not in page
    form = client_for(world.senco_a).get(_url(concern, "concern")).context["form"]
    assert form["need_CI"].value() == "SLCN" and form["rank_CI"].value() == "1"
    assert form["need_CL"].value() == "MLD" and form["rank_CL"].value() == "2"
    assert form["need_SEMH"].value() == "" and form["rank_SEMH"].value() == ""  # the census ranks two


def test_starting_sen_support_records_the_needs(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2, ["CI", "SEMH"])
    response = client_for(world.senco_a).post(
        _url(concern), _start(need_CI="SLCN", rank_CI="1", need_SEMH="SEMH", rank_SEMH="2")
    )
    assert response.status_code == 302
    assert _current(world.p2) == [("SLCN", 1), ("SEMH", 2)]
    assert set(world.p2.needs.values_list("start_date", flat=True)) == {date(2026, 11, 9)}
    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p2.pk])).content.decode()
    assert "Speech, language and communication needs" in page
    assert world.p2.chronology.filter(kind="need_recorded").count() == 2


def test_edited_choices_are_respected(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2, ["CI", "CL", "SEMH"])
    response = client_for(world.senco_a).post(
        _url(concern),
        _start(need_CI="ASD", rank_CI="2", need_CL="", rank_CL="2", need_SEMH="SEMH", rank_SEMH="1"),
    )
    assert response.status_code == 302
    assert _current(world.p2) == [("SEMH", 1), ("ASD", 2)]


def test_existing_needs_are_kept_unless_the_senco_replaces_them(
    world: World, client_for: Callable[..., Client]
) -> None:
    record_need(actor=ACTOR, pupil=world.p1, sen_type="HI", rank=1, start_date=date(2025, 1, 6))
    concern = _concern(world.p1, ["CI"])
    client = client_for(world.senco_a)
    page = client.get(_url(concern, "concern")).content.decode()
    assert "Needs already recorded" in page and "Hearing impairment (primary), since 6 January 2025" in page
    assert client.get(_url(concern, "concern")).context["form"]["need_CI"].value() == ""  # nothing offered over them
    assert client.post(_url(concern), _start(need_CI="SLCN", rank_CI="1")).status_code == 302
    assert _current(world.p1) == [("HI", 1)]

    other = _concern(world.p1, ["CL"])
    other.decision = None
    response = client.post(_url(other), _start(need_CL="SPLD", rank_CL="1", replace_needs="on"))
    assert response.status_code == 302
    assert _current(world.p1) == [("SPLD", 1)]
    ended = Need.objects.get(pupil=world.p1, sen_type="HI")
    assert ended.end_date == date(2026, 11, 8)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"need_CI": "MLD", "rank_CI": "1"}, "Choose a type of need in communication and interaction"),
        ({"need_CI": "XYZ", "rank_CI": "1"}, "Choose a type of need in communication and interaction"),
        ({"need_CI": "SLCN", "rank_CI": "3"}, "Choose primary (rank 1) or secondary (rank 2)"),
        ({"need_CI": "SLCN", "rank_CI": ""}, "is primary or secondary, or do not record it"),
        (
            {"need_CI": "SLCN", "rank_CI": "1", "need_SEMH": "SEMH", "rank_SEMH": "1"},
            "Only one need can be primary",
        ),
        ({"need_CI": "SLCN", "rank_CI": "2"}, "A secondary need needs a primary need"),
    ],
)
def test_bad_needs_are_refused_and_nothing_is_saved(
    world: World, client_for: Callable[..., Client], data: dict[str, str], message: str
) -> None:
    concern = _concern(world.p2, ["CI", "SEMH"])
    response = client_for(world.senco_a).post(_url(concern), _start(**data))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    concern.refresh_from_db()
    assert concern.is_open
    assert not world.p2.needs.exists()
    assert world.p2.sen_statuses.current().get().status == "N"


def test_the_service_refuses_needs_outside_the_concern_and_saves_nothing(world: World) -> None:
    concern = _concern(world.p2, ["CI"])
    with pytest.raises(services.ValidationError, match="within the broad areas"):
        services.decide_concern(
            actor=ACTOR, concern=concern, decision="start_sen_support", decided_on=date(2026, 11, 9), note="",
            parents_notified_on=date(2026, 11, 9), needs=[("SLCN", 1), ("VI", 2)],
        )  # fmt: skip
    concern.refresh_from_db()
    assert concern.is_open and not world.p2.needs.exists() and not world.p2.stages.exists()


def test_needs_are_ignored_for_other_decisions(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2, ["CI"])
    data = {**_start(need_CI="SLCN", rank_CI="1"), "decision": "no_further_action"}
    assert client_for(world.senco_a).post(_url(concern), data).status_code == 302
    assert not world.p2.needs.exists()
