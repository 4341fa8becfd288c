"""`kolscope brief`: TOML in, versions out, clear errors with the file named."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kolscope.cli.main import app

BRIEF = """
goal = "conversion"
product = "Mineral sunscreen SPF 50"
niche = "beauty"
keywords = ["sunscreen", "sensitive skin"]
platforms = ["instagram", "xiaohongshu"]
formats = ["short_video", "post"]
budget = "12000"
currency = "EUR"
competitors = ["rivalsun"]
performance_pay = true

[audience]
markets = ["DE", "CN"]
languages = ["de", "zh"]
min_age = 20
max_age = 40

[tier_mix]
micro = 0.7
mid = 0.3
"""


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def test_put_show_version_and_follow(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sun.toml"
    path.write_text(BRIEF, encoding="utf-8")
    assert "version 1 stored" in run(cli, "brief", "put", "sun", str(path))
    assert "unchanged (version 1)" in run(cli, "brief", "put", "sun", str(path))
    path.write_text(BRIEF.replace('"12000"', '"15000"'), encoding="utf-8")
    assert "version 2 stored" in run(cli, "brief", "put", "sun", str(path))
    shown = json.loads(run(cli, "brief", "show", "sun", "--json"))
    assert shown["version"] == 2 and shown["brief"]["budget"] == "15000"
    assert shown["brief"]["tier_mix"] == {"micro": 0.7, "mid": 0.3}
    assert "12000 EUR" in run(cli, "brief", "show", "sun", "--version", "1")
    assert len(json.loads(run(cli, "brief", "versions", "sun", "--json"))) == 2
    run(cli, "campaign", "create", "--slug", "summer", "--name", "Summer", "--brand", "Acme",
        "--brief", "sun")
    (campaign,) = json.loads(run(cli, "campaign", "list", "--json"))
    assert (campaign["brief"], campaign["brief_version"]) == ("sun", 2)


def test_bad_briefs_name_the_file_and_field(cli: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BRIEF.replace("micro = 0.7", "micro = 0.2"), encoding="utf-8")
    out = " ".join(run(cli, "brief", "put", "sun", str(bad), code=5).split())
    assert "bad.toml: tier_mix: shares must add up to 1" in out
    bad.write_text(BRIEF.replace('budget = "12000"', "budget = 12000.5"), encoding="utf-8")
    assert "bad.toml: budget" in run(cli, "brief", "put", "sun", str(bad), code=5)
    assert "no brief 'sun'" in run(cli, "brief", "show", "sun", code=3)
    assert json.loads(run(cli, "brief", "list", "--json")) == []


def test_a_yaml_brief(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "sun.yaml"
    path.write_text("goal: awareness\nproduct: Sunscreen\nbudget: '900'\ncurrency: EUR\n"
                    "starts_on: 2026-03-01\nplatforms: [instagram, RED]\n", encoding="utf-8")
    assert "version 1 stored" in run(cli, "brief", "put", "sun", str(path))
    shown = json.loads(run(cli, "brief", "show", "sun", "--json"))
    assert shown["brief"]["platforms"] == ["instagram", "xiaohongshu"]
    assert shown["brief"]["starts_on"] == "2026-03-01"
    path.write_text("goal: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in run(cli, "brief", "put", "sun", str(path), code=5)
