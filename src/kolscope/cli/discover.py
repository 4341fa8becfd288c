"""`kolscope discover`: authority in the interaction graph."""

from __future__ import annotations

from typing import Annotated

import typer

from kolscope.adapters.engines import get_engine
from kolscope.app.audience import research_audience
from kolscope.app.classification import breakdown as kol_breakdown
from kolscope.app.classification import classify_workspace
from kolscope.app.discovery import compute_authority
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, fmt, print_json, table

app = typer.Typer(help="Find who a niche listens to.", no_args_is_help=True)


@app.command()
@handled
def authority(engine: Annotated[str | None, typer.Option(
                  help="Graph engine (default: KOLSCOPE_GRAPH_ENGINE).")] = None,
              full: Annotated[bool, typer.Option(
                  "--full", help="Rebuild the interaction graph from every interaction instead "
                                 "of folding in the new ones.")] = False,
              as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Score every KOL's authority (PageRank, per-niche PageRank, HITS, k-core) and store it."""
    settings = state.settings
    summary = compute_authority(state.database().uow, workspace=state.ws,
                                engine=get_engine(engine or settings.graph_engine, settings),
                                clock=utc_now,
                                half_life_days=settings.authority_half_life_days,
                                store=state.graphs(), full=full)
    if as_json:
        print_json(summary)
        return
    build = summary.graph_build + (f" ({summary.graph_build_reason})"
                                   if summary.graph_build_reason else "")
    table(f"authority ({summary.method_version}, {summary.engine} engine)", ["", "value"], [
        ("graph build", build), ("new interactions", fmt(summary.new_interactions)),
        ("interactions", fmt(summary.interactions)), ("graph nodes", fmt(summary.nodes)),
        ("graph edges", fmt(summary.edges)), ("creators scored", fmt(summary.creators_scored)),
        ("niches", fmt(summary.niches)),
        ("seconds", f"{summary.seconds:.1f} (graph {summary.graph_seconds:.1f})")])
    console.print("see `kolscope kols search --sort authority`")


@app.command()
@handled
def classify(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Predict every KOL's niche and type it (expert, celebrity, influencer, KOC), with reasons.

    Run `kolscope discover authority` first: its percentiles are signals of the expert type.
    """
    summary = classify_workspace(state.database().uow, workspace=state.ws, clock=utc_now)
    if as_json:
        print_json(summary)
        return
    console.print(f"classified {summary.accounts:,} accounts in {summary.seconds:.1f} s "
                  f"(niche model fitted on {summary.trained_on:,} labelled accounts; "
                  f"{summary.niche_method}, {summary.kol_type_method})")
    table("KOL types", ["type", "accounts"],
          [(k, fmt(v)) for k, v in sorted(summary.kol_types.items())])


@app.command()
@handled
def breakdown(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """How many KOLs there are per type and niche (source niche, else the predicted one)."""
    with state.uow() as uow:
        rows = kol_breakdown(uow, workspace=state.ws)
    if as_json:
        print_json(rows)
        return
    types = sorted({r.kol_type or "unclassified" for r in rows})
    cells: dict[tuple[str, str], int] = {}
    for r in rows:
        cells[(r.niche or "none", r.kol_type or "unclassified")] = r.accounts
    niches = sorted({n for n, _ in cells})
    table("KOLs by niche and type", ["niche", *types, "total"],
          [(n, *(fmt(cells.get((n, t), 0)) for t in types),
            fmt(sum(cells.get((n, t), 0) for t in types))) for n in niches])


@app.command()
@handled
def audience(seed: Annotated[list[str] | None, typer.Option(
                 help="An account the audience engaged with (repeatable).")] = None,
             word: Annotated[list[str] | None, typer.Option(
                 help="A word or #hashtag the audience wrote in comments (repeatable).")] = None,
             limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
             min_support: Annotated[int, typer.Option(
                 min=1, help="Fewest audience members an item needs.")] = 3,
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """What an audience engages with disproportionately: accounts and terms, by lift."""
    with state.uow() as uow:
        report = research_audience(uow, workspace=state.ws, seeds=seed or [], words=word or [],
                                   limit=limit, min_support=min_support)
    if as_json:
        print_json(report)
        return
    console.print(f"audience: {report.audience_size:,} of {report.population_size:,} commenters "
                  f"({report.method_version})")
    columns = ["audience", "everyone", "lift", "lift, 95% lower bound"]
    table("accounts this audience engages with", ["account", *columns],
          [(f"{a.platform}:{a.handle}", fmt(a.audience_count), fmt(a.baseline_count),
            f"{a.lift:.1f}", f"{a.lift_lower:.1f}") for a in report.accounts])
    table("terms this audience writes", ["term", *columns],
          [(t.item, fmt(t.audience_count), fmt(t.baseline_count), f"{t.lift:.1f}",
            f"{t.lift_lower:.1f}") for t in report.terms])
