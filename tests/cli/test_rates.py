"""`kolscope rates` on the sample workspace: the default card, a workspace card, estimates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", "sample")
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--accounts", "30"])
    assert result.exit_code == 0, result.output
    return runner


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def test_estimates_come_from_the_card_in_force(cli: CliRunner, tmp_path: Path) -> None:
    kol = json.loads(run(cli, "kols", "search", "--json", "--limit", "1", "--platform",
                         "instagram"))["items"][0]
    usd = json.loads(run(cli, "rates", "estimate", kol["handle"], "--platform", "instagram",
                         "--currency", "USD", "--json"))
    assert usd["source"] in ("default_card", "quote")
    out = " ".join(run(cli, "rates", "estimate", kol["handle"], "--platform", "instagram",
                       "--currency", "EUR", code=5).split())
    assert "in EUR: add rates in EUR" in out or usd["source"] == "quote"
    card = tmp_path / "eur.csv"
    card.write_text("platform,tier,format,currency,low,typical,high\n" + "".join(
        f"instagram,{t},post,EUR,10,20,30\n" for t in
        ("nano", "micro", "mid", "macro", "celebrity")), encoding="utf-8")
    assert "stored 5 rate(s)" in run(cli, "rates", "put", str(card))
    eur = json.loads(run(cli, "rates", "estimate", kol["handle"], "--platform", "instagram",
                         "--currency", "EUR", "--json"))
    assert eur["source"] in ("workspace_card", "quote")
    own = json.loads(run(cli, "rates", "list", "--own", "--json"))
    assert len(own) == 5 and {r["currency"] for r in own} == {"EUR"}
    card.write_text("platform,tier,format,currency,low,typical,high\n"
                    "instagram,micro,post,EUR,30,20,10\n", encoding="utf-8")
    assert "row 2" in run(cli, "rates", "put", str(card), code=5)


def test_match_a_brief_on_the_sample_world(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "vet", "run")
    brief = tmp_path / "b.toml"
    brief.write_text('goal = "awareness"\nproduct = "city travel guide"\nbudget = "5000"\n'
                     'currency = "USD"\nkeywords = ["travel", "city"]\nniche = "travel"\n',
                     encoding="utf-8")
    run(cli, "brief", "put", "trip", str(brief))
    found = json.loads(run(cli, "brief", "match", "trip", "--json", "--limit", "50"))
    assert found["brief"] == "trip" and found["candidates"] >= len(found["matches"]) > 0
    kept = [m for m in found["matches"] if m["excluded"] is None]
    assert [m["score"] for m in kept] == sorted((m["score"] for m in kept), reverse=True)
    for m in found["matches"]:
        assert [c["key"] for c in m["criteria"]][:2] == ["relevance", "authority"]
        assert sum(c["contribution"] for c in m["criteria"]) == pytest.approx(m["score"],
                                                                               abs=0.01)
    assert "matches for trip v1" in " ".join(run(cli, "brief", "match", "trip", "--why").split())


def test_forecast_a_deliverable_for_a_brief(cli: CliRunner, tmp_path: Path) -> None:
    brief = tmp_path / "b.toml"
    brief.write_text('goal = "conversion"\nproduct = "serum"\nbudget = "5000"\n'
                     'currency = "USD"\naverage_order_value = "40"\n'
                     'formats = ["short_video"]\n', encoding="utf-8")
    run(cli, "brief", "put", "serum", str(brief))
    kol = json.loads(run(cli, "kols", "search", "--json", "--limit", "1", "--platform",
                         "tiktok"))["items"][0]
    view = json.loads(run(cli, "brief", "forecast", "serum", kol["handle"], "--platform",
                          "tiktok", "--json"))
    f = view["forecast"]
    assert view["format"] == "short_video" and f["post_format"] == "short_video"
    for key in ("impressions", "unique_reach", "engagements", "clicks", "conversions",
                "revenue", "roi"):
        assert f[key]["low"] <= f[key]["point"] <= f[key]["high"], key
    assert f["unique_reach"]["point"] <= f["impressions"]["point"]
    cost = float(view["cost"]["amount"])
    assert f["roi"]["point"] == pytest.approx((f["revenue"]["point"] - cost) / cost)
    brief.write_text('goal = "awareness"\nproduct = "serum"\nbudget = "5000"\n'
                     'currency = "USD"\n', encoding="utf-8")
    run(cli, "brief", "put", "serum", str(brief))
    assert "average_order_value" in run(cli, "brief", "forecast", "serum", kol["handle"],
                                        "--platform", "tiktok", code=5)


def test_plan_what_ifs_and_a_campaign_from_the_plan(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "vet", "run")
    brief = tmp_path / "b.toml"
    brief.write_text('goal = "awareness"\nproduct = "travel"\nbudget = "3000"\n'
                     'currency = "USD"\nkeywords = ["travel"]\n', encoding="utf-8")
    run(cli, "brief", "put", "trip", str(brief))
    small, large = json.loads(run(cli, "brief", "plan", "trip", "--budget", "500",
                                  "--budget", "3000", "--json"))
    assert float(small["plan"]["spent"]) <= 500 and float(large["plan"]["spent"]) <= 3000
    assert large["plan"]["value"] >= small["plan"]["value"] > 0
    totals = [p["total"] for p in large["plan"]["picks"]]
    assert totals == sorted(totals) and large["plan"]["objective"] == "reach"
    assert large["plan"]["check"]["value"] > 0 and large["plan"]["estimate"]
    top = large["plan"]["picks"][0]["handle"]
    rest = json.loads(run(cli, "brief", "plan", "trip", "--exclude", top, "--json"))
    assert top not in [k["handle"] for k in rest["plan"]["picks"]]
    assert "no account 'nobody-here'" in run(cli, "brief", "plan", "trip", "--exclude",
                                              "nobody-here", code=3)
    shown = run(cli, "brief", "plan", "trip", "--objective", "influence")
    assert "checked:" in shown and "independent cascades on fresh randomness" in shown
    saved = json.loads(run(cli, "brief", "plan", "trip", "--save", "--json"))
    out = run(cli, "campaign", "create", "--slug", "trip", "--name", "Trip", "--brand", "Acme",
              "--from-plan", str(saved["id"]))
    assert f"{len(saved['plan']['picks'])} KOL(s) shortlisted from plan {saved['id']}" in out
    (campaign,) = [c for c in json.loads(run(cli, "campaign", "list", "--json"))
                   if c["slug"] == "trip"]
    assert campaign["brief"] == "trip" and campaign["goal"] == "awareness"
    assert campaign["stages"] == {"shortlisted": len(saved["plan"]["picks"])}
