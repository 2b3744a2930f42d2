"""The My Support Plan as a document to send: the outline shared by its PDF and Word versions."""

from django.utils import timezone

from graduated.lib.exports import Facts, Outline, Paragraphs, Section, Table
from graduated.pupils.models import Pupil
from graduated.statutory.models import PlanVersion

NOT_RECORDED = "Nothing recorded."


def _day(value: object) -> str:
    return f"{value:%-d %B %Y}"


def _part(heading: str, items: list[tuple[str, str]]) -> list[Section]:
    """A part of the plan as a heading with a sub-heading for each of its sections."""
    sections = [Section(heading)]
    for label, text in items:
        sections.append(Section(label, [Paragraphs(text.split("\n\n") if text else [NOT_RECORDED])], level=3))
    return sections


def plan_outline(pupil: Pupil, version: PlanVersion) -> Outline:
    """Every part of ``version``: its outcomes and meeting must be loaded (plan_selectors does)."""
    outline = Outline(
        title=f"My Support Plan: {pupil.display_name}",
        subtitle=f"Agreed on {_day(version.agreed_on)} (version {version.number})",
        produced_on=timezone.localdate(),
    )
    meeting = version.meeting
    outline.sections.append(
        Section(
            "About this plan",
            [
                Facts(
                    [
                        ("Date of birth", _day(pupil.date_of_birth)),
                        ("Date agreed", _day(version.agreed_on)),
                        ("Next review by", _day(version.next_review_on)),
                        ("Agreed at", f"Person-centred planning meeting on {_day(meeting.held_on)}" if meeting else
                         "Not agreed at a recorded meeting"),
                        ("Looked-after status", version.get_looked_after_display()),
                    ]
                )
            ],
        )
    )  # fmt: skip
    parts = version.parts
    for heading, items in parts[:5]:
        outline.sections += _part(heading, items)
    outcomes = list(version.outcomes.all())
    outline.sections.append(
        Section(
            "Outcomes agreed at the meeting",
            [
                Table("Outcomes", ["What I will achieve", "Who will help", "By when"],
                      [[o.description, o.who, _day(o.by_when)] for o in outcomes])
                if outcomes else Paragraphs(["No outcomes recorded."])
            ],
        )
    )  # fmt: skip
    for heading, items in parts[5:]:
        outline.sections += _part(heading, items)
    return outline
