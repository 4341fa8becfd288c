"""The command line in process: every command, its JSON output and its exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.errors import exit_code_for
from kolscope.cli.main import app
from kolscope.errors import Conflict, InvalidInput, KolscopeError, NotFound, SourceError
from tests.conftest import FIXTURES


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    monkeypatch.delenv("KOLSCOPE_WORKSPACE", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return runner


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout


def imported(cli: CliRunner) -> CliRunner:
    run(cli, "import", "influencers", str(FIXTURES / "influencers.tsv"))
    run(cli, "import", "instagram", str(FIXTURES / "instaloader_posts.jsonl"))
    return cli


def test_import_prints_a_summary_and_json(cli: CliRunner) -> None:
    out = run(cli, "import", "influencers", str(FIXTURES / "influencers.tsv"))
    assert "succeeded" in out and "23" not in out.split("records")[0]
    job = json.loads(run(cli, "import", "instagram", str(FIXTURES / "instaloader_posts.jsonl"),
                         "--json"))
    assert job["status"] == "succeeded" and job["counts"]["posts_new"] == 3
    listed = json.loads(run(cli, "import", "list", "--json"))
    assert [j["kind"] for j in listed] == ["instagram", "influencers"]
    shown = json.loads(run(cli, "import", "show", str(job["id"]), "--json"))
    assert shown["counts"] == job["counts"]


def test_search_filters_and_json(cli: CliRunner) -> None:
    imported(cli)
    page = json.loads(run(cli, "kols", "search", "--sort", "followers", "--json"))
    assert [a["handle"] for a in page["items"]] == ["techwithtom", "glowwithmia", "makeupbynvs"]
    page = json.loads(run(cli, "kols", "search", "--platform", "IG", "--tier", "micro",
                          "--min-er", "5", "--niche", "beauty", "--json"))
    assert [a["handle"] for a in page["items"]] == ["glowwithmia"]
    assert "glowwithmia" in run(cli, "kols", "search", "mia")


def test_a_brief_search_says_why_and_lookalikes(cli: CliRunner) -> None:
    imported(cli)
    out = run(cli, "kols", "search", "serum skincare", "--why", "--active-days", "3650")
    assert "glowwithmia" in out and "keyword +" in out and "serum" in out
    similar = json.loads(run(cli, "kols", "lookalikes", "glowwithmia", "--json"))
    assert "glowwithmia" not in [a["handle"] for a in similar["items"]]
    assert all(a["why"] for a in similar["items"])
    run(cli, "kols", "lookalikes", "nobody", code=3)


def test_flag_virtual_by_hand(cli: CliRunner) -> None:
    imported(cli)
    run(cli, "discover", "classify")
    assert "flagged" in run(cli, "kols", "virtual", "glowwithmia")
    profile = json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))
    assert profile["classification"]["is_virtual"] is True
    run(cli, "kols", "virtual", "glowwithmia", "--off")
    profile = json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))
    assert profile["classification"]["is_virtual"] is False
    run(cli, "kols", "virtual", "nobody", code=3)


def test_show_by_handle_and_id(cli: CliRunner) -> None:
    imported(cli)
    profile = json.loads(run(cli, "kols", "show", "@GlowWithMia", "--json"))
    assert profile["metrics"]["tier"] == "micro" and len(profile["recent_posts"]) == 2
    assert "engagement rate" in run(cli, "kols", "show", str(profile["id"]))


def test_export_csv_and_json(cli: CliRunner, tmp_path: Path) -> None:
    imported(cli)
    rows = list(csv.DictReader(io.StringIO(run(cli, "kols", "export", "--format", "csv",
                                               "--sort", "followers"))))
    assert [r["handle"] for r in rows] == ["techwithtom", "glowwithmia", "makeupbynvs"]
    out = tmp_path / "micro.json"
    run(cli, "kols", "export", "--format", "json", "--tier", "micro", "--output", str(out))
    assert {a["handle"] for a in json.loads(out.read_text())} == {"glowwithmia", "makeupbynvs",
                                                                  "techwithtom"}


@pytest.mark.parametrize(("args", "code", "message"), [
    (["kols", "show", "nobody"], 3, "no account"),
    (["kols", "search", "--platform", "myspace"], 5, "unknown platform"),
    (["kols", "search", "--min-followers", "9", "--max-followers", "1"], 5, "min_followers"),
    (["kols", "export", "--format", "xml"], 5, "csv or json"),
    (["import", "instagram", "/no/such/file.jsonl"], 6, "no such file"),
    (["import", "show", "999"], 3, "not found"),
    (["-w", "ghost", "kols", "search"], 3, "does not exist"),
    (["workspace", "create", "Bad Slug"], 5, "slug"),
    (["kols", "search", "--tier", "giant"], 2, ""),
])
def test_errors_map_to_exit_codes(cli: CliRunner, args: list[str], code: int,
                                  message: str) -> None:
    result = cli.invoke(app, args)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_exit_code_table() -> None:
    assert [exit_code_for(e) for e in (NotFound("x"), Conflict("x"), InvalidInput("x"),
                                       SourceError("x"), KolscopeError("x"))] == [3, 4, 5, 6, 1]


def test_workspaces_and_keys(cli: CliRunner) -> None:
    assert "created" in run(cli, "workspace", "create", "brand-b", "--kind", "agency")
    run(cli, "workspace", "create", "brand-b", code=4)
    slugs = [w["slug"] for w in json.loads(run(cli, "workspace", "list", "--json"))]
    assert slugs == ["default", "brand-b"]
    key = json.loads(run(cli, "-w", "brand-b", "keys", "create", "--name", "ci", "--json"))
    assert key["workspace"] == "brand-b" and key["secret"].startswith("ks_")
    run(cli, "-w", "brand-b", "keys", "revoke", str(key["id"]))
    run(cli, "-w", "brand-b", "keys", "revoke", str(key["id"]), code=3)


def test_unmigrated_database_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path / "empty"))
    result = CliRunner().invoke(app, ["kols", "search"])
    assert result.exit_code == 8 and "kolscope db upgrade" in result.output


def test_demo_builds_a_synthetic_workspace(cli: CliRunner) -> None:
    run(cli, "demo", "--accounts", "40")
    listed = {w["slug"]: w for w in json.loads(run(cli, "workspace", "list", "--json"))}
    assert listed["sample"]["is_synthetic"] and listed["sample"]["counts"]["posts"] > 0
    page = json.loads(run(cli, "-w", "sample", "kols", "search", "--json"))
    assert page["total"] > 0
    run(cli, "-w", "default", "demo", code=4)  # a real workspace is never overwritten


def test_synth_writes_generic_jsonl(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "world.jsonl.gz"
    counts = json.loads(run(cli, "synth", "--accounts", "30", "--out", str(out), "--json"))
    assert counts["accounts"] == 30 and out.stat().st_size > 0
    job = json.loads(run(cli, "import", "generic", str(out), "--json"))
    assert job["rejected"] == 0 and job["counts"]["posts_new"] == counts["posts"]


def test_rescore_applies_new_tier_settings(cli: CliRunner,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    imported(cli)
    assert json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))["metrics"]["tier"] == (
        "micro")
    monkeypatch.setenv("KOLSCOPE_TIER_MICRO", "5000")
    assert "rescored 3 accounts" in run(cli, "kols", "rescore")
    assert json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))["metrics"]["tier"] == (
        "nano")


def test_discover_authority_then_sort_by_it(cli: CliRunner) -> None:
    imported(cli)
    summary = json.loads(run(cli, "discover", "authority", "--json"))
    assert summary["creators_scored"] == 3 and summary["engine"] == "local"
    page = json.loads(run(cli, "kols", "search", "--sort", "authority", "--json"))
    assert all(a["authority_percentile"] is not None for a in page["items"])
    assert "authority percentile" in run(cli, "kols", "show", "glowwithmia")
    run(cli, "discover", "authority", "--engine", "gremlin", code=5)


def test_discover_authority_updates_the_stored_graph_or_rebuilds_it(cli: CliRunner) -> None:
    imported(cli)
    assert json.loads(run(cli, "discover", "authority", "--json"))["graph_build"] == "full"
    again = json.loads(run(cli, "discover", "authority", "--json"))
    assert (again["graph_build"], again["new_interactions"]) == ("incremental", 0)
    assert "full (asked for)" in run(cli, "discover", "authority", "--full")


def test_discover_authority_on_the_spark_engine(cli: CliRunner,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark", reason="the spark engine needs `pip install 'kolscope[spark]'`")
    imported(cli)
    run(cli, "discover", "authority", "--engine", "local")
    local = json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))["authority"]
    monkeypatch.setenv("KOLSCOPE_GRAPH_ENGINE", "spark")
    summary = json.loads(run(cli, "discover", "authority", "--json"))
    assert summary["engine"] == "spark" and summary["creators_scored"] == 3
    spark = json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))["authority"]
    assert spark["engine"] == "spark" and spark["k_core"] == local["k_core"]
    for score in ("pagerank", "niche_pagerank", "hub", "authority"):
        assert spark[score] == pytest.approx(local[score], abs=1e-7), score


def test_classify_breakdown_and_type_filter(cli: CliRunner) -> None:
    imported(cli)
    run(cli, "discover", "authority")
    summary = json.loads(run(cli, "discover", "classify", "--json"))
    assert summary["accounts"] == 3 and sum(summary["kol_types"].values()) == 3
    rows = json.loads(run(cli, "discover", "breakdown", "--json"))
    assert sum(r["accounts"] for r in rows) == 3
    assert "KOLs by niche and type" in run(cli, "discover", "breakdown")
    kind = json.loads(run(cli, "kols", "show", "glowwithmia", "--json"))["classification"]
    page = json.loads(run(cli, "kols", "search", "--type", kind["kol_type"], "--json"))
    assert "glowwithmia" in [a["handle"] for a in page["items"]]
    assert "why" in run(cli, "kols", "show", "glowwithmia")


def test_audience_research(cli: CliRunner) -> None:
    imported(cli)
    report = json.loads(run(cli, "discover", "audience", "--seed", "glowwithmia",
                            "--min-support", "1", "--json"))
    assert report["audience_size"] == 2 and report["method_version"] == "audience-1"
    assert "terms this audience writes" in run(cli, "discover", "audience", "--word", "love",
                                               "--min-support", "1")
    run(cli, "discover", "audience", code=5)


def test_vet_run_report_override_flags_and_keywords(cli: CliRunner, tmp_path: Path) -> None:
    imported(cli)
    followers = tmp_path / "followers.csv"
    followers.write_text("username,followers,following,posts,has_profile_pic,is_private\n"
                         + "".join(f"bot{i}99887,2,4100,0,no,no\n" for i in range(18))
                         + "".join(f"fan{i},310,280,60,yes,yes\n" for i in range(7)))
    out = run(cli, "import", "followers", str(followers), "--of", "glowwithmia")
    assert "followers" in out and "succeeded" in out
    terms = tmp_path / "terms.txt"
    terms.write_text("serum\n")
    run(cli, "vet", "keywords", "put", "no-serums", "--kind", "red_line", "--category",
        "competitor-products", "--file", str(terms))
    listed = json.loads(run(cli, "vet", "keywords", "list", "--own", "--json"))
    assert [s["name"] for s in listed] == ["no-serums"]
    summary = json.loads(run(cli, "vet", "run", "--json"))
    assert summary["accounts"] >= 2 and sum(summary["verdicts"].values()) == summary["accounts"]
    report = json.loads(run(cli, "vet", "report", "glowwithmia", "--stored", "--json"))
    signals = {line["signal"]["key"]: line["signal"] for line in report["report"]["lines"]}
    assert signals["audience_fake_share"]["status"] == "fail"
    assert report["report"]["verdict"] == "fail"
    text = run(cli, "vet", "report", "glowwithmia")
    assert "verdict fail" in text and "Share of sampled followers" in text
    run(cli, "vet", "override", "glowwithmia", "--verdict", "maybe", "--reason", "x", code=5)
    out = run(cli, "vet", "override", "glowwithmia", "--verdict", "review", "--reason",
              "bots removed last week", "--by", "dana")
    assert "verdict review (computed fail)" in out
    export = tmp_path / "flags.csv"
    run(cli, "vet", "flags", "--kind", "red_line", "--output", str(export))
    rows = export.read_text().splitlines()
    assert rows[0].startswith("handle,platform,post_id") and len(rows) >= 2
    run(cli, "vet", "keywords", "remove", "no-serums")
    run(cli, "vet", "keywords", "remove", "no-serums", code=3)
    run(cli, "vet", "keywords", "put", "x", "--kind", "safety", "--category", "nope",
        "--term", "a", code=5)
