"""The report's documents from a report built in memory: escaping, links to rows, CJK in the
PDF, the long CSV and the workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import pytest

from kolscope.adapters.documents import (
    render_report_csv,
    render_report_html,
    render_report_pdf,
    render_report_xlsx,
)
from kolscope.adapters.documents.pdf import CJK_FONTS
from kolscope.adapters.documents.report_charts import layout, report_charts
from kolscope.core.reporting.facts import CommentFacts, KolFacts
from kolscope.core.reporting.report import build_report
from tests.core.reporting.test_report import AT, world


def report_with(text: str, handle: str = "mia") -> object:
    data = world()
    kols = [replace(data.kols[0], handle=handle), *data.kols[1:]]
    comments = [*data.comments, CommentFacts(99, 31, AT, "x", text, "positive", 1.0)]
    return build_report(replace(data, kols=kols, comments=comments), generated_at=AT)


def test_html_escapes_text_and_links_numbers_to_rows() -> None:
    report = report_with("<script>alert(1)</script>")
    html = render_report_html(report)  # type: ignore[arg-type]
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert 'href="#src-kpi-cpe"' in html and 'id="src-kpi-cpe"' in html
    assert 'href="#row-ledger_entries-51"' in html and 'id="row-ledger_entries-51"' in html
    web = render_report_html(report, fragment=True,  # type: ignore[arg-type]
                             row_url=lambda t, i, c: f"/c/{c}" if c else None)
    assert "<html" not in web and 'href="/c/1"' in web and 'href="#row-comments-99"' in web


def test_charts_fit_their_box() -> None:
    report = build_report(world(), generated_at=AT)
    for chart in report_charts(report):
        lay = layout(chart)
        assert lay.marks and all(0 <= m.x <= 640 and 0 <= m.y <= 260 for m in lay.marks)


def test_pdf_draws_chinese_with_a_cjk_font() -> None:
    if not any(Path(p).exists() for p in CJK_FONTS):
        pytest.skip("no CJK font installed (fonts-droid-fallback)")
    pdf = render_report_pdf(report_with("很好看，喜欢", handle="小红"))  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf


def test_csv_is_one_long_table_and_xlsx_has_a_sheet_each() -> None:
    report = build_report(world(), generated_at=AT)
    rows = list(csv.DictReader(io.StringIO(render_report_csv(report))))
    spend = [r for r in rows if r["table"] == "kpis" and r["row"] == "12"]
    assert {r["field"]: r["value"] for r in spend}["value"] == "500.00"  # money to the cent
    assert {r["table"] for r in rows} >= {"kpis", "rehire", "rows_conversions"}
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_report_xlsx(report)))
    assert book["kpis"]["A1"].value == "kpi" and book["kols"].max_row == 4


def test_kol_without_followers_is_fine() -> None:
    data = world()
    report = build_report(replace(data, kols=[KolFacts(1, 11, "mia", "instagram", None,
                                                       "completed"), *data.kols[1:]]),
                          generated_at=AT)
    assert report.kpi("engagement_rate").value == 200 / 5_000
    assert render_report_pdf(report).startswith(b"%PDF")
