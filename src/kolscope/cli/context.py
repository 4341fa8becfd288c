"""What every command shares: settings, the database, the clock and error handling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import wraps
from typing import NoReturn, ParamSpec, TypeVar

import typer
from pydantic import ValidationError

from kolscope.adapters.db.database import Database
from kolscope.adapters.search import FileIndexStore
from kolscope.app.ports import GraphStore, UnitOfWork
from kolscope.cli.errors import EXIT_INVALID, EXIT_OTHER, exit_code_for
from kolscope.cli.output import err_console
from kolscope.errors import KolscopeError, error_field
from kolscope.jobs.runtime import graph_store
from kolscope.settings import Settings, load_settings

P = ParamSpec("P")
R = TypeVar("R")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CliState:
    """Built on first use so `--help` never touches the database."""

    workspace: str | None = None
    _settings: Settings | None = None
    _db: Database | None = field(default=None, repr=False)

    def reset(self, workspace: str | None) -> None:
        """Start a command afresh: settings are re-read and the database reopened."""
        if self._db is not None:
            self._db.dispose()
        self.workspace, self._settings, self._db = workspace, None, None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def ws(self) -> str:
        return self.workspace or self.settings.workspace

    def database(self, *, require_current: bool = True) -> Database:
        if self._db is None:
            self._db = Database(self.settings.resolved_database_url)
            if require_current:
                self._db.require_current()
        return self._db

    def indexes(self) -> FileIndexStore:
        """Search indexes kept under the data directory, shared by every command."""
        return FileIndexStore(self.settings.data_dir / "search")

    def graphs(self) -> GraphStore:
        """Interaction graphs kept under the data directory between authority runs."""
        return graph_store(self.settings)

    @contextmanager
    def uow(self) -> Iterator[UnitOfWork]:
        with self.database().uow() as uow:
            yield uow


state = CliState()


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """Turn kolscope errors into a one-line message and the mapped exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KolscopeError as exc:
            _fail(exc.message, exit_code_for(exc))
        except ValidationError as exc:  # a value the models refuse, given as an option
            _fail("; ".join(f"{error_field(e) or 'value'}: {e['msg']}"
                            for e in exc.errors(include_url=False)), EXIT_INVALID)
        except (ValueError, ArithmeticError) as exc:  # unparsable text, NaN, past 64 bits
            _fail(str(exc) or type(exc).__name__, EXIT_INVALID)
        except OSError as exc:  # a path to write to is a folder, or cannot be made
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}", EXIT_OTHER)

    return wrapper


def _fail(message: str, code: int) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code) from None
