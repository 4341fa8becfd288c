"""The main flow in headless Chromium against a real server: search, profile, upload, progress."""

from __future__ import annotations

import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from kolscope.adapters.sources import open_source
from kolscope.app.imports import run_import, start_import
from kolscope.jobs.imports import import_options
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.conftest import FIXTURES, do_import, fixed_clock

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def base_url(runtime: Runtime, settings: Settings, workspace: str) -> Iterator[str]:
    """A uvicorn server on a free port over the fixture data; stopped after the test."""
    do_import(runtime.db, settings, "influencers", FIXTURES / "influencers.tsv")
    do_import(runtime.db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    with served(settings, runtime) as url:
        yield url


@contextmanager
def served(settings: Settings, runtime: Runtime) -> Iterator[str]:
    """The whole product on a free loopback port, in a thread, until the block ends."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_server(settings, runtime), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _wait_for_health(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.05)


@pytest.fixture
def browser_page() -> Iterator[tuple[Any, list[str]]]:
    """A fresh Chromium page and the console and page errors it reports."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; install it to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed; `pip install playwright`")
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(15_000)
            page.on("console", lambda m: errors.append(f"console: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            yield page, errors
        finally:
            browser.close()


def test_search_profile_and_upload(base_url: str, browser_page: tuple[Any, list[str]]) -> None:
    from playwright.sync_api import expect

    page, errors = browser_page
    page.goto(base_url + "/")
    assert page.url == base_url + "/w/acme"
    expect(page.locator("a.handle")).to_have_count(3)

    page.select_option("#f-platform", "instagram")
    page.select_option("#f-niche", "beauty")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/w/acme?*platform=instagram*")
    expect(page.locator("a.handle")).to_have_text(["@glowwithmia"])

    page.fill("#f-text", "serum skincare")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/w/acme?*text=serum*")
    expect(page.locator("a.handle").first).to_have_text("@glowwithmia")
    why = page.locator("details.why-list").first
    why.locator("summary").click()
    expect(why).to_contain_text("uses the brief's words: serum")

    page.get_by_role("link", name="@glowwithmia").click()
    page.wait_for_url("**/w/acme/accounts/*")
    metrics = page.locator("[data-metrics]")
    expect(metrics).to_contain_text("6.98%")
    expect(metrics).to_contain_text("Posts analysed")
    chart = page.locator("svg[role=img]")
    expect(chart).to_have_attribute("aria-label", "Engagement rate of 2 posts from 2019-01-01 "
                                                  "to 2019-01-08, between 4.80% and 9.15%")
    expect(chart.locator("circle")).to_have_count(2)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100, "the chart is drawn at a size"

    page.get_by_role("link", name="Imports", exact=True).click()
    page.wait_for_url("**/w/acme/imports")
    page.select_option("#f-kind", "influencers")
    page.set_input_files("#f-file", str(FIXTURES / "influencers.tsv"))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url("**/w/acme/imports/3")
    expect(page.locator("[data-status-badge]")).to_have_text("succeeded")
    expect(page.locator("[data-count=records]")).to_have_text("3")
    expect(page.locator("[data-count=accounts_known]")).to_have_text("3")
    assert errors == []


def test_job_page_follows_a_running_import(base_url: str, runtime: Runtime, settings: Settings,
                                           browser_page: tuple[Any, list[str]]) -> None:
    from playwright.sync_api import expect

    page, errors = browser_page
    source = open_source("influencers", FIXTURES / "influencers.tsv")
    with runtime.db.uow() as uow:
        job_id = start_import(uow, workspace="acme", source=source, clock=fixed_clock)
        uow.commit()
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/status") else None)
    page.goto(f"{base_url}/w/acme/imports/{job_id}")
    expect(page.locator("[data-status-badge]")).to_have_text("queued")
    expect(page.locator(".progress")).to_have_attribute("aria-valuenow", "0")
    page.wait_for_timeout(700)  # at least one poll while the job waits
    assert polls, "the page polls the job's status"

    run_import(runtime.db.uow, workspace="acme", job_id=job_id, source=source,
               options=import_options(settings), clock=fixed_clock)
    expect(page.locator("[data-status-badge]")).to_have_text("succeeded")  # after the reload
    expect(page.locator(".progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("[data-count=records]")).to_have_text("3")
    assert page.locator("script[src$='import-job.js']").count() == 0
    assert errors == []
