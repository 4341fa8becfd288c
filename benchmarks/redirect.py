"""The redirect service under wrk over 100k links, next to a FastAPI route doing the same work,
in one run.

    .venv/bin/python benchmarks/redirect.py                  # 4 servers x 3 x 10 s, ~4 min
    .venv/bin/python benchmarks/redirect.py --duration 5 --rounds 1     # a quicker run

Setup: ``--links`` (100k) links with random 7-character codes in a SQLite file (WAL), one
workspace. Each server gets its own copy of that file and serves on a loopback port with one
worker process; the service runs with ``KOLSCOPE_REDIRECT_TRUSTED_PROXY=true``.

Load: ``wrk`` (Debian package; ``scripts/ensure-system-packages`` installs it) with ``--threads``
threads and ``--connections`` keep-alive connections, a Lua script asking for a random code of
the 100k on every request with a phone browser's user agent and a random ``X-Forwarded-For``
address, so every request is a new visitor (an IP hash, a visitor key, a burst and a unique
window entry each time: the dearest case). A ``--warmup`` run comes first, then ``--rounds``
measured runs of which the median (by requests/s) is reported; every request of every run
counts in the clicks stored. Beside the wall-clock figures, the CPU time the server's processes
used per request: other processes on the machine move requests/s a lot, this much less.

Servers: the service (``python -m kolscope.redirect``) on granian's RSGI interface, on granian's
ASGI interface and on uvicorn (its fallback); and the reference, a FastAPI app with one
``GET /{code}`` route doing the same work (the same link table, recorder and batched writer)
served by uvicorn. Servers run ``--workers`` worker processes (1; the FastAPI reference one
always). After the load the server is stopped with SIGTERM (it writes what it holds)
and the clicks stored are counted against the responses wrk received (a few more may be
stored: requests still in flight when wrk stopped).

wrk shares the machine's cores with the server (2 on the reference machine) and with anything
else running: the load average is recorded. Prints one table and writes
benchmarks/results/redirect.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import sqlite3
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from kolscope.redirect.app import NOT_FOUND
from kolscope.redirect.serve import build_app, task_impl
from kolscope.settings import load_settings

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20260101
TARGET_RPS = 40_000
TARGET_P99_MS = 10.0
TARGET_RATIO = 3.0
PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
SERVERS = {  # name -> what runs after the python executable
    "granian rsgi": ["-m", "kolscope.redirect", "--interface", "rsgi"],
    "granian asgi": ["-m", "kolscope.redirect", "--interface", "asgi"],
    "uvicorn asgi": ["-m", "kolscope.redirect", "--server", "uvicorn"],
    "FastAPI route (uvicorn)": [str(Path(__file__).resolve()), "--serve-fastapi"],
}
REFERENCE = "FastAPI route (uvicorn)"

LUA = """
local codes = {}
for line in io.lines("%(codes)s") do codes[#codes + 1] = line end
local n = #codes
math.randomseed(%(seed)d)
local random, format = math.random, string.format
-- One format call per request: wrk.format walks a header table and joins several strings,
-- 12 us of wrk's CPU a request instead of 8, taken from the cores the server runs on.
local template = "GET /%%s HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nUser-Agent: %(ua)s\\r\\n" ..
                 "X-Forwarded-For: 10.%%d.%%d.%%d\\r\\n\\r\\n"
request = function()
  return format(template, codes[random(n)], random(0, 255), random(0, 255), random(0, 255))
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "errors": %%d, "non_3xx": %%d}\\n', summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


# --- the reference: a FastAPI route over the same parts ---------------------------------------

def fastapi_app() -> FastAPI:
    """GET /{code} as a FastAPI route, with the service's link table, recorder and writer."""
    settings = load_settings()
    parts = build_app(settings, freeze_gc=True)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        parts.start()
        yield
        parts.close()

    api = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    @api.get("/healthz")
    async def healthz() -> Response:
        return PlainTextResponse("ok\n")

    @api.get("/{code}")
    async def redirect(code: str, request: Request) -> Response:
        target = parts.links.by_path.get("/" + code)
        if target is None:
            return HTMLResponse(NOT_FOUND[2], status_code=404)
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded and settings.redirect_trusted_proxy:
            ip = forwarded.rpartition(",")[2].strip()
        else:
            ip = request.client.host if request.client else ""
        click_id = parts.recorder.record(target, "GET", request.headers, ip, time.time())
        return RedirectResponse(target.head + click_id + target.tail, status_code=302,
                                headers={"cache-control": "no-store"})

    return api


