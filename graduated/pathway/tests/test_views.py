from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World, make_pupil
from graduated.pathway import services
from graduated.pathway.models import Concern
from graduated.pupils.models import ChronologyEntry, Pupil

ACTOR = Actor.system("test")


def _date(prefix: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{prefix}_0": day, f"{prefix}_1": month, f"{prefix}_2": year}


CONCERN = {
    **_date("raised_on", "4", "11", "2026"),
    "areas": ["CI", "SEMH"],
    "what_is_seen": "Rarely speaks in class; upset at transitions.",
    "already_tried": "Visual timetable and a warning before changes.",
}


def _concern(pupil: Pupil, raised_on: date = date(2026, 11, 2)) -> Concern:
    return services.raise_concern(
        actor=ACTOR, pupil=pupil, raised_on=raised_on, areas=["CL"],
        what_is_seen="Reading well below peers.", already_tried="Phonics catch-up.",
    )  # fmt: skip


def _decide_url(concern: Concern) -> str:
    return reverse("pathway:decide_concern", args=[concern.pupil_id, concern.pk])


def test_a_linked_teacher_raises_a_concern(world: World, client_for: Callable[..., Client]) -> None:
    events = AuditEvent.objects.count()
    response = client_for(world.teacher_a).post(reverse("pathway:raise_concern", args=[world.p1.pk]), CONCERN)
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pathway:concern", args=[world.p1.pk, concern.pk])
    assert (concern.raised_by, concern.raised_on, concern.areas) == (world.teacher_a, date(2026, 11, 4), ["CI", "SEMH"])
    assert AuditEvent.objects.count() == events + 1
    assert ChronologyEntry.objects.filter(pupil=world.p1, kind="concern_raised", occurred_on=date(2026, 11, 4)).exists()


def test_a_double_submitted_concern_is_raised_once(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.teacher_a)
    url = reverse("pathway:raise_concern", args=[world.p1.pk])
    first = client.post(url, CONCERN)
    events = AuditEvent.objects.count()
    second = client.post(url, CONCERN)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Concern.objects.count() == 1
    assert AuditEvent.objects.count() == events
    assert ChronologyEntry.objects.filter(kind="concern_raised").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"areas": []}, "Select at least one broad area of need"),
        ({"areas": ["XX"]}, "Select a valid choice"),
        (_date("raised_on", "31", "2", "2026"), "Date of the concern must be a real date"),
        (_date("raised_on", "1", "1", "2099"), "Date of the concern must be today or in the past"),
        ({"what_is_seen": ""}, "Enter what you have seen"),
        ({"already_tried": ""}, "Enter what you have already tried in class"),
    ],
)
def test_bad_input_when_raising_a_concern_saves_nothing(
    world: World, client_for: Callable[..., Client], changes: dict[str, object], message: str
) -> None:
    response = client_for(world.teacher_a).post(
        reverse("pathway:raise_concern", args=[world.p1.pk]), {**CONCERN, **changes}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert not Concern.objects.exists()


def test_who_may_raise_a_concern(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pathway:raise_concern", args=[world.p1.pk])
    assert client_for(world.ta_a).get(url).status_code == 403
    assert client_for(world.other_teacher_a).get(url).status_code == 404
    assert client_for(world.senco_c).post(url, CONCERN).status_code == 404
    assert not Concern.objects.exists()


def test_another_pupils_concern_is_not_found_under_this_pupil(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2)
    client = client_for(world.senco_a)
    assert client.get(reverse("pathway:concern", args=[world.p1.pk, concern.pk])).status_code == 404
    response = client.post(
        reverse("pathway:decide_concern", args=[world.p1.pk, concern.pk]),
        {"decision": "no_further_action", **_date("decided_on", "5", "11", "2026"), "decision_note": "x", "version": 1},
    )
    assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.is_open


def test_viewing_a_concern_leaves_one_audit_event(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p1)
    events = AuditEvent.objects.count()
    teacher_page = client_for(world.teacher_a).get(reverse("pathway:concern", args=[world.p1.pk, concern.pk]))
    assert teacher_page.status_code == 200
    assert "Reading well below peers." in teacher_page.content.decode()
    assert "Record decision" not in teacher_page.content.decode()  # only the SENCO decides
    assert AuditEvent.objects.count() == events + 1
    senco_page = client_for(world.senco_a).get(reverse("pathway:concern", args=[world.p1.pk, concern.pk]))
    assert "Record decision" in senco_page.content.decode()


def test_senco_starts_sen_support(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2)
    response = client_for(world.senco_a).post(
        _decide_url(concern),
        {
            "decision": "start_sen_support", **_date("decided_on", "9", "11", "2026"),
            "decision_note": "Needs a plan.", **_date("parents_notified_on", "6", "11", "2026"), "version": "1",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert world.p2.sen_statuses.current().get().status == "K"
    assert services.current_stage(world.p2).stage.key == "sen_support"  # type: ignore[union-attr]
    page = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p2.pk])).content.decode()
    assert "SEN support</strong> since 9 November 2026" in page
    assert "Parents told that SEN support is starting" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "monitor"}, "Enter the date to look again"),
        (
            {"decision": "monitor", **_date("look_again_on", "1", "11", "2026")},
            "must be after the date of the decision",
        ),
        ({"decision": "start_sen_support"}, "Enter the date the parents were told"),
        ({"decision": "no_further_action", **_date("decided_on", "1", "1", "2026")}, "on or after the concern was"),
        ({"decision": ""}, "Choose a decision"),
        ({"decision": "monitor", **_date("look_again_on", "1", "13", "2026")}, "Date to look again must be a real"),
    ],
)
def test_bad_decisions_are_explained_and_change_nothing(
    world: World, client_for: Callable[..., Client], data: dict[str, str], message: str
) -> None:
    concern = _concern(world.p2)
    form = {**_date("decided_on", "9", "11", "2026"), "decision_note": "Reasons", "version": "1", **data}
    response = client_for(world.senco_a).post(_decide_url(concern), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert "Reasons</textarea>" in page  # the typing is kept
    concern.refresh_from_db()
    assert concern.is_open
    assert not world.p2.stages.exists()


def test_a_double_submitted_decision_is_recorded_once(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p2)
    form = {
        "decision": "monitor", **_date("decided_on", "9", "11", "2026"), "decision_note": "Watch",
        **_date("look_again_on", "5", "1", "2027"), "version": "1",
    }  # fmt: skip
    client = client_for(world.senco_a)
    assert client.post(_decide_url(concern), form).status_code == 302
    counts = (AuditEvent.objects.count(), ChronologyEntry.objects.count(), world.p2.stages.count())
    second = client.post(_decide_url(concern), {**form, "decision": "no_further_action"}, follow=True)
    assert "already been recorded" in second.content.decode()
    assert (AuditEvent.objects.count() - 1, ChronologyEntry.objects.count(), world.p2.stages.count()) == counts
    concern.refresh_from_db()
    assert concern.decision == "monitor"


def test_senior_leaders_read_but_do_not_decide(world: World, client_for: Callable[..., Client]) -> None:
    concern = _concern(world.p1)
    client = client_for(world.head_a)
    assert client.get(reverse("pathway:concern", args=[world.p1.pk, concern.pk])).status_code == 200
    assert client.post(_decide_url(concern), {"decision": "no_further_action"}).status_code == 403
    assert client.get(reverse("pathway:change_stage", args=[world.p1.pk])).status_code == 403
    assert client.get(reverse("pathway:setting_concerns", args=[world.setting_a.pk])).status_code == 200


def test_changing_stage_shows_the_history(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("pathway:change_stage", args=[world.p1.pk])
    response = client.post(url, {"stage_key": "sen_support", **_date("start_date", "8", "1", "2024")})
    assert response.status_code == 302
    response = client.post(url, {"stage_key": "my_support_plan", **_date("start_date", "1", "1", "2024")})
    assert response.status_code == 400
    assert "cannot start before the current one (8 January 2024)" in response.content.decode()
    response = client.post(url, {"stage_key": "nonsense", **_date("start_date", "1", "1", "2025")})
    assert response.status_code == 400
    page = client.get(url).content.decode()
    assert "Stage history" in page and "8 Jan 2024" in page
    assert [p.stage.key for p in world.p1.stages.all()] == ["sen_support"]


def test_removing_from_sen_support_needs_a_reason(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("pathway:remove_sen_support", args=[world.p1.pk])
    response = client.post(url, _date("on", "1", "7", "2025"))
    assert response.status_code == 400
    assert "Enter why the pupil no longer needs SEN support" in response.content.decode()
    response = client.post(url, {**_date("on", "1", "1", "2024"), "reason": "Caught up"})
    assert response.status_code == 400
    assert "must be after SEN support started" in response.content.decode()
    assert world.p1.sen_statuses.current().get().status == "K"
    response = client.post(url, {**_date("on", "1", "7", "2025"), "reason": "Caught up"})
    assert response.status_code == 302
    assert world.p1.sen_statuses.current().get().status == "N"
    assert services.current_stage(world.p1) is None  # never moved on: still Quality First Teaching
    response = client.post(url, {**_date("on", "2", "7", "2025"), "reason": "Again"})
    assert response.status_code == 400  # not on SEN support any more


def test_the_senco_sees_open_concerns_oldest_first_and_monitored_pupils_due(
    world: World, client_for: Callable[..., Client]
) -> None:
    p5 = make_pupil(world.setting_a, "Pia", "Five")
    newer, older = _concern(world.p1, date(2026, 11, 10)), _concern(p5, date(2026, 10, 1))
    _concern(world.p3)  # another setting
    monitored = _concern(world.p2, date(2026, 9, 1))
    services.decide_concern(
        actor=ACTOR, concern=monitored, decision="monitor", decided_on=date(2026, 9, 8), note="",
        look_again_on=date(2026, 11, 1),
    )  # fmt: skip
    page = client_for(world.senco_a).get(reverse("pathway:setting_concerns", args=[world.setting_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index(f"/concerns/{older.pk}/") < text.index(f"/concerns/{newer.pk}/")
    assert "Petra" not in text
    assert "Paul Two" in text and "1 Nov 2026" in text


def _add_history(pupil: Pupil, count: int) -> None:
    for number in range(count):
        day = date(2025, 1, 6) + timedelta(days=7 * number)
        services.change_stage(
            actor=ACTOR, pupil=pupil, stage_key=["monitoring", "sen_support"][number % 2], start_date=day
        )
        concern = _concern(pupil, day)
        if number % 3:
            services.decide_concern(
                actor=ACTOR, concern=concern, decision="monitor", decided_on=day, note="", look_again_on=day
                + timedelta(days=1),
            )  # fmt: skip


def _main(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def test_concern_list_query_count_is_fixed(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("pathway:setting_concerns", args=[world.setting_a.pk])
    _add_history(world.p1, 1)
    client.get(url)
    # Links to concerns in the page's main part (the footer's language switch holds the page's own address).
    with CaptureQueriesContext(connection) as small:
        few = _main(client.get(url).content.decode()).count("/concerns/")
    _add_history(world.p2, 12)
    with CaptureQueriesContext(connection) as large:
        many = _main(client.get(url).content.decode()).count("/concerns/")
    assert (few, many) == (1, 5)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_pupil_page_panel_query_count_is_fixed(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.senco_a)
    url = reverse("pupils:detail", args=[world.p1.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _add_history(world.p1, 12)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count("Concern raised") >= 4
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_panel_offers_what_each_role_may_do(world: World, client_for: Callable[..., Client]) -> None:
    url = reverse("pupils:detail", args=[world.p1.pk])
    teacher = client_for(world.teacher_a).get(url).content.decode()
    assert "Quality First Teaching" in teacher and "Raise a concern" in teacher and "Change stage" not in teacher
    ta = client_for(world.ta_a).get(url).content.decode()
    assert "Graduated pathway" in ta and "Raise a concern" not in ta
    senco = client_for(world.senco_a).get(url).content.decode()
    assert "Raise a concern" in senco and "Change stage" in senco and "Remove from SEN support" in senco
    senco_p2 = client_for(world.senco_a).get(reverse("pupils:detail", args=[world.p2.pk])).content.decode()
    assert "Remove from SEN support" not in senco_p2  # P2 has no SEN support to remove
