"""`kolscope import`: read files into the workspace, with progress and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeRemainingColumn

from kolscope.adapters.sources import open_source
from kolscope.app.imports import (
    ImportProgress,
    RecordSource,
    get_import,
    list_imports,
    run_import,
    start_import,
)
from kolscope.app.models import ImportJobView
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, fmt, print_json, table
from kolscope.jobs.imports import import_options

app = typer.Typer(help="Import creator data (instaloader JSON, influencer lists, generic "
                       "CSV/JSONL).", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the job as JSON.")]
SHOWN_REJECTS = 20


def run(kind: str, path: Path, *, as_json: bool, **options: object) -> ImportJobView:
    """Import ``path`` with the importer ``kind``, showing progress, then the summary."""
    return run_source(open_source(kind, path, **options), as_json=as_json)


def run_source(source: RecordSource, *, as_json: bool) -> ImportJobView:
    """Import from ``source`` into the workspace, showing progress, then the summary."""
    with state.uow() as uow:
        job_id = start_import(uow, workspace=state.ws, source=source, clock=utc_now)
        uow.commit()
    with Progress("[progress.description]{task.description}", BarColumn(), TaskProgressColumn(),
                  "{task.fields[records]:,} records", TimeRemainingColumn(),
                  console=console, disable=as_json, transient=True) as bar:
        task = bar.add_task(f"importing {source.label}", total=source.size(), records=0)

        def on_progress(p: ImportProgress) -> None:
            bar.update(task, completed=p.bytes_done, records=p.records)

        job = run_import(state.database().uow, workspace=state.ws, job_id=job_id, source=source,
                         options=import_options(state.settings), clock=utc_now,
                         progress=on_progress)
    show_job(job, as_json=as_json)
    return job


def show_job(job: ImportJobView, *, as_json: bool) -> None:
    if as_json:
        print_json(job)
        return
    seconds = ((job.finished_at - job.started_at).total_seconds()
               if job.finished_at and job.started_at else None)
    console.print(f"[bold]import {job.id}[/] {job.kind} {job.source_file}: [bold]{job.status}[/]"
                  + (f" in {seconds:.1f} s" if seconds is not None else ""))
    table(None, ["count", "value"], [(k.replace("_", " "), fmt(v)) for k, v in job.counts.items()]
          + [("rejected lines", fmt(job.rejected))])
    if job.error:
        console.print(f"[red]failed: {job.error}[/]")
    if job.rejects:
        table(f"rejected lines (first {min(len(job.rejects), SHOWN_REJECTS)} of {job.rejected})",
              ["file", "line", "field", "reason"],
              [(r.file, fmt(r.line), r.field or "", r.reason)
               for r in job.rejects[:SHOWN_REJECTS]])


PathArg = Annotated[Path, typer.Argument(help="File (or folder for instagram) to import.")]


@app.command()
@handled
def instagram(path: PathArg, as_json: JsonOpt = False) -> None:
    """Instagram posts saved by instaloader: .jsonl[.gz] of nodes or a folder of .json[.xz]."""
    run("instagram", path, as_json=as_json)


@app.command()
@handled
def influencers(path: PathArg, as_json: JsonOpt = False,
                platform: Annotated[str, typer.Option(help="Platform of the accounts.")]
                = "instagram") -> None:
    """An influencer list: Username, Category, #Followers, #Followees, #Posts (TSV or CSV)."""
    run("influencers", path, as_json=as_json, platform=platform)


@app.command()
@handled
def generic(path: PathArg, as_json: JsonOpt = False,
            record_type: Annotated[str | None, typer.Option(
                "--type", help="account, post or comment (default: from the header)")] = None
            ) -> None:
    """Accounts, posts and comments of any platform in the generic CSV/JSONL schema."""
    run("generic", path, as_json=as_json, record_type=record_type)


@app.command()
@handled
def followers(path: PathArg,
              of: Annotated[str, typer.Option("--of", help="The KOL whose followers these are.")],
              platform: Annotated[str, typer.Option(help="Platform of the accounts.")]
              = "instagram", as_json: JsonOpt = False) -> None:
    """A sample of one KOL's followers with their profiles, in `kolscope vet accounts` format.

    Columns: username, followers, following, posts, has_profile_pic, is_private; optional
    biography, external_url, full_name, observed_at. Vetting scores the sample for fakes.
    """
    run("followers", path, as_json=as_json, of=of, platform=platform)


@app.command("list")
@handled
def list_(as_json: JsonOpt = False,
          limit: Annotated[int, typer.Option(min=1, max=500)] = 20) -> None:
    """The latest import jobs."""
    with state.uow() as uow:
        jobs = list_imports(uow, workspace=state.ws, limit=limit)
    if as_json:
        print_json(jobs)
        return
    table("imports", ["id", "kind", "file", "status", "records", "rejected", "finished"],
          [(str(j.id), j.kind, j.source_file, j.status.value, fmt(j.counts.get("records")),
            fmt(j.rejected), fmt(j.finished_at)) for j in jobs])


@app.command()
@handled
def show(job_id: int, as_json: JsonOpt = False,
         rejects: Annotated[int, typer.Option(help="How many rejected lines to list.")] = 100
         ) -> None:
    """One import job with its counts and rejected lines."""
    with state.uow() as uow:
        job = get_import(uow, workspace=state.ws, job_id=job_id, rejects_limit=rejects)
    show_job(job, as_json=as_json)
