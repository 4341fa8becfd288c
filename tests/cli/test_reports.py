"""`kolscope report` on the sample workspace: the whole campaign report in HTML and PDF from one
command, the PDF turned into images to prove it renders, and the exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from kolscope.cli.main import app

SECTIONS = ("summary", "kpis", "charts", "kols", "platforms", "content", "sentiment", "spend",
            "rehire", "sources", "appendix")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", "sample")
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--accounts", "40"])  # vets the workspace too
    assert result.exit_code == 0 and "comments scored" in result.output, result.output
    return runner


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.output


def pdf_pages(pdf: Path, out: Path) -> list[Image.Image]:
    """The PDF's pages as images, by poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; scripts/ensure-system-packages")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")], check=True,
                   timeout=60)
    return [Image.open(p).convert("L") for p in sorted(out.glob("page*.png"))]


def inked(page: Image.Image) -> float:
    """The share of pixels that are not white."""
    histogram = page.histogram()
    return 1 - sum(histogram[245:]) / (page.width * page.height)


def test_one_command_makes_the_html_and_pdf_report(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report"
    shown = run(cli, "report", "campaign", "sample-launch", "--format", "html,pdf", "--out",
                str(out))
    assert "published 5 post(s)" in shown and "wrote" in shown
    html = (out / "sample-launch.html").read_text(encoding="utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    assert html.count("<svg class=\"report-chart\"") == 3
    assert 'href="#src-kpi-engagements"' in html and 'id="row-deliverables-' in html
    assert "<link" not in html and "src=\"http" not in html  # nothing fetched
    pages = pdf_pages(out / "sample-launch.pdf", tmp_path)
    assert len(pages) >= 3
    assert all(inked(p) > 0.01 for p in pages), [round(inked(p), 4) for p in pages]


def test_exports_by_extension_and_json(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "report", "campaign", "sample-launch", "--out", str(tmp_path / "r.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    assert {r["table"] for r in rows} >= {"kpis", "kols", "rehire", "rows_deliverables"}
    sources = {r["value"] for r in rows if r["table"] == "kpis" and r["field"] == "sources"}
    assert any(s.startswith("deliverables:") for s in sources)
    run(cli, "report", "campaign", "sample-launch", "--out", str(tmp_path / "r.xlsx"))
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert {"about", "kpis", "kols", "rows_ledger_entries"} <= set(book.sheetnames)
    data = json.loads(run(cli, "report", "campaign", "sample-launch", "--json"))
    assert data["method_version"] == "report-1" and len(data["kpis"]) == 22
    board = json.loads(run(cli, "report", "leaderboard", "--by", "roi", "--json"))
    assert board["by"] == "roi" and board["rows"][0]["kol"]["roi"] is not None
    assert "rank by one of" in run(cli, "report", "leaderboard", "--by", "vibes", code=5)
    assert "format must be" in run(cli, "report", "campaign", "sample-launch", "--format",
                                   "docx", code=5)
    assert "two different" in run(cli, "report", "compare", "sample-launch", code=5)
    best = board["rows"][0]["kol"]
    (mine,) = json.loads(run(cli, "report", "kol", str(best["account_id"]), "--json"))
    assert mine["campaign"] == "sample-launch" and mine["line"]["roi"] == best["roi"]
    assert "sample-launch" in run(cli, "report", "kol", str(best["account_id"]))
