"""The standalone HTML campaign report in headless Chromium, opened from a file with no network:
it renders, its charts are drawn at a size, tooltips and series toggles work, every number
leads to its rows, and the console stays clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.documents import render_report_html
from kolscope.app.reports import campaign_report
from kolscope.app.sample_campaign import SLUG
from kolscope.settings import Settings
from tests.app.test_reports import sample_world
from tests.conftest import FIXED_NOW
from tests.e2e.test_browser import browser_page

pytestmark = pytest.mark.e2e
__all__ = ["browser_page"]


@pytest.fixture
def report_file(db: Database, settings: Settings, tmp_path: Path) -> Path:
    workspace = sample_world(db, settings)
    with db.uow() as uow:
        report = campaign_report(uow, workspace=workspace, slug=SLUG, now=FIXED_NOW)
    path = tmp_path / "report.html"
    path.write_text(render_report_html(report), encoding="utf-8")
    return path


def test_the_report_renders_offline_with_working_charts(
        report_file: Path, browser_page: tuple[Any, list[str]]) -> None:
    from playwright.sync_api import expect

    page, errors = browser_page
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_file.as_uri())
    expect(page.locator("h1")).to_have_text("Sample serum launch")
    assert "campaign report" in page.title()
    charts = page.locator("svg.report-chart")
    expect(charts).to_have_count(3)
    for i in range(3):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100, "each chart is drawn"
    bars = page.locator('svg[data-chart="engagements"] rect[data-series]')
    assert bars.count() == 5
    bar = bars.first.bounding_box()
    assert bar and bar["width"] > 5 and bar["height"] > 5
    assert page.locator('svg[data-chart="sentiment"] circle').count() > 0

    bars.first.hover()
    expect(page.locator("#report-tip")).to_be_visible()
    expect(page.locator("#report-tip")).to_contain_text("engagements")
    revenue = page.locator('svg[data-chart="money"] rect[data-series="revenue"]').first
    expect(revenue).to_be_visible()
    page.locator('button[data-chart="money"][data-toggle="revenue"]').click()
    expect(revenue).to_be_hidden()

    page.locator('tr[data-kpi="engagements"] a.num').click()
    assert page.url.endswith("#src-kpi-engagements")
    block = page.locator("#src-kpi-engagements")
    expect(block).to_be_in_viewport()
    block.locator("a").first.click()
    assert "#row-deliverables-" in page.url
    expect(page.locator(f"#{page.url.split('#')[1]}")).to_be_in_viewport()
    assert all(url.startswith("file:") for url in requests), requests
    assert errors == []
