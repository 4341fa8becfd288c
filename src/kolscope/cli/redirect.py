"""`kolscope redirect`: the short-link redirect service."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from kolscope.cli.context import handled, state
from kolscope.cli.output import console

app = typer.Typer(help="The short-link redirect service.", no_args_is_help=True)


@app.command("serve")
@handled
def serve(host: Annotated[str | None, typer.Option(help="Default: KOLSCOPE_REDIRECT_HOST.")]
          = None,
          port: Annotated[int | None, typer.Option(help="Default: KOLSCOPE_REDIRECT_PORT.")]
          = None,
          workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
          server: Annotated[str, typer.Option(
              help="granian (falls back to uvicorn when not installed) or uvicorn.")]
          = "granian",
          interface: Annotated[str, typer.Option(
              help="granian's interface: rsgi (faster) or asgi.")] = "rsgi") -> None:
    """Serve GET /{code} as 302 redirects, recording every click (health at /healthz)."""
    from kolscope.redirect.serve import serve as run

    if server not in ("granian", "uvicorn") or interface not in ("rsgi", "asgi"):
        raise typer.BadParameter("--server is granian or uvicorn; --interface rsgi or asgi")
    chosen: Literal["granian", "uvicorn"] = "uvicorn" if server == "uvicorn" else "granian"
    settings = state.settings
    state.database()  # refuse an old schema here, with advice, before any worker starts
    host, port = host or settings.redirect_host, port or settings.redirect_port
    console.print(f"kolscope redirect on http://{host}:{port}/ ({chosen}, {workers} "
                  f"worker{'s' if workers > 1 else ''})")
    run(settings, host=host, port=port, workers=workers, server=chosen,
        interface="asgi" if interface == "asgi" else "rsgi")
