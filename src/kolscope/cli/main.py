"""The `kolscope` command: the root of the command tree, `serve`, `demo` and `synth`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolscope import __version__
from kolscope.adapters.sources.synthetic import SyntheticWorld, write_generic_jsonl
from kolscope.app.sample_campaign import SLUG as SAMPLE_CAMPAIGN
from kolscope.app.sample_campaign import seed_sample_campaign
from kolscope.app.workspaces import ensure_workspace
from kolscope.cli import (
    briefs,
    campaigns,
    db,
    discover,
    imports,
    kols,
    monitoring,
    outreach,
    rates,
    redirect,
    reports,
    text,
    tracking,
    vet,
    workspaces,
)
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json
from kolscope.errors import Conflict

# Enough recent posts per account that every vetting signal has something to read.
DEMO_POSTS = 10.0

app = typer.Typer(name="kolscope", no_args_is_help=True, pretty_exceptions_enable=False,
                  help="kolscope: open KOL marketing. Discover, vet, plan, run and measure.")
app.add_typer(db.app, name="db")
app.add_typer(imports.app, name="import")
app.add_typer(kols.app, name="kols")
app.add_typer(discover.app, name="discover")
app.add_typer(vet.app, name="vet")
app.add_typer(workspaces.workspace_app, name="workspace")
app.add_typer(workspaces.keys_app, name="keys")
app.add_typer(text.app, name="text")
app.add_typer(briefs.app, name="brief")
app.add_typer(campaigns.campaign_app, name="campaign")
app.add_typer(campaigns.collab_app, name="collab")
campaigns.campaign_app.command("watch")(monitoring.watch)
campaigns.collab_app.command("snapshot")(monitoring.snapshot)
app.add_typer(outreach.app, name="outreach")
app.add_typer(rates.app, name="rates")
app.add_typer(redirect.app, name="redirect")
app.add_typer(tracking.settings_app, name="tracking")
app.add_typer(tracking.links_app, name="links")
app.add_typer(tracking.promo_app, name="promo")
app.add_typer(tracking.orders_app, name="orders")
app.add_typer(tracking.live_app, name="live")
app.add_typer(tracking.attribution_app, name="attribution")
app.add_typer(reports.app, name="report")


def _version(value: bool) -> None:
    if value:
        console.print(f"kolscope {__version__}")
        raise typer.Exit()


@app.callback()
def root(workspace: Annotated[str | None, typer.Option(
             "--workspace", "-w", help="Workspace slug (default: KOLSCOPE_WORKSPACE or "
                                       "'default').")] = None,
         version: Annotated[bool, typer.Option("--version", callback=_version,
                                               is_eager=True)] = False) -> None:
    """Options every command shares."""
    state.reset(workspace)


@app.command()
@handled
def serve(host: Annotated[str | None, typer.Option(help="Default: KOLSCOPE_HOST.")] = None,
          port: Annotated[int | None, typer.Option(help="Default: KOLSCOPE_PORT.")] = None
          ) -> None:
    """Serve the web UI and the API (OpenAPI at /docs)."""
    import uvicorn

    from kolscope.jobs.runtime import Runtime
    from kolscope.server import create_server

    settings = state.settings
    if state.workspace:
        settings = settings.model_copy(update={"workspace": state.workspace})
    runtime = Runtime.start(settings, state.database())
    host, port = host or settings.host, port or settings.port
    console.print(f"kolscope {__version__} on http://{host}:{port} "
                  f"(API docs at http://{host}:{port}/docs)")
    try:
        uvicorn.run(create_server(settings, runtime), host=host, port=port, log_level="info")
    finally:
        runtime.close()


@app.command()
@handled
def demo(accounts: Annotated[int, typer.Option(min=1, help="How many accounts.")] = 600,
         seed: Annotated[int, typer.Option(help="Seed; the same seed makes the same world.")]
         = 7, vet: Annotated[bool, typer.Option(
             help="Vet the KOLs afterwards (verdicts, comment sentiment).")] = True,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create (or refresh) the synthetic sample workspace 'sample' (or --workspace), with a
    sample campaign and its results, and vet it."""
    slug = state.workspace or "sample"
    database = state.database(require_current=False)
    database.upgrade()
    with database.uow() as uow:
        ws = ensure_workspace(uow, slug=slug, clock=utc_now, is_synthetic=True,
                              name="Sample workspace (synthetic data)")
        uow.commit()
    if not ws.is_synthetic:
        raise Conflict(f"workspace {slug!r} holds real data; the demo only writes into a "
                       "synthetic workspace", workspace=slug)
    state.workspace = slug
    world = SyntheticWorld(accounts=accounts, seed=seed, posts_per_account=DEMO_POSTS)
    job = imports.run_source(world,
                             as_json=as_json)
    if job.status != "succeeded":
        raise typer.Exit(1)
    with database.uow() as uow:
        seeded = seed_sample_campaign(uow, workspace=slug, now=utc_now())
        uow.commit()
    if vet:  # so the first look has verdicts and comment sentiment, and reports are complete
        from kolscope.adapters.models import fake_account_model
        from kolscope.adapters.nlp.sentiment import ShippedSentimentModels  # loads on first use
        from kolscope.app.vetting_reports import vet_workspace

        summary = vet_workspace(database.uow, workspace=slug, model=fake_account_model(),
                                sentiment=ShippedSentimentModels(), clock=utc_now)
        if not as_json:
            console.print(f"vetted {summary.accounts:,} accounts: {summary.comments_scored:,} "
                          "comments scored")
    if not as_json:
        if seeded:
            console.print(f"sample campaign '{SAMPLE_CAMPAIGN}' created: `kolscope -w {slug} "
                          f"campaign board {SAMPLE_CAMPAIGN}`")
        console.print(f"sample workspace '{slug}' ready: `kolscope -w {slug} kols search` or "
                      "`make run`")


@app.command()
@handled
def synth(out: Annotated[Path, typer.Option(help="File to write (.jsonl or .jsonl.gz).")],
          accounts: Annotated[int, typer.Option(min=1)] = 10_000,
          seed: Annotated[int, typer.Option()] = 7,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Stream a synthetic world to a generic-schema JSONL file, for benchmarks."""
    counts = write_generic_jsonl(SyntheticWorld(accounts=accounts, seed=seed), out)
    if as_json:
        print_json(counts)
    else:
        console.print(f"wrote {out}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))


def main() -> None:
    app()
