"""Report pages: a campaign's report with its downloads and numbers linked to the pages of
their rows, and the workspace overview."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kolscope.adapters.db.database import Database
from kolscope.app.sample_campaign import SLUG
from kolscope.jobs.runtime import Runtime
from kolscope.server import create_server
from kolscope.settings import Settings
from tests.app.test_reports import sample_world


def test_report_page_overview_and_downloads(runtime: Runtime, db: Database,
                                            settings: Settings) -> None:
    sample_world(db, settings)
    with TestClient(create_server(settings, runtime)) as client:
        page = client.get(f"/w/sample/campaigns/{SLUG}/report")
        assert page.status_code == 200
        assert "Sample serum launch" in page.text and 'class="report-chart"' in page.text
        assert f'href="/w/sample/campaigns/{SLUG}/report.pdf"' in page.text
        collab = re.search(r'href="(/w/sample/collaborations/\d+)"', page.text)
        assert collab and client.get(collab.group(1)).status_code == 200
        assert 'href="#src-kpi-spend"' in page.text
        pdf = client.get(f"/w/sample/campaigns/{SLUG}/report.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        board = client.get(f"/w/sample/campaigns/{SLUG}")
        assert f'href="/w/sample/campaigns/{SLUG}/report"' in board.text
        overview = client.get("/w/sample/overview")
        assert overview.status_code == 200 and f'data-campaign="{SLUG}"' in overview.text
        assert "data-leaderboard" in overview.text and "/w/sample/accounts/" in overview.text
        kol = re.search(r'href="(/w/sample/accounts/\d+)"', overview.text)
        assert kol
        profile = client.get(kol.group(1)).text
        assert "data-performance" in profile and f'data-campaign="{SLUG}"' in profile
        assert client.get("/w/sample/campaigns/nope/report").status_code == 404
