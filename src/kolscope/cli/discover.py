"""`kolscope discover`: authority in the interaction graph."""

from __future__ import annotations

from typing import Annotated

import typer

from kolscope.adapters.engines import get_engine
from kolscope.app.discovery import compute_authority
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, fmt, print_json, table

app = typer.Typer(help="Find who a niche listens to.", no_args_is_help=True)


@app.command()
@handled
def authority(engine: Annotated[str | None, typer.Option(
                  help="Graph engine (default: KOLSCOPE_GRAPH_ENGINE).")] = None,
              as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Score every KOL's authority (PageRank, per-niche PageRank, HITS, k-core) and store it."""
    settings = state.settings
    summary = compute_authority(state.database().uow, workspace=state.ws,
                                engine=get_engine(engine or settings.graph_engine),
                                clock=utc_now,
                                half_life_days=settings.authority_half_life_days)
    if as_json:
        print_json(summary)
        return
    table(f"authority ({summary.method_version}, {summary.engine} engine)", ["", "value"], [
        ("interactions", fmt(summary.interactions)), ("graph nodes", fmt(summary.nodes)),
        ("graph edges", fmt(summary.edges)), ("creators scored", fmt(summary.creators_scored)),
        ("niches", fmt(summary.niches)), ("seconds", f"{summary.seconds:.1f}")])
    console.print("see `kolscope kols search --sort authority`")
