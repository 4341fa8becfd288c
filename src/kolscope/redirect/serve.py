"""Building the redirect application from settings and serving it with granian or uvicorn.

granian runs the RSGI interface by default, the faster of its two here
(``benchmarks/redirect.py`` measures RSGI, ASGI and uvicorn side by side); uvicorn serves the
same object through ASGI where granian cannot be imported. Each worker process builds its own
application from the environment (``app_factory``), so the threads that poll links and write
clicks start after the fork, in the process that serves.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Literal

from kolscope.adapters.db.database import Database
from kolscope.redirect.app import RedirectApp
from kolscope.redirect.links import LinkTable
from kolscope.redirect.recorder import ClickRecorder
from kolscope.redirect.writer import ClickWriter
from kolscope.settings import Settings, load_settings

log = logging.getLogger(__name__)
FACTORY = "kolscope.redirect.serve:app_factory"
SALT_FILE = "redirect-salt"
Server = Literal["granian", "uvicorn"]
Interface = Literal["rsgi", "asgi"]
TaskImpl = Literal["asyncio", "rust"]


def click_secret(settings: Settings) -> bytes:
    """KOLSCOPE_REDIRECT_SALT, or a secret made once and kept in DATA_DIR/redirect-salt.

    The file is created atomically (written aside, then hard-linked into place), so workers
    starting together all read the same secret.
    """
    if settings.redirect_salt:
        return settings.redirect_salt.encode()
    path = settings.data_dir / SALT_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{SALT_FILE}.{os.getpid()}")
        aside.write_text(secrets.token_hex(32) + "\n")
        aside.chmod(0o600)
        try:
            os.link(aside, path)
        except FileExistsError:
            pass
        finally:
            aside.unlink()
    return path.read_text().strip().encode()


def build_app(settings: Settings, database: Database | None = None, *,
              freeze_gc: bool = False) -> RedirectApp:
    """The application over ``database`` (default: the settings' one, which must be current);
    ``freeze_gc`` for a process that does nothing else (see :meth:`RedirectApp.start`)."""
    if database is None:
        database = Database(settings.resolved_database_url)
        database.require_current()
    writer = ClickWriter(database.uow, interval=settings.redirect_flush_interval)
    return RedirectApp(LinkTable(database.uow, interval=settings.redirect_refresh_interval),
                       ClickRecorder(click_secret(settings), writer.append), writer,
                       trusted_proxy=settings.redirect_trusted_proxy, freeze_gc=freeze_gc)


def app_factory() -> RedirectApp:
    """What each worker process serves: the application built from KOLSCOPE_* settings."""
    return build_app(load_settings(), freeze_gc=True)


def granian_available() -> bool:
    return importlib.util.find_spec("granian") is not None


def task_impl(setting: str, interface: Interface,
              version: tuple[int, int] = sys.version_info[:2]) -> TaskImpl:
    """How granian should run each request.

    Its Rust task drives the handler's coroutine itself instead of making an asyncio Task and
    waking the event loop through ``call_soon_threadsafe`` for every request: about 2 us less
    of the event loop's thread per redirect, 4-8% more redirects/s (``benchmarks/redirect.py``).
    The handler never awaits, so nothing it does needs a real Task. granian offers it for RSGI
    and before Python 3.12 only; elsewhere asyncio.
    """
    if interface != "rsgi" or version >= (3, 12) or setting == "asyncio":
        if setting == "rust":
            log.warning("granian's rust tasks need RSGI and Python < 3.12; using asyncio")
        return "asyncio"
    return "rust"


def serve(settings: Settings, *, host: str, port: int, workers: int = 1,
          server: Server = "granian", interface: Interface = "rsgi") -> None:
    """Serve until interrupted; on SIGINT or SIGTERM buffered clicks are written first."""
    click_secret(settings)  # made here once, before workers race to make it
    if server == "granian" and not granian_available():
        log.warning("granian is not installed; serving with uvicorn")
        server = "uvicorn"
    if server == "granian":
        _granian(host, port, workers, interface,
                 task_impl(settings.redirect_task_impl, interface))
    else:
        import uvicorn

        uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers,
                    lifespan="on", log_level="warning", access_log=False)


def _granian(host: str, port: int, workers: int, interface: Interface,
             tasks: TaskImpl) -> None:
    from granian.constants import HTTPModes, Interfaces
    from granian.constants import TaskImpl as GranianTaskImpl
    from granian.log import LogLevels
    from granian.server import Server as Granian

    Granian(FACTORY, address=host, port=port, workers=workers, factory=True,
            interface=Interfaces.RSGI if interface == "rsgi" else Interfaces.ASGI,
            http=HTTPModes.http1, websockets=False, log_level=LogLevels.warning,
            log_access=False, working_dir=Path.cwd(),
            task_impl=GranianTaskImpl(tasks)).serve()