def serve_fastapi() -> None:
    import uvicorn

    uvicorn.run(fastapi_app, factory=True, host="127.0.0.1",
                port=int(os.environ["KOLSCOPE_REDIRECT_PORT"]), lifespan="on",
                log_level="warning", access_log=False)


# --- setup ------------------------------------------------------------------------------------

def make_links(folder: Path, count: int) -> list[str]:
    from kolscope.adapters.db.database import Database
    from kolscope.app.tracking_views import LinkIn
    from kolscope.app.workspaces import create_workspace

    rng = random.Random(SEED)
    alphabet = string.ascii_letters + string.digits
    codes = sorted({"".join(rng.choices(alphabet, k=7)) for _ in range(count)})
    while len(codes) < count:
        codes = sorted(set(codes) | {"".join(rng.choices(alphabet, k=7))})
    db = Database(f"sqlite:///{folder / 'kolscope.db'}")
    db.upgrade()
    now = datetime.now(UTC)
    with db.uow() as uow:
        ws = create_workspace(uow, slug="bench", name="Benchmark", clock=lambda: now)
        uow.tracking.upsert_links(ws.id, [
            LinkIn(code=c, destination="https://shop.example/p/serum",
                   url=f"https://shop.example/p/serum?utm_source=instagram&utm_medium="
                       f"influencer&utm_content={c}") for c in codes], now)
        uow.commit()
    db.dispose()
    (folder / "codes.txt").write_text("\n".join(codes) + "\n")
    return codes


