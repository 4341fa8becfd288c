"""SIGKILL under load: at most the last second of acknowledged clicks is lost, and the service
comes back with every stored click intact.

The real service (``python -m kolscope.redirect``: what ``kolscope redirect serve`` runs, with
granian) runs as a subprocess over a SQLite file.
Threads send redirects over keep-alive connections and note when each 302 came back and the
click id it carried; after about two seconds the whole process group is killed.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from kolscope.adapters.db.database import Database
from kolscope.app.tracking_views import ClickRow, LinkIn
from kolscope.app.workspaces import create_workspace
from kolscope.redirect.app import UNREADABLE_AGENT
from tests.conftest import FIXED_NOW, fixed_clock

pytest.importorskip("granian")
CODES = [f"crash{i}" for i in range(20)]
LOAD_SECONDS = 2.0
THREADS = 6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_service(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOLSCOPE_")}
    env.update(KOLSCOPE_DATA_DIR=str(data_dir), KOLSCOPE_REDIRECT_PORT=str(port),
               KOLSCOPE_REDIRECT_FLUSH_INTERVAL="0.5")
    log = data_dir / "redirect.log"
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "kolscope.redirect"], env=env,
                                   start_new_session=True, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return process
        except OSError:
            if process.poll() is not None:
                raise AssertionError(log.read_text()) from None
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the redirect service did not start")


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"User-Agent": "Mozilla/5.0 Safari"})
        answer = connection.getresponse()
        answer.read()
        return answer.status, answer.getheader("location") or ""
    finally:
        connection.close()


def drive(port: int, worker: int, stop: threading.Event,
          acked: list[tuple[float, str]]) -> None:
    """Redirect after redirect on one connection, noting each click id when its 302 is in."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"User-Agent": f"Mozilla/5.0 Safari/{worker}"}
    n = worker
    try:
        while not stop.is_set():
            connection.request("GET", f"/{CODES[n % len(CODES)]}", headers=headers)
            answer = connection.getresponse()
            answer.read()
            location = answer.getheader("location") or ""
            if answer.status == 302:
                acked.append((time.monotonic(), location.rpartition("ks_click=")[2]))
            n += THREADS
    except (OSError, http.client.HTTPException):
        pass  # the service was killed
    finally:
        connection.close()


def stored(db: Database) -> list[ClickRow]:
    with db.uow() as uow:
        ws = uow.workspaces.get("acme")
        assert ws is not None
        return uow.tracking.clicks(ws.id)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    db = Database(f"sqlite:///{tmp_path / 'kolscope.db'}")
    db.upgrade()
    with db.uow() as uow:
        ws = create_workspace(uow, slug="acme", name="Acme", clock=fixed_clock)
        uow.tracking.upsert_links(ws.id, [LinkIn(code=c, destination="https://shop.example/",
                                                 url=f"https://shop.example/?c={c}")
                                          for c in CODES], FIXED_NOW)
        uow.commit()
    db.dispose()
    return tmp_path


def test_sigkill_under_load_loses_at_most_the_last_second(data_dir: Path) -> None:
    port = free_port()
    service = start_service(data_dir, port)
    acked: list[tuple[float, str]] = []
    stop = threading.Event()
    threads = [threading.Thread(target=drive, args=(port, i, stop, acked))
               for i in range(THREADS)]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)
    os.killpg(service.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    stop.set()
    for thread in threads:
        thread.join()
    service.wait()

    db = Database(f"sqlite:///{data_dir / 'kolscope.db'}")
    rows = stored(db)
    kept = {r.click_id for r in rows}
    missing = [(at, click_id) for at, click_id in acked if click_id not in kept]
    assert len(acked) > 200, "too little load to show anything"
    assert all(killed_at - at <= 1.0 for at, _ in missing), (
        f"{len(missing)} of {len(acked)} acknowledged clicks missing, the oldest "
        f"{killed_at - min(at for at, _ in missing):.2f} s before the kill")
    assert len(missing) < len(acked) / 2  # the first second and more is stored
    print(f"{len(acked)} clicks acknowledged, {len(missing)} lost, all in the last "
          f"{killed_at - min((at for at, _ in missing), default=killed_at):.2f} s")
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"

    service = start_service(data_dir, port)  # comes back over the same file
    try:
        again = stored(db)
        assert again == rows  # every stored click intact and readable
        assert len({r.click_id for r in again}) == len(again)
        assert {r.code for r in again} <= set(CODES)
        status, location = get(port, f"/{CODES[0]}")
        assert status == 302 and "ks_click=" in location
    finally:
        os.killpg(service.pid, signal.SIGTERM)  # a graceful stop writes the buffer
        service.wait(timeout=30)
    after = stored(db)
    assert len(after) == len(rows) + 1 and after[-1].click_id == location.rpartition("=")[2]
    db.dispose()


def test_a_user_agent_granian_cannot_read_as_text_is_still_a_persons_click(
        data_dir: Path) -> None:
    """granian's RSGI headers give None for a value with non-ASCII bytes (a phone model in
    its own script); such a click must not be filed as a bot without a user agent."""
    port = free_port()
    process = start_service(data_dir, port)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.putrequest("GET", f"/{CODES[0]}", skip_accept_encoding=True)
        connection.putheader("User-Agent", "Mozilla/5.0 (Linux; Android 13; 红米 Note 12)"
                             .encode())
        connection.endheaders()
        assert connection.getresponse().status == 302
        connection.close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # graceful: the buffer is written
        process.wait(timeout=30)
    (click,) = stored(Database(f"sqlite:///{data_dir / 'kolscope.db'}"))
    assert click.bot is None and click.is_unique
    assert click.user_agent == UNREADABLE_AGENT
