from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from graduated.lib.testing import World
from graduated.support.charts import CHART_WIDTH, LABEL_WIDTH, ratings_chart
from graduated.support.tests.factories import reviewed_cycle


def test_each_bar_splits_its_width_by_the_share_of_each_rating() -> None:
    chart = ratings_chart({1: {"achieved": 1, "not_achieved": 3}, 2: {"achieved": 2}})
    assert chart is not None
    first, second = chart.bars
    # 1 of 4 achieved: a quarter of the width; 3 of 4 not achieved: the rest, starting where it ends.
    assert [(s.label, s.count, s.x, s.width) for s in first.segments] == [
        ("Achieved", 1, LABEL_WIDTH, CHART_WIDTH / 4),
        ("Not achieved", 3, LABEL_WIDTH + CHART_WIDTH / 4, CHART_WIDTH * 3 / 4),
    ]
    assert [(s.label, s.width) for s in second.segments] == [("Achieved", CHART_WIDTH)]
    assert second.y > first.y
    assert chart.summary == "Cycle 1: 1 achieved, 3 not achieved; Cycle 2: 2 achieved."


def test_no_rated_outcomes_means_no_chart() -> None:
    assert ratings_chart({}) is None
    assert ratings_chart({1: {}}) is None


def test_the_cycles_page_draws_the_chart_with_its_table(world: World, client_for: Callable[..., Client]) -> None:
    reviewed_cycle(world.p1, rating="not_achieved")
    page = client_for(world.senco_a).get(reverse("support:cycles", args=[world.p1.pk])).content.decode()
    assert '<svg role="img" aria-labelledby="ratings-title ratings-desc"' in page
    assert "Cycle 1: 1 not achieved." in page  # the chart's description, read by screen readers
    assert "The same figures: outcomes by rating at each review" in page


def test_the_pupil_page_shows_the_picture_of_progress(world: World, client_for: Callable[..., Client]) -> None:
    reviewed_cycle(world.p1, rating="achieved")
    page = client_for(world.teacher_a).get(reverse("pupils:detail", args=[world.p1.pk])).content.decode()
    assert "Progress across cycles" in page and "Cycle 1: 1 achieved." in page


def test_the_bars_are_drawn_at_their_segments_positions() -> None:
    chart = ratings_chart({3: {"achieved": 1, "not_achieved": 2}})
    assert chart is not None
    svg = str(chart.bars_svg)
    assert '<text x="0" y="19" font-size="15" fill="#0b0c0c">Cycle 3</text>' in svg
    first, second = chart.bars[0].segments
    assert (
        f'<rect x="{first.x}" y="0" width="{first.width}" height="28" fill="#00703c"><title>1 achieved</title>' in svg
    )
    assert f'<text x="{int(second.x) + 6}" y="19" font-size="14" fill="#ffffff">2</text>' in svg
    assert "<title>2 not achieved</title>" in svg


def test_progress_cells_escape_what_was_typed() -> None:
    from graduated.support.selectors import ProgressCell, _cells_html

    html = str(_cells_html([ProgressCell("Achieved", "<b>12</b>"), None, ProgressCell("Not achieved", "")]))
    assert 'Achieved<br><span class="govuk-body-s">&lt;b&gt;12&lt;/b&gt;</span>' in html
    assert "Not reviewed in this cycle" in html and html.endswith('<td class="govuk-table__cell">Not achieved</td>')
