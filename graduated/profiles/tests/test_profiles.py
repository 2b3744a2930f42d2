"""The one-page profile, as people meet it: through its pages and its service, on a real database."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from graduated.audit.models import AuditEvent
from graduated.audit.services import Actor
from graduated.lib.testing import World
from graduated.lib.versioning import StaleEditError
from graduated.profiles.models import OnePageProfile, ProfileContent, ProfileVersion
from graduated.profiles.services import save_profile
from graduated.pupils.models import ChronologyEntry, ChronologyKind, Pupil

ACTOR = Actor.system("test")
FIRST = ProfileContent(
    liked_and_admired="People say I am kind and I make them laugh.",
    important_to_me="My nan, my dog Biscuit and drawing dragons.",
    how_to_support="Tell me what is happening next. Give me a quiet place when it is noisy.",
    pupil_contributed=True,
)


def _save(pupil: Pupil, content: ProfileContent = FIRST, *, version: int = 0, on: date = date(2025, 3, 3)) -> Any:
    return save_profile(actor=ACTOR, pupil=pupil, expected_version=version, content=content, written_on=on)


def _content(n: int) -> ProfileContent:
    return ProfileContent(
        liked_and_admired=f"Version {n}: I am kind.",
        important_to_me="Lego.",
        how_to_support=f"Support {n}.",
        parents_contributed=True,
    )


def _form(number: int, **changes: Any) -> dict[str, Any]:
    return {
        "liked_and_admired": FIRST.liked_and_admired,
        "important_to_me": FIRST.important_to_me,
        "how_to_support": FIRST.how_to_support,
        "contributed": ["pupil"],
        "staff_contributors": "",
        "other_contributors": "",
        "written_on_0": "3",
        "written_on_1": "3",
        "written_on_2": "2025",
        "version": str(number),
        **changes,
    }


def _url(name: str, pupil: Pupil, *extra: Any) -> str:
    return reverse(f"profiles:{name}", args=[pupil.pk, *extra])


def _events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[before:])


# Versions -----------------------------------------------------------------------------------------


def test_each_save_adds_a_version_and_old_ones_are_kept(world: World) -> None:
    _save(world.p1)
    second = _content(2)
    _save(world.p1, second, version=1, on=date(2025, 6, 2))
    _save(world.p1, _content(3), version=2, on=date(2025, 11, 10))
    versions = list(ProfileVersion.objects.of_pupil(world.p1))
    assert [v.number for v in versions] == [3, 2, 1]
    assert versions[2].content == FIRST and versions[1].content == second
    assert OnePageProfile.objects.get(pupil=world.p1).version == 3


def test_the_history_lists_versions_newest_first_and_old_ones_can_be_read(
    world: World, client_for: Callable[..., Client]
) -> None:
    _save(world.p1)
    _save(world.p1, _content(2), version=1, on=date(2025, 6, 2))
    client = client_for(world.teacher_a)
    page = client.get(_url("history", world.p1)).content.decode()
    assert page.index("Version 2") < page.index("Version 1")
    old = client.get(_url("version", world.p1, 1)).content.decode()
    assert "This is an old version" in old and "drawing dragons" in old
    current = client.get(_url("version", world.p1, 2)).content.decode()
    assert "This is an old version" not in current and "Support 2." in current


def test_a_version_number_of_another_pupil_or_none_is_404(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p2)  # p2 has version 1; p1 has none
    client = client_for(world.senco_a)
    assert client.get(_url("version", world.p1, 1)).status_code == 404
    assert client.get(_url("version", world.p2, 2)).status_code == 404


def test_the_profile_page_shows_the_current_version_with_date_and_contributors(
    world: World, client_for: Callable[..., Client]
) -> None:
    _save(world.p1, ProfileContent(**{**FIRST.__dict__, "staff_contributors": "Mrs Patel (class teacher)"}))
    page = client_for(world.ta_a).get(_url("profile", world.p1)).content.decode()
    assert "Give me a quiet place" in page
    assert "3 March 2025" in page
    assert "Priya (the pupil)" in page and "Mrs Patel (class teacher)" in page
    assert "Parents or carers" not in page


def test_saving_through_the_page_writes_a_version_the_chronology_and_one_audit_event(
    world: World, client_for: Callable[..., Client]
) -> None:
    before = AuditEvent.objects.count()
    response = client_for(world.ta_a).post(_url("edit", world.p1), _form(0, contributed=["pupil", "parents"]))
    assert response.status_code == 302 and response["Location"] == _url("profile", world.p1)
    version = ProfileVersion.objects.of_pupil(world.p1).get()
    assert version.recorded_by == world.ta_a and version.parents_contributed and version.pupil_contributed
    events = _events(before)
    assert [(e.action, e.object_type, e.actor_email, e.actor_role) for e in events] == [
        ("create", "profiles.profileversion", world.ta_a.email, "teaching_assistant")
    ]
    entry = ChronologyEntry.objects.get(pupil=world.p1, kind=ChronologyKind.PROFILE_UPDATED)
    assert entry.occurred_on == date(2025, 3, 3) and entry.recorded_by == world.ta_a
    assert entry.summary == "One-page profile written (version 1)"


def test_an_update_names_the_changed_sections_on_the_chronology(world: World) -> None:
    _save(world.p1)
    _save(world.p1, ProfileContent(**{**FIRST.__dict__, "how_to_support": "Let me move."}), version=1)
    entry = ChronologyEntry.objects.filter(kind=ChronologyKind.PROFILE_UPDATED).order_by("-id").first()
    assert entry is not None
    assert entry.summary == "One-page profile updated (version 2): changed how best to support me"


def test_the_form_is_filled_in_from_the_current_version(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1)
    page = client_for(world.teacher_a).get(_url("edit", world.p1)).content.decode()
    assert "drawing dragons" in page and 'name="version" value="1"' in page
    assert 'value="pupil" checked' in page


# Identical saves and concurrent edits ----------------------------------------------------------


def test_saving_identical_text_makes_no_version_and_says_so(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1)
    before, chronology = AuditEvent.objects.count(), ChronologyEntry.objects.count()
    client = client_for(world.senco_a)
    # Browsers send CRLF line breaks: the same text with them is still the same text.
    response = client.post(_url("edit", world.p1), _form(1, written_on_0="9"), follow=True)
    assert "Nothing was changed, so no new version was saved" in response.content.decode()
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1
    assert ChronologyEntry.objects.count() == chronology
    assert [e.action for e in _events(before)] == ["view"]  # the profile page it landed on


def test_line_breaks_from_a_browser_compare_equal(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1, ProfileContent(**{**FIRST.__dict__, "important_to_me": "My nan.\nMy dog."}))
    client_for(world.senco_a).post(_url("edit", world.p1), _form(1, important_to_me="My nan.\r\nMy dog."))
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1


def test_a_double_submit_saves_one_version(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.teacher_a)
    first = client.post(_url("edit", world.p1), _form(0))
    second = client.post(_url("edit", world.p1), _form(0))
    assert first.status_code == second.status_code == 302
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1


def test_a_stale_save_is_refused_showing_the_other_text_and_keeping_the_typing(
    world: World, client_for: Callable[..., Client]
) -> None:
    _save(world.p1)
    # The TA opens the form on version 1; meanwhile the teacher saves version 2.
    client_for(world.teacher_a).post(_url("edit", world.p1), _form(1, how_to_support="Use my visual timetable."))
    response = client_for(world.ta_a).post(
        _url("edit", world.p1), _form(1, how_to_support="Let me use the wobble cushion.")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Someone else saved a new version of this profile" in page
    assert "Use my visual timetable." in page  # the other person's text
    assert "Let me use the wobble cushion." in page  # this person's typing
    assert 'name="version" value="2"' in page  # saving again goes on top of version 2
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 2
    again = client_for(world.ta_a).post(
        _url("edit", world.p1), _form(2, how_to_support="Let me use the wobble cushion.")
    )
    assert again.status_code == 302
    assert ProfileVersion.objects.of_pupil(world.p1).first().how_to_support == "Let me use the wobble cushion."  # type: ignore[union-attr]


def test_the_service_refuses_a_stale_version(world: World) -> None:
    _save(world.p1)
    _save(world.p1, _content(2), version=1)
    with pytest.raises(StaleEditError) as error:
        _save(world.p1, _content(9), version=1)
    assert error.value.current.number == 2
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 2


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"written_on_0": "31", "written_on_1": "2"}, "Date written must be a real date"),
        ({"written_on_1": ""}, "Date written must include a month"),
        ({"written_on_2": "2099"}, "Date written must be today or in the past"),
        ({"written_on_2": "2010"}, "Date written must be after Priya’s date of birth"),
        ({"how_to_support": "  "}, "Enter how best to support Priya"),
        ({"liked_and_admired": ""}, "Enter what people like and admire about Priya"),
        ({"contributed": []}, "Say who contributed"),
        ({"contributed": ["aliens"]}, "Select a valid choice"),
        ({"important_to_me": "x" * 3001}, "at most 3000 characters"),
        ({"version": "abc"}, "This form is out of date"),
    ],
)
def test_bad_input_gets_a_400_and_saves_nothing(
    world: World, client_for: Callable[..., Client], changes: dict[str, Any], message: str
) -> None:
    response = client_for(world.senco_a).post(_url("edit", world.p1), _form(0, **changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and message in page
    assert not ProfileVersion.objects.exists()


def test_a_new_version_cannot_be_dated_before_the_current_one(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1, on=date(2025, 6, 2))
    response = client_for(world.senco_a).post(_url("edit", world.p1), _form(1, how_to_support="New."))
    assert response.status_code == 400
    assert "Date written must be the same as or after 2 June 2025" in response.content.decode()
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1


# Who may do what ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["profile", "history", "print", "edit"])
@pytest.mark.parametrize("persona", ["other_teacher_a", "senco_b", "senco_c", "officer_north", "platform_admin"])
def test_people_who_cannot_reach_the_pupil_get_404(
    world: World, client_for: Callable[..., Client], name: str, persona: str
) -> None:
    _save(world.p1)
    response = client_for(world.persona(persona)).get(_url(name, world.p1))
    assert response.status_code == 404
    assert "drawing dragons" not in response.content.decode()


def test_a_senior_leader_reads_the_profile_but_may_not_write_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    _save(world.p1)
    client = client_for(world.head_a)
    page = client.get(_url("profile", world.p1)).content.decode()
    assert "drawing dragons" in page and "Update the profile" not in page
    assert client.get(_url("edit", world.p1)).status_code == 403
    assert client.post(_url("edit", world.p1), _form(1, how_to_support="No.")).status_code == 403
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1


def test_a_linked_teacher_unlinked_loses_access(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1)
    world.p1.staff_links.filter(user=world.teacher_a).delete()
    assert client_for(world.teacher_a).get(_url("profile", world.p1)).status_code == 404


# Audit ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extra"), [("profile", ()), ("history", ()), ("print", ()), ("edit", ()), ("version", (1,))]
)
def test_each_page_view_leaves_one_audit_event(
    world: World, client_for: Callable[..., Client], name: str, extra: tuple[int, ...]
) -> None:
    _save(world.p1)
    before = AuditEvent.objects.count()
    assert client_for(world.teacher_a).get(_url(name, world.p1, *extra)).status_code == 200
    events = _events(before)
    assert [(e.action, e.pupil_id, e.actor_email) for e in events] == [("view", world.p1.pk, world.teacher_a.email)]


def test_viewing_a_pupil_without_a_profile_is_audited_too(world: World, client_for: Callable[..., Client]) -> None:
    before = AuditEvent.objects.count()
    page = client_for(world.head_a).get(_url("profile", world.p1)).content.decode()
    assert "has no one-page profile yet" in page and "Write Priya" not in page
    assert len(_events(before)) == 1


# The print page and the pupil page --------------------------------------------------------------


def test_the_print_page_is_clean_and_uses_its_stylesheet(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1)
    page = client_for(world.senco_a).get(_url("print", world.p1)).content.decode()
    assert "profiles/print.css" in page and "drawing dragons" in page
    assert "style=" not in page and "<script>" not in page
    assert "govuk-service-navigation" not in page  # no site header to print


def test_the_pupil_page_shows_an_excerpt_for_staff(world: World, client_for: Callable[..., Client]) -> None:
    _save(world.p1, ProfileContent(**{**FIRST.__dict__, "how_to_support": " ".join(["word"] * 40) + " zebracorn"}))
    page = client_for(world.ta_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "One-page profile" in page and "3 March 2025" in page
    assert "word word" in page and "zebracorn" not in page  # an excerpt, not the whole section
    assert _url("edit", world.p1) in page


@pytest.mark.parametrize(("persona", "invited"), [("senco_a", True), ("teacher_a", True), ("head_a", False)])
def test_the_pupil_page_invites_those_who_may_to_write_the_first_profile(
    world: World, client_for: Callable[..., Client], persona: str, invited: bool
) -> None:
    page = client_for(world.persona(persona)).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "No profile yet" in page
    assert (_url("edit", world.p1) in page) is invited


# Query counts ---------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda p: _url("profile", p),
        lambda p: _url("history", p),
        lambda p: _url("print", p),
        lambda p: _url("edit", p),
        lambda p: _url("version", p, 1),
        lambda p: reverse("pupils:detail", args=[p.pk]),
    ],
    ids=["profile", "history", "print", "edit", "version", "pupil page"],
)
def test_pages_use_a_fixed_number_of_queries_whatever_the_history(
    world: World, client_for: Callable[..., Client], url_of: Callable[[Pupil], str]
) -> None:
    client = client_for(world.teacher_a)
    _save(world.p1)
    client.get(url_of(world.p1))  # warm the session and the caches
    small = _queries(client, url_of(world.p1))
    for n in range(2, 13):
        _save(world.p1, _content(n), version=n - 1)
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 12
    assert _queries(client, url_of(world.p1)) == small


def test_naming_staff_alone_is_enough_to_say_who_contributed(world: World, client_for: Callable[..., Client]) -> None:
    form = _form(0, contributed=[], staff_contributors="Mrs Patel (class teacher)")
    assert client_for(world.senco_a).post(_url("edit", world.p1), form).status_code == 302
    version = ProfileVersion.objects.of_pupil(world.p1).get()
    assert not version.pupil_contributed and version.staff_contributors == "Mrs Patel (class teacher)"


def test_two_people_writing_the_first_profile_at_once_the_later_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    client_for(world.teacher_a).post(_url("edit", world.p1), _form(0))
    before = AuditEvent.objects.count()
    response = client_for(world.ta_a).post(_url("edit", world.p1), _form(0, how_to_support="Let me stand up."))
    assert response.status_code == 400
    assert "Someone else saved a new version" in response.content.decode()
    assert ProfileVersion.objects.of_pupil(world.p1).count() == 1
    # Showing the other person's version is a look at the profile: one VIEW event, no write.
    assert [(e.action, e.object_type) for e in _events(before)] == [("view", "profiles.profileversion")]
