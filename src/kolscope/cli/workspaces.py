"""`kolscope workspace` and `kolscope keys`: workspaces and their API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from kolscope.app.accounts import workspace_counts
from kolscope.app.api_keys import create_api_key, revoke_api_key
from kolscope.app.workspaces import create_workspace, list_workspaces
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, fmt, print_json, table

workspace_app = typer.Typer(help="Workspaces (a brand's or agency's own data).",
                            no_args_is_help=True)
keys_app = typer.Typer(help="API keys of a workspace.", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@workspace_app.command("create")
@handled
def create(slug: str, name: Annotated[str | None, typer.Option()] = None,
           kind: Annotated[str, typer.Option(help="brand or agency")] = "brand",
           as_json: JsonOpt = False) -> None:
    """Create a workspace."""
    with state.uow() as uow:
        ws = create_workspace(uow, slug=slug, name=name, kind=kind, clock=utc_now)
        uow.commit()
    print_json(ws) if as_json else console.print(f"created workspace '{ws.slug}'")


@workspace_app.command("list")
@handled
def list_(as_json: JsonOpt = False) -> None:
    """Every workspace with what it holds."""
    with state.uow() as uow:
        rows = [(ws, workspace_counts(uow, workspace=ws.slug)) for ws in list_workspaces(uow)]
    if as_json:
        print_json([{**ws.model_dump(mode="json"), "counts": c} for ws, c in rows])
        return
    table("workspaces", ["slug", "name", "kind", "synthetic", "creators", "posts", "comments"],
          [(ws.slug, ws.name, ws.kind, fmt(ws.is_synthetic), fmt(c["creators"]),
            fmt(c["posts"]), fmt(c["comments"])) for ws, c in rows])


@keys_app.command("create")
@handled
def create_key(name: Annotated[str, typer.Option(help="What the key is for.")] = "default",
               as_json: JsonOpt = False) -> None:
    """Create an API key for the workspace; the secret is shown once."""
    with state.uow() as uow:
        key = create_api_key(uow, workspace=state.ws, name=name, clock=utc_now)
        uow.commit()
    if as_json:
        print_json(key)
    else:
        console.print(f"API key {key.id} for workspace '{key.workspace}' "
                      "(shown once, store it now):")
        console.print(key.secret, highlight=False, soft_wrap=True)


@keys_app.command("revoke")
@handled
def revoke(key_id: int) -> None:
    """Revoke an API key."""
    with state.uow() as uow:
        revoke_api_key(uow, workspace=state.ws, key_id=key_id, clock=utc_now)
        uow.commit()
    console.print(f"revoked API key {key_id}")
