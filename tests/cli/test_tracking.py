"""The tracking commands end to end: settings, links and QR codes, promo codes, imports of
redemptions and live sessions, orders, attribution and booking performance pay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.adapters.db.database import Database
from kolscope.cli.main import app
from kolscope.cli.tracking import parse_tz
from kolscope.errors import InvalidInput
from kolscope.settings import Settings
from tests.app.test_commerce import LIVE
from tests.app.tracking_world import SHOP, tracked_campaign


@pytest.fixture
def cli(db: Database, settings: Settings, workspace: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    tracked_campaign(db, settings, tmp_path)
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", workspace)
    monkeypatch.setenv("KOLSCOPE_REDIRECT_BASE_URL", "https://go.acme.test")
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    return CliRunner()


def ok(cli: CliRunner, *args: str) -> str:
    done = cli.invoke(app, list(args))
    assert done.exit_code == 0, done.output
    return done.stdout


def test_links_codes_orders_and_attribution(cli: CliRunner, tmp_path: Path) -> None:
    ok(cli, "tracking", "set", "--utm-medium", "kol", "--promo-prefix", "", "--webhook-secret",
       "x" * 20)
    shown = ok(cli, "tracking", "show")
    assert "secret set" in shown and "/hooks/acme/shopify" in shown
    links = json.loads(ok(cli, "links", "create", "spring", "--to", SHOP, "--json"))
    assert len(links) == 3 and links[0]["short_url"].startswith("https://go.acme.test/")
    assert "utm_medium=kol" in links[0]["url"]
    assert len(json.loads(ok(cli, "links", "list", "spring", "--json"))) == 3
    ok(cli, "links", "qr", links[0]["code"], "--out", str(tmp_path / "qr.svg"))
    assert (tmp_path / "qr.svg").read_text().startswith("<svg")
    ok(cli, "links", "disable", links[0]["code"])
    assert json.loads(ok(cli, "links", "list", "spring", "--json"))[0]["enabled"] is False
    codes = json.loads(ok(cli, "promo", "create", "spring", "--json"))
    assert [c["code"] for c in codes] == ["MIA", "LEO"]

    now = datetime.now(UTC)
    redemptions = tmp_path / "orders.csv"
    redemptions.write_text("order_id,ordered_at,code,revenue,currency\n"
                           f"1001,{now.isoformat()},mia,120.00,EUR\n"
                           f"1002,{now.isoformat()},leo,oops,EUR\n")
    bad = cli.invoke(app, ["promo", "import", str(redemptions)])
    assert bad.exit_code == 1 and f"{redemptions}:3: revenue" in bad.output
    assert "1 new" in bad.output
    again = cli.invoke(app, ["promo", "import", str(redemptions)])
    assert "0 new, 0 updated, 1 unchanged" in again.output
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"order_id": "W1", "at": now.isoformat(), "revenue": "30",
                                  "currency": "EUR", "promo_code": "MIA"}) + "\n"
                      + json.dumps({"type": "refund", "order_id": "W1", "amount": "10",
                                    "at": now.isoformat()}) + "\n")
    assert "2 created" in ok(cli, "orders", "add", str(events))
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps([{"order_id": "W2", "at": now.isoformat(), "revenue": 1.5,
                                  "currency": "EUR"}]))
    refused = cli.invoke(app, ["orders", "add", str(wrong)])
    assert refused.exit_code != 0 and "event 1" in refused.output
    assert len(json.loads(ok(cli, "orders", "list", "--json"))) == 2
    live = tmp_path / "live.csv"
    live.write_text(LIVE.replace("2026-01-02 20:00", (now - timedelta(hours=1))
                                 .strftime("%Y-%m-%d %H:%M")))
    assert "2 new" in ok(cli, "live", "import", "spring", "leo", str(live))

    report = json.loads(ok(cli, "attribution", "report", "spring", "--json"))
    by = {row["handle"]: row for row in report["by_kol"]}
    assert by["mia"]["orders"] == 2 and by["mia"]["net_revenue"] == "140.00"
    table = ok(cli, "attribution", "report", "spring")
    assert "@mia" in table and "campaign" in table
    booked = ok(cli, "attribution", "book", "spring", "--by", "ana")
    # 5 per order x 2 + 10 % of 140
    assert "@mia: due 24.00 EUR" in booked
    unknown = cli.invoke(app, ["attribution", "report", "nope"])
    assert unknown.exit_code != 0 and "no campaign 'nope'" in unknown.output


def test_time_zones_on_the_command_line() -> None:
    assert parse_tz("+08:00") is not None and parse_tz("UTC") is UTC
    assert str(parse_tz("Asia/Shanghai")) == "Asia/Shanghai"
    with pytest.raises(InvalidInput, match="unknown time zone"):
        parse_tz("Mars/Olympus")
