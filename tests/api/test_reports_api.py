"""Campaign reports through the HTTP API: JSON, the files with their content types, comparison
and the leaderboard."""

from __future__ import annotations

from kolscope.adapters.db.database import Database
from kolscope.app.api_keys import create_api_key
from kolscope.app.sample_campaign import SLUG
from kolscope.jobs.runtime import Runtime
from kolscope.settings import Settings
from tests.api.test_campaigns_api import Api
from tests.app.test_reports import sample_world
from tests.conftest import fixed_clock


def test_report_json_files_comparison_and_leaderboard(runtime: Runtime, db: Database,
                                                      settings: Settings) -> None:
    workspace = sample_world(db, settings)
    with db.uow() as uow:
        key = create_api_key(uow, workspace=workspace, name="tests", clock=fixed_clock).secret
        uow.commit()
    api = Api(runtime, key)
    report = api.get(f"/campaigns/{SLUG}/report")
    assert report["method_version"] == "report-1"
    orders = next(k for k in report["kpis"] if k["key"] == "orders")
    assert orders["sources"][0]["table"] == "conversions"
    for fmt, media, start in (("html", "text/html", b"<!doctype html>"),
                              ("pdf", "application/pdf", b"%PDF"),
                              ("csv", "text/csv", b"table,row,field,value"),
                              ("xlsx", "application/vnd.openxmlformats", b"PK")):
        got = api.call("GET", f"/campaigns/{SLUG}/report.{fmt}")
        assert got.headers["content-type"].startswith(media), fmt
        assert got.content.lstrip().startswith(start), fmt
        assert f"{SLUG}-report.{fmt}" in got.headers["content-disposition"]
    api.call("GET", f"/campaigns/{SLUG}/report.docx", 422)
    api.get("/campaigns/nope/report", 404)
    api.get("/reports/compare", 400, params={"campaign": [SLUG]})
    board = api.get("/reports/leaderboard", params={"by": "engagements", "limit": 3})
    assert len(board["rows"]) == 3 and board["rows"][0]["rank"] == 1
    api.get("/reports/leaderboard", 400, params={"by": "vibes"})
    best = board["rows"][0]["kol"]
    (mine,) = api.get(f"/accounts/{best['account_id']}/performance")
    assert mine["campaign"] == SLUG and mine["line"]["engagements"] == best["engagements"]
