"""The campaign report as one self-contained HTML file: inline CSS, inline SVG charts and a few
lines of inline script (hover tooltips, series toggles), nothing fetched, so it works offline.

Every number links to the rows it was computed from: a "where it comes from" block listing the
rows, each linking to its appendix row (``#row-TABLE-ID``) or, on the web, to the row's page
where one exists (``row_url``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from kolscope.adapters.documents.report_charts import legend, report_charts, svg
from kolscope.core.reporting.models import CampaignReport

#: ``row_url(table, row id, collaboration id or None)``: a page for the row, or None.
RowUrl = Callable[[str, int | str, int | None], str | None]


@cache
def _environment() -> Environment:
    """Autoescaping everywhere: handles, captions and comments come from outside."""
    env = Environment(loader=PackageLoader("kolscope.adapters.documents", "templates"),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["num"] = format_number
    return env


def format_number(value: object, unit: str = "count", currency: str | None = None) -> str:
    """A report number as people read it; unknown is "n/a", never 0."""
    if value is None:
        return "n/a"
    if unit == "share":
        return f"{float(value):.2%}"  # type: ignore[arg-type]
    if unit == "money":
        text = f"{Decimal(str(value)):,.2f}"
        return f"{text} {currency}" if currency else text
    if unit == "ratio":
        return f"{float(value):,.2f}"  # type: ignore[arg-type]
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _owners(report: CampaignReport) -> dict[tuple[str, int | str], int]:
    """The collaboration each appendix row belongs to, from its KOL column."""
    by_handle = {"@" + k.handle: k.collaboration_id for k in report.kols}
    owners: dict[tuple[str, int | str], int] = {}
    for table in report.evidence:
        if "KOL" not in table.columns:
            continue
        at = table.columns.index("KOL")
        for row in table.rows:
            collab = by_handle.get(str(row[at]))
            if collab is not None and isinstance(row[0], int | str):
                owners[(table.table, row[0])] = collab
    return owners


def render_report_html(report: CampaignReport, *, row_url: RowUrl | None = None,
                       fragment: bool = False) -> str:
    """The report page (or, with ``fragment``, its body for embedding in another page)."""
    owners = _owners(report)

    def link(table: str, row_id: int | str) -> str:
        if row_url is not None:
            collab = row_id if table == "collaborations" and isinstance(row_id, int) \
                else owners.get((table, row_id))
            url = row_url(table, row_id, collab)
            if url:
                return url
        return f"#row-{table}-{row_id}"

    charts = [(c, svg(c), legend(c)) for c in report_charts(report)]
    return _environment().get_template("report.html").render(
        r=report, charts=charts, link=link, fragment=fragment, cur=report.currency)
