"""The engagement chart's geometry: order, scale, ticks and the words screen readers hear."""

from __future__ import annotations

from datetime import datetime

import pytest

from kolscope.app.models import PostView
from kolscope.core.platforms import PostFormat
from kolscope.web.charts import BOTTOM, HEIGHT, INSET, LEFT, RIGHT, TOP, WIDTH, engagement_chart


def post(day: int, rate: float | None, *, sponsored: bool = False) -> PostView:
    return PostView(id=day, platform_post_id=str(day), url=None, format=PostFormat.IMAGE,
                    posted_at=datetime(2019, 1, day), caption="", likes=1, comments_count=0,
                    views=None, is_sponsored=sponsored, is_paid_partnership=False,
                    language=None, engagement_rate=rate)


def test_points_run_oldest_to_newest_on_a_round_scale() -> None:
    chart = engagement_chart([post(8, 0.048), post(1, 0.0915, sponsored=True), post(5, None)])
    assert chart is not None
    plot_bottom, plot_height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    # two plottable posts; the one without a rate is left out
    assert [p.tooltip for p in chart.points] == ["2019-01-01: 9.15% (image, sponsored)",
                                                 "2019-01-08: 4.80% (image)"]
    assert [p.sponsored for p in chart.points] == [True, False]
    first_x, last_x = LEFT + INSET, WIDTH - RIGHT - INSET
    assert (chart.points[0].x, chart.points[1].x) == (first_x, last_x)
    # 9.15% tops out at 10% in steps of 2.5%: 4.8% sits 48% of the way up
    assert [t.label for t in chart.y_ticks] == ["0.0%", "2.5%", "5.0%", "7.5%", "10.0%"]
    assert chart.points[1].y == round(plot_bottom - 0.48 * plot_height, 1)
    assert [t.label for t in chart.x_ticks] == ["2019-01-01", "2019-01-08"]
    assert chart.line == f"{first_x:.1f},{chart.points[0].y} {last_x:.1f},{chart.points[1].y}"
    assert chart.aria_label == ("Engagement rate of 2 posts from 2019-01-01 to 2019-01-08, "
                                "between 4.80% and 9.15%")


def test_posts_are_placed_by_date() -> None:
    chart = engagement_chart([post(1, 0.01), post(2, 0.02), post(11, 0.03)])
    assert chart is not None
    xs = [p.x for p in chart.points]
    assert xs[1] - xs[0] == pytest.approx((WIDTH - RIGHT - LEFT - 2 * INSET) / 10, abs=0.1)


def test_a_single_post_is_centred() -> None:
    chart = engagement_chart([post(3, 0.02)])
    assert chart is not None and len(chart.points) == 1
    assert chart.points[0].x == (LEFT + WIDTH - RIGHT) / 2
    assert len(chart.x_ticks) == 1 and "1 post from" in chart.aria_label


def test_zero_rates_still_have_an_axis() -> None:
    chart = engagement_chart([post(1, 0.0), post(2, 0.0)])
    assert chart is not None
    assert chart.y_ticks[-1].label == "1.00%"
    assert {p.y for p in chart.points} == {float(HEIGHT - BOTTOM)}


def test_nothing_to_plot() -> None:
    assert engagement_chart([]) is None
    assert engagement_chart([post(1, None)]) is None
