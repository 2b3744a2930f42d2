"""The families' pages are written for a reading age of about 9 to 11: their own words (not the
record's data) score at most grade 6 on the Flesch-Kincaid scale, page by page."""

from pathlib import Path

import pytest

from graduated.lib.readability import grade, template_words

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "families"
FAMILY_PAGES = ["child.html", "views.html", "home.html", "child_form.html", "child_form_gone.html", "thread.html"]
HIGHEST_GRADE = 6.0


@pytest.mark.parametrize("name", FAMILY_PAGES)
def test_a_family_page_reads_at_a_reading_age_of_about_nine_to_eleven(name: str) -> None:
    words = template_words((TEMPLATES / name).read_text())
    assert len(words.split()) > 10, "the page's words were not found"
    assert grade(words) <= HIGHEST_GRADE


def test_the_measure_tells_a_heavy_sentence_from_a_plain_one() -> None:
    plain = "We will look at how it went. You can tell us what you think."
    heavy = (
        "Notwithstanding the aforementioned considerations, the multidisciplinary professionals will "
        "subsequently evaluate the effectiveness of the individualised provision arrangements."
    )
    assert grade(plain) < 3 < HIGHEST_GRADE < grade(heavy)


def test_translated_strings_are_read_and_the_records_data_is_not() -> None:
    source = '{% load i18n %}<p>{% translate "Your support" %}: {{ outcome.description }}</p>'
    assert template_words(source).split() == ["Your", "support:"]
