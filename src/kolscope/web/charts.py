"""Server-rendered charts: geometry for small inline SVGs, so pages need no charting script.

Only pixel positions and axis ticks are worked out here; the values plotted come from the read
models as they are (a post's engagement rate is the one ``PostView`` carries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kolscope.adapters.documents.report_charts import nice_top
from kolscope.app.models import PostView
from kolscope.web.format import as_utc, day, percent

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 20, 16, 44  # margins around the plot area, in SVG units
INSET = 14  # keeps the first and last points off the axes
Y_TICKS = 4


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    tooltip: str
    sponsored: bool


@dataclass(frozen=True)
class LineChart:
    """What the chart template draws: points, the line through them and both axes."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[ChartPoint]
    line: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    aria_label: str


def engagement_chart(posts: Sequence[PostView]) -> LineChart | None:
    """Engagement rate of each dated post, oldest to newest; ``None`` with nothing to plot."""
    rows = sorted(((as_utc(p.posted_at).timestamp(), p.engagement_rate, p) for p in posts
                   if p.posted_at is not None and p.engagement_rate is not None),
                  key=lambda row: row[0])
    if not rows:
        return None
    times, rates, plotted = ([t for t, _, _ in rows], [r for _, r, _ in rows],
                             [p for _, _, p in rows])
    top_value, step = nice_top(max(rates), Y_TICKS, empty=0.01)  # rates: 1 % when all are 0
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    start, span = times[0], times[-1] - times[0]

    def x_at(t: float) -> float:
        if span == 0:
            return (LEFT + right) / 2
        return LEFT + INSET + (t - start) / span * (right - LEFT - 2 * INSET)

    def y_at(v: float) -> float:
        return bottom - v / top_value * (bottom - TOP)

    points = [ChartPoint(round(x_at(t), 1), round(y_at(r), 1), _tooltip(p), p.is_sponsored)
              for p, t, r in zip(plotted, times, rates, strict=True)]
    digits = _digits(step)
    y_ticks = [Tick(round(y_at(i * step), 1), percent(i * step, digits))
               for i in range(round(top_value / step) + 1)]
    x_ticks = [Tick(points[0].x, day(plotted[0].posted_at))]
    if span:
        x_ticks.append(Tick(points[-1].x, day(plotted[-1].posted_at)))
    return LineChart(WIDTH, HEIGHT, LEFT, right, TOP, bottom, points,
                     " ".join(f"{p.x},{p.y}" for p in points), x_ticks, y_ticks,
                     _aria_label(plotted, rates))


def _tooltip(post: PostView) -> str:
    note = ", sponsored" if post.is_sponsored else ""
    return f"{day(post.posted_at)}: {percent(post.engagement_rate)} ({post.format.value}{note})"


def _aria_label(plotted: Sequence[PostView], rates: Sequence[float]) -> str:
    count = f"{len(plotted)} post" + ("s" if len(plotted) != 1 else "")
    return (f"Engagement rate of {count} from {day(plotted[0].posted_at)} to "
            f"{day(plotted[-1].posted_at)}, between {percent(min(rates))} "
            f"and {percent(max(rates))}")


def _digits(step: float) -> int:
    """Decimals needed to print every multiple of ``step`` as a percentage exactly."""
    pct = step * 100
    for digits in range(4):
        if abs(round(pct, digits) - pct) < 1e-9:
            return digits
    return 4