def start(name: str, data_dir: Path, port: int,
          args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOLSCOPE_")}
    env.update(KOLSCOPE_DATA_DIR=str(data_dir), KOLSCOPE_REDIRECT_PORT=str(port),
               KOLSCOPE_REDIRECT_TRUSTED_PROXY="true")
    log = (data_dir / "server.log").open("ab")
    workers = ["--workers", str(args.workers)] if name != REFERENCE else []
    process = subprocess.Popen([sys.executable, *SERVERS[name], *workers], env=env,
                               stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit(f"{name} did not start:\n{(data_dir / 'server.log').read_text()}")


def wrk(port: int, script: Path, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", f"-t{args.threads}", f"-c{args.connections}",
                          f"-d{seconds:g}s", "-s", str(script), f"http://127.0.0.1:{port}/"],
                         capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk's own CPU: it shares the cores
    result["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def stored_clicks(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "kolscope.db") as c:
        return int(c.execute("SELECT count(*) FROM tracking_clicks").fetchone()[0])


def group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every process of a process group."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state ppid pgrp ... utime stime
            total += int(fields[11]) + int(fields[12])
    return total / tick


def run_one(name: str, base: Path, args: argparse.Namespace, port: int) -> dict[str, Any]:
    data_dir = base / re.sub(r"\W+", "-", name.lower())
    data_dir.mkdir()
    for suffix in ("", "-wal", "-shm"):
        if (base / f"kolscope.db{suffix}").exists():
            shutil.copy(base / f"kolscope.db{suffix}", data_dir / f"kolscope.db{suffix}")
    script = base / "codes.lua"
    process = start(name, data_dir, port, args)
    rounds: list[dict[str, Any]] = []
    try:
        sent = wrk(port, script, args, args.warmup)["requests"] if args.warmup > 0 else 0
        for _ in range(args.rounds):
            load, cpu = os.getloadavg()[0], group_cpu_s(process.pid)
            measured = wrk(port, script, args, args.duration)
            measured["server_cpu_s"] = group_cpu_s(process.pid) - cpu
            measured["load_average"] = [load, os.getloadavg()[0]]
            rounds.append(measured)
            sent += measured["requests"]
        time.sleep(1.5)  # past the next flush
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # graceful: the buffer is written
        process.wait(timeout=60)
    stored = stored_clicks(data_dir)
    if stored < sent:
        print(f"{name}: {sent - stored:,} clicks missing; the server's log ends:\n"
              + (data_dir / "server.log").read_text()[-3000:], file=sys.stderr)
    rps = [r["requests"] / (r["duration_us"] / 1e6) for r in rounds]
    median = sorted(range(len(rounds)), key=rps.__getitem__)[len(rounds) // 2]
    m = rounds[median]
    return {"server": name, "requests_per_s": rps[median], "p50_ms": m["p50_us"] / 1e3,
            "p99_ms": m["p99_us"] / 1e3, "max_ms": m["max_us"] / 1e3,
            "server_cpu_us_per_request": 1e6 * m["server_cpu_s"] / max(m["requests"], 1),
            "wrk_cpu_us_per_request": 1e6 * m["wrk_cpu_s"] / max(m["requests"], 1),
            "load_average": m["load_average"], "rounds_requests_per_s": rps,
            "rounds_p99_ms": [r["p99_us"] / 1e3 for r in rounds],
            "errors": sum(r["errors"] for r in rounds),
            "non_3xx": sum(r["non_3xx"] for r in rounds),
            "responses_received": sent, "clicks_stored": stored,
            "every_click_stored": stored >= sent and not any(r["non_3xx"] for r in rounds)}


def cpu_model() -> str:
    """The processor's name (machines of one kind differ by a third in speed)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor()


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'server':<24}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'vs FastAPI':>11}"
          f"{'CPU us/req':>11}{'wrk us/req':>11}{'received':>10}{'stored':>10}  all stored  load")
    for r in rows:
        print(f"{r['server']:<24}{r['requests_per_s']:>8,.0f}{r['p50_ms']:>8.2f}"
              f"{r['p99_ms']:>8.2f}{ratio(r['vs_fastapi']):>11}"
              f"{r['server_cpu_us_per_request']:>11.1f}{r['wrk_cpu_us_per_request']:>11.1f}"
              f"{r['responses_received']:>10,}"
              f"{r['clicks_stored']:>10,}  {'yes' if r['every_click_stored'] else 'NO':<10}  "
              f"{r['load_average'][0]:.1f}-{r['load_average'][1]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--links", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3,
                        help="measured runs per server; the median is reported")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--servers", nargs="*", default=list(SERVERS), choices=list(SERVERS))
    parser.add_argument("--output", type=Path, default=RESULTS / "redirect.json")
    parser.add_argument("--serve-fastapi", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fastapi:
        serve_fastapi()
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: run scripts/ensure-system-packages (apt-get install wrk)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kolscope-redirect-") as tmp:
        base = Path(tmp)
        make_links(base, args.links)
        (base / "codes.lua").write_text(LUA % {"codes": base / "codes.txt", "seed": SEED,
                                               "ua": PHONE})
        setup_s = time.perf_counter() - started
        rows = [run_one(name, base, args, 18_600 + i) for i, name in enumerate(args.servers)]
    reference = next((r["requests_per_s"] for r in rows if r["server"] == REFERENCE), None)
    for r in rows:
        r["vs_fastapi"] = r["requests_per_s"] / reference if reference else None
        r["meets_targets"] = (r["requests_per_s"] >= TARGET_RPS and r["every_click_stored"]
                              and r["p99_ms"] < TARGET_P99_MS
                              and (r["vs_fastapi"] or 0.0) >= TARGET_RATIO)
    print_table(rows)
    print(f"{args.links:,} links; wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s"
          f", median of {args.rounds} after {args.warmup:g} s of warm-up; setup {setup_s:.0f} s;"
          " targets: "
          f">= {TARGET_RPS:,} req/s with every click stored, p99 < {TARGET_P99_MS:g} ms, "
          f">= {TARGET_RATIO:g}x FastAPI")
    import granian
    import uvicorn
    try:
        loop = f"uvloop {importlib.metadata.version('uvloop')}"
    except importlib.metadata.PackageNotFoundError:
        loop = "asyncio's own loop"
    out = {"machine": f"{platform.machine()} {cpu_model()} {os.cpu_count()} cpus,"
                      f" python {platform.python_version()}, granian {granian.__version__}, "
                      f"uvicorn {uvicorn.__version__}, {loop}, sqlite {sqlite3.sqlite_version}",
           "command": " ".join(["benchmarks/redirect.py", *sys.argv[1:]]),
           # The servers run with KOLSCOPE_REDIRECT_TASK_IMPL unset: "auto".
           "granian_rsgi_task_impl": task_impl("auto", "rsgi"),
           "links": args.links, "workers": args.workers, "wrk": {"threads": args.threads,
                                        "connections": args.connections,
                                        "duration_s": args.duration, "warmup_s": args.warmup,
                                        "rounds": args.rounds},
           "targets": {"requests_per_s": TARGET_RPS, "p99_ms": TARGET_P99_MS,
                       "vs_fastapi": TARGET_RATIO},
           "load_note": "1-minute load average before and after the median round; on 2 cores "
                        "anything above 2 means other processes shared the machine",
           "cpu_note": "CPU time of the server's processes per request in the median round: "
                       "what the load cannot change much",
           "servers": rows, "total_s": time.perf_counter() - started}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
