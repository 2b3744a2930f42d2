"""The OAP's section of a request for an EHC needs assessment (graduated/assessment_requests/content.py):
what of the ordinarily available provision was tried, from the pupil's concerns and plans, with when.
The request page, its PDF bundle and its Word form are all drawn from this one section."""

from graduated.lib.exports import Paragraphs, Section, Table
from graduated.oap.selectors import tried_by_pupil
from graduated.pupils.models import Pupil

HEADING = "What of the ordinarily available provision was tried"


def tried_section(pupil: Pupil) -> Section:
    tried = tried_by_pupil(pupil)
    if not tried:
        return Section(
            HEADING,
            [Paragraphs(["No strategies of the local authority's ordinarily available provision are linked from "
                         "the pupil's concerns or plans."])],
        )  # fmt: skip
    rows = [
        [t.strategy.title, t.strategy.get_area_display(), t.strategy.get_level_display(), t.where, f"{t.on:%-d %B %Y}"]
        for t in tried
    ]
    return Section(
        HEADING,
        [Table("Strategies tried", ["Strategy", "Broad area of need", "Level", "Recorded in", "When"], rows)],
    )
