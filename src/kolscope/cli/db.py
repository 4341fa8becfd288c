"""`kolscope db`: schema migrations."""

from __future__ import annotations

import typer

from kolscope.adapters.db.migrate import current_revision, head_revision
from kolscope.app.workspaces import ensure_workspace
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
@handled
def upgrade() -> None:
    """Apply pending migrations and make sure the default workspace exists."""
    db = state.database(require_current=False)
    revision = db.upgrade()
    with db.uow() as uow:
        ensure_workspace(uow, slug=state.settings.workspace, clock=utc_now)
        uow.commit()
    console.print(f"database {db.safe_url} at revision {revision}; "
                  f"workspace '{state.settings.workspace}' ready")


@app.command()
@handled
def current() -> None:
    """Print the schema revision the database is at."""
    db = state.database(require_current=False)
    console.print(f"current {current_revision(db.engine) or 'none'}, "
                  f"code needs {head_revision(db.engine)}")
