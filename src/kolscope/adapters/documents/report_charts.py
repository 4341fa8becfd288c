"""Chart geometry for campaign reports, drawn as inline SVG (HTML) and as vectors (PDF).

Only positions are worked out here; the values come from the report as they are. One geometry
serves both renderers, so the PDF and the HTML show the same chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from kolscope.core.reporting.models import CampaignReport

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 56
PALETTE = ("#2f6fed", "#12b76a", "#f04438", "#f79009", "#7a5af8")
MAX_BARS = 15


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A chart: one or more series over categories, drawn as bars or as lines."""

    key: str
    title: str
    kind: str  # "bars" or "lines"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""


@dataclass(frozen=True)
class Mark:
    series: str
    color: str
    x: float
    y: float
    w: float
    h: float
    tip: str


@dataclass(frozen=True)
class Layout:
    chart: Chart
    top_value: float
    ticks: list[tuple[float, str]]  # (y, label)
    labels: list[tuple[float, str]]  # (x, category)
    marks: list[Mark]
    lines: dict[str, list[tuple[float, float]]]


def nice_top(highest: float, ticks: int = 4, empty: float = 1.0) -> tuple[float, float]:
    """An axis top at or above ``highest`` and a round step for ``ticks`` gridlines; an axis
    with nothing above zero runs to ``empty``."""
    if highest <= 0:
        return empty, empty / ticks
    raw = highest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.ceil(highest / step - 1e-9) * step, step


def _label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2f}"


def layout(chart: Chart) -> Layout:
    """Positions of every bar or point, the y ticks and the category labels."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    highest = max((v for s in chart.series for v in s.values), default=0.0)
    top, step = nice_top(highest)
    n = max(len(chart.categories), 1)
    slot = (right - LEFT) / n

    def y_at(v: float) -> float:
        return round(bottom - v / top * (bottom - TOP), 1)

    ticks = [(y_at(i * step), _label(i * step)) for i in range(round(top / step) + 1)]
    labels = [(round(LEFT + slot * (i + 0.5), 1), c) for i, c in enumerate(chart.categories)]
    marks: list[Mark] = []
    lines: dict[str, list[tuple[float, float]]] = {}
    width = slot * 0.8 / max(len(chart.series), 1)
    for j, s in enumerate(chart.series):
        for i, (category, v) in enumerate(zip(chart.categories, s.values, strict=True)):
            tip = f"{category} · {s.name}: {_label(v)}{chart.unit}"
            if chart.kind == "bars":
                x = LEFT + slot * i + slot * 0.1 + width * j
                marks.append(Mark(s.name, s.color, round(x, 1), y_at(v), round(width, 1),
                                  round(bottom - y_at(v), 1), tip))
            else:
                x = LEFT + slot * (i + 0.5)
                marks.append(Mark(s.name, s.color, round(x, 1), y_at(v), 0, 0, tip))
                lines.setdefault(s.name, []).append((round(x, 1), y_at(v)))
    return Layout(chart, top, ticks, labels, marks, lines)


def report_charts(report: CampaignReport) -> list[Chart]:
    """The report's charts: engagements per KOL, spend against revenue, sentiment by day."""
    posted = sorted((k for k in report.kols if k.posts), key=lambda k: -(k.engagements or 0))
    top = posted[:MAX_BARS]
    charts = [Chart("engagements", "Engagements per KOL", "bars",
                    tuple("@" + k.handle for k in top),
                    (Series("engagements", PALETTE[0],
                            tuple(float(k.engagements or 0) for k in top)),))]
    cur = f" {report.currency}" if report.currency else ""
    money = [Series("spend", PALETTE[3], tuple(float(k.spend) for k in top))]
    if report.conversion_data:
        money.append(Series("revenue", PALETTE[1], tuple(float(k.revenue or 0) for k in top)))
    charts.append(Chart("money", "Spend and revenue per KOL", "bars",
                        tuple("@" + k.handle for k in top), tuple(money), cur))
    days = report.sentiment
    if days:
        charts.append(Chart("sentiment", "Scored comments per day", "lines",
                            tuple(d.day.isoformat()[5:] for d in days),
                            (Series("positive", PALETTE[1], tuple(float(d.positive) for d in days)),
                             Series("neutral", "#98a2b3", tuple(float(d.neutral) for d in days)),
                             Series("negative", PALETTE[2],
                                    tuple(float(d.negative) for d in days)))))
    return charts


def _short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def svg(chart: Chart) -> str:
    """The chart as an inline SVG element; every text escaped."""
    lay = layout(chart)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    e = escape
    out = [f'<svg class="report-chart" data-chart="{e(chart.key)}" viewBox="0 0 {WIDTH} '
           f'{HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
           f'aria-label="{e(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{e(chart.title)}</title>"]
    for y, label in lay.ticks:
        out.append(f'<line class="grid" x1="{LEFT}" x2="{right}" y1="{y}" y2="{y}"/>'
                   f'<text class="tick" x="{LEFT - 6}" y="{y}" text-anchor="end" '
                   f'dominant-baseline="middle">{e(label)}</text>')
    out.append(f'<line class="axis" x1="{LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    for x, label in lay.labels:
        out.append(f'<text class="tick" x="{x}" y="{bottom + 14}" text-anchor="end" '
                   f'transform="rotate(-30 {x} {bottom + 14})">{e(_short(label))}</text>')
    for name, points in lay.lines.items():
        color = next(s.color for s in chart.series if s.name == name)
        coords = " ".join(f"{x},{y}" for x, y in points)
        out.append(f'<polyline data-series="{e(name)}" points="{coords}" fill="none" '
                   f'stroke="{color}" stroke-width="2"/>')
    for m in lay.marks:
        if chart.kind == "bars":
            out.append(f'<rect data-series="{e(m.series)}" data-tip="{e(m.tip)}" x="{m.x}" '
                       f'y="{m.y}" width="{m.w}" height="{max(m.h, 0.5)}" fill="{m.color}">'
                       f"<title>{e(m.tip)}</title></rect>")
        else:
            out.append(f'<circle data-series="{e(m.series)}" data-tip="{e(m.tip)}" cx="{m.x}" '
                       f'cy="{m.y}" r="4" fill="{m.color}"><title>{e(m.tip)}</title></circle>')
    out.append("</svg>")
    return "".join(out)


def legend(chart: Chart) -> list[tuple[str, str]]:
    """(series name, colour) of each series, for a legend that toggles them."""
    return [(s.name, s.color) for s in chart.series]


def charts_svg(charts: Sequence[Chart]) -> list[tuple[Chart, str]]:
    return [(c, svg(c)) for c in charts]
