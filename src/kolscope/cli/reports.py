"""`kolscope report`: the campaign report as HTML, PDF, CSV or XLSX, campaigns side by side,
and the KOL leaderboard."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolscope.adapters.documents.report_html import format_number
from kolscope.adapters.documents.reports import FORMATS, parse_formats, render_report
from kolscope.app.reports import (
    campaign_comparison,
    campaign_report,
    kol_leaderboard,
    kol_performance,
)
from kolscope.cli.campaigns import Json
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.core.reporting.compare import RANK_UNITS, RANKABLE
from kolscope.errors import InvalidInput, SourceError

app = typer.Typer(help="Campaign reports: the report and its exports, comparisons, the KOL "
                       "leaderboard.", no_args_is_help=True)


def _targets(slug: str, formats: str | None, out: Path | None) -> list[tuple[str, Path]]:
    """Where each format goes: ``--out FILE`` for one format (or by its extension), ``--out
    DIR`` (or the current folder) for several, as SLUG.EXT."""
    if formats is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        formats = suffix if suffix in FORMATS else "html"
    names = parse_formats(formats)
    if out is not None and len(names) == 1 and out.suffix and not out.is_dir():
        return [(names[0], out)]
    folder = out or Path.cwd()
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; several formats need a folder", field="out")
    folder.mkdir(parents=True, exist_ok=True)
    return [(name, folder / f"{slug}.{FORMATS[name][1]}") for name in names]


@app.command("campaign")
@handled
def campaign(slug: str,
             formats: Annotated[str | None, typer.Option(
                 "--format", "-f", help="html, pdf, csv, xlsx or json; several comma-separated "
                                        "(default: by --out's extension, else html).")] = None,
             out: Annotated[Path | None, typer.Option(
                 help="File for one format, folder for several (default: the current "
                      "folder, as SLUG.EXT).")] = None,
             as_json: Json = False) -> None:
    """A campaign's report: KPIs against targets and forecast, per-KOL and per-platform tables,
    best content, sentiment, spend and ROI, what to rehire; every number traced to its rows."""
    with state.uow() as uow:
        report = campaign_report(uow, workspace=state.ws, slug=slug, now=utc_now())
    if as_json:
        print_json(report)
        return
    written = []
    for name, path in _targets(slug, formats, out):
        try:
            path.write_bytes(render_report(report, name).body)
        except OSError as exc:
            raise SourceError(f"{path}: cannot write: {exc.strerror}", file=str(path)) from None
        written.append(str(path))
    for line in report.summary:
        console.print(line, highlight=False)
    console.print("wrote " + ", ".join(written), highlight=False, soft_wrap=True)


@app.command("compare")
@handled
def compare(slugs: Annotated[list[str], typer.Argument(help="Two or more campaign slugs.")],
            as_json: Json = False) -> None:
    """Campaigns side by side: the same KPIs by the same definitions."""
    with state.uow() as uow:
        view = campaign_comparison(uow, workspace=state.ws, slugs=slugs, now=utc_now())
    if as_json:
        print_json(view)
        return
    rows = []
    for i, key in enumerate(view.keys):
        rows.append((view.labels[key], *(format_number(k[i].value, k[i].unit, c.currency)
                                         for c, k in zip(view.campaigns, view.kpis,
                                                         strict=True))))
    table("campaigns compared", ["KPI", *(c.slug for c in view.campaigns)], rows)


@app.command("leaderboard")
@handled
def leaderboard(by: Annotated[str, typer.Option(help=f"KPI to rank by: {', '.join(RANKABLE)}.")]
                = "engagements",
                limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
                as_json: Json = False) -> None:
    """The workspace's KOLs ranked across its campaigns by one KPI (costs lowest first)."""
    with state.uow() as uow:
        board = kol_leaderboard(uow, workspace=state.ws, by=by, now=utc_now(), limit=limit)
    if as_json:
        print_json(board)
        return
    unit = RANK_UNITS.get(by, "count")
    table(f"KOLs by {by}", ["#", "KOL", "platform", "campaigns", by, "spend"],
          [(str(row.rank), f"@{row.kol.handle}", row.kol.platform, ", ".join(row.campaigns),
            format_number(getattr(row.kol, by), unit), format_number(row.kol.spend, "money"))
           for row in board.rows])


@app.command("kol")
@handled
def kol(account_id: int, as_json: Json = False) -> None:
    """One KOL's results in every campaign it took part in (its line of each report)."""
    with state.uow() as uow:
        rows = kol_performance(uow, workspace=state.ws, account_id=account_id, now=utc_now())
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(f"account {account_id} has taken part in no campaign yet")
        return
    table(f"@{rows[0].line.handle} in {len(rows)} campaign(s)",
          ["campaign", "stage", "posts", "engagements", "clicks", "orders", "revenue", "spend",
           "CPE", "ROI"],
          [(r.campaign, r.line.stage, str(r.line.posts),
            format_number(r.line.engagements, "count"), format_number(r.line.clicks, "count"),
            format_number(r.line.orders, "count"), format_number(r.line.revenue, "money"),
            format_number(r.line.spend, "money"), format_number(r.line.cpe, "money"),
            format_number(r.line.roi, "share")) for r in rows])
