"""`kolscope vet`: the accounts contract in table, CSV and JSON, fitting, and bad input."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app

ACCOUNTS = """username,followers,following,posts,has_profile_pic,is_private,biography,external_url
anna_1990,25,1937,0,yes,no,,
bob.smith,345,420,30,true,true,Photographer in Berlin,https://bob.example
x8812734,15,399,0,0,0,,
"""


@pytest.fixture
def accounts(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS, encoding="utf-8")
    return path


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def test_csv_has_exactly_the_contract_columns_one_row_per_account(accounts: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("vet", "accounts", str(accounts),
                                               "--format", "csv"))))
    assert list(rows[0]) == ["username", "fake_probability", "label", "reasons"]
    assert [r["username"] for r in rows] == ["anna_1990", "bob.smith", "x8812734"]
    assert [r["label"] for r in rows] == ["fake", "real", "fake"]
    assert all(0 <= float(r["fake_probability"]) <= 1 for r in rows)
    assert "follows 74.5x as many as follow it" in rows[0]["reasons"]


def test_json_reasons_add_up_to_the_probability(accounts: Path) -> None:
    rows = json.loads(run("vet", "accounts", str(accounts), "--format", "json"))
    assert [list(r) for r in rows] == [["username", "fake_probability", "label", "reasons"]] * 3
    for r in rows:
        log_odds = sum(reason["contribution"] for reason in r["reasons"])
        assert 1 / (1 + math.exp(-log_odds)) == pytest.approx(r["fake_probability"], abs=1e-3)
        assert r["reasons"][-1]["feature"] == "baseline"
        assert {"feature", "value", "description", "contribution"} <= set(r["reasons"][0])
    bob = {x["feature"]: x for x in rows[1]["reasons"]}
    assert bob["log_followers"]["description"] == "345 followers"
    assert bob["has_external_url"]["value"] == 1.0


def test_table_for_people(accounts: Path) -> None:
    out = run("vet", "accounts", str(accounts))
    assert "fake-account-1" in out and "anna_1990" in out
    assert "3 accounts, 2 labelled fake" in out


def test_output_file_takes_its_format_from_the_suffix(accounts: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    run("vet", "accounts", str(accounts), "--output", str(out))
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3
    run("vet", "accounts", str(accounts), "--format", "table", "-o", str(out), code=5)


def test_bad_rows_exit_5_naming_file_line_and_field(accounts: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(ACCOUNTS + "carol,lots,10,1,yes,no,,\n", encoding="utf-8")
    out = run("vet", "accounts", str(path), "--format", "csv", code=5)
    assert f"{path}:5: followers: not a count: 'lots'" in out
    skipped = CliRunner().invoke(app, ["vet", "accounts", str(path), "--format", "csv",
                                       "--skip-invalid"])
    assert skipped.exit_code == 0 and skipped.stdout.count("\n") == 4
    assert f"skipped {path}:5: followers" in skipped.stderr


def test_missing_file_and_column(tmp_path: Path) -> None:
    run("vet", "accounts", str(tmp_path / "none.csv"), code=6)
    path = tmp_path / "short.csv"
    path.write_text("username,followers\na,1\n", encoding="utf-8")
    assert "missing column(s) following" in run("vet", "accounts", str(path), code=5)


def test_fit_then_score_with_the_fitted_model(tmp_path: Path) -> None:
    lines = ["username,followers,following,posts,has_profile_pic,is_private,label"]
    for i in range(40):
        fake = i % 2 == 0
        lines.append(f"user{i},{3 + i if fake else 400 + 10 * i},{2000 + i if fake else 300 + i},"
                     f"{i % 3 if fake else 50 + i},{'no' if fake and i % 4 else 'yes'},0,"
                     f"{'fake' if fake else 'real'}")
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = tmp_path / "mine.json"
    out = run("vet", "fit", str(labelled), "--out", str(params), "--l2", "2")
    assert "fitted on 40 accounts (20 fake)" in out
    assert json.loads(params.read_text(encoding="utf-8"))["params"]["l2"] == 2.0
    rows = json.loads(run("vet", "accounts", str(labelled), "--format", "json", "--model",
                          str(params)))
    assert [r["label"] for r in rows] == ["fake", "real"] * 20
    assert "l2 must be positive" in run("vet", "fit", str(labelled), "--out", str(params),
                                        "--l2", "0", code=5)


def test_fit_needs_labels(accounts: Path, tmp_path: Path) -> None:
    out = run("vet", "fit", str(accounts), "--out", str(tmp_path / "m.json"), code=5)
    assert f"{accounts}:2: label: every row needs a label" in out


def test_search_by_verdict_and_flags_after_vet_run(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", "sample")
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    run("demo", "--accounts", "60")
    verdicts = json.loads(run("vet", "run", "--json"))["verdicts"]

    def found(*args: str) -> list[dict[str, object]]:
        items: list[dict[str, object]] = json.loads(
            run("kols", "search", "--json", "--limit", "1000", *args))["items"]
        return items

    total = len(found())
    for verdict in ("pass", "review", "fail"):
        assert len(found("--verdict", verdict)) == verdicts.get(verdict, 0)
    flagged = [f for f in json.loads(run("vet", "flags", "--format", "json"))
               if f["kind"] != "value"]
    assert flagged, "the sample world has posts that trip brand-safety sets"
    category = str(flagged[0]["category"])
    without = found("--exclude-flag", category)
    assert 0 < len(without) < total
    assert {a["handle"] for a in without}.isdisjoint(
        {f["handle"] for f in flagged if f["category"] == category})
    assert len(found("--exclude-flag", "any")) <= len(without)
    assert "verdict" in run("kols", "search", "--verdict", "maybe", code=5)
