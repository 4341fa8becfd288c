"""`kolscope text sentiment`: csv, json and table output, stdin, blank lines and bad UTF-8."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app

LINES = ["I love this, absolutely amazing!", "", "This is the worst, I hate it.",
         "这个产品质量很好，非常满意", "质量太差了，退货"]


@pytest.fixture
def comments(tmp_path: Path) -> Path:
    path = tmp_path / "comments.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


def invoke(*args: str, stdin: bytes | None = None, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["text", "sentiment", *args], input=stdin)
    assert result.exit_code == code, result.output
    return result.output


def test_csv_has_one_row_per_line_with_label_score_and_language(comments: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(invoke(str(comments), "--format", "csv"))))
    assert [int(r["line"]) for r in rows] == [1, 2, 3, 4, 5]
    assert [r["label"] for r in rows] == ["positive", "neutral", "negative", "positive",
                                          "negative"]
    assert [r["language"] for r in rows] == ["en", "", "en", "zh", "zh"]
    assert rows[1]["score"] == "0.0"  # the blank line keeps its place, neutral
    assert all(-1.0 <= float(r["score"]) <= 1.0 for r in rows)
    assert float(rows[0]["score"]) > 0 > float(rows[2]["score"])


def test_json_reads_stdin(comments: Path) -> None:
    rows = json.loads(invoke("-", "--format", "json", stdin=comments.read_bytes()))
    assert [r["label"] for r in rows] == ["positive", "neutral", "negative", "positive",
                                          "negative"]
    assert set(rows[0]) == {"line", "label", "score", "language"}


def test_table_is_the_default(comments: Path) -> None:
    out = invoke(str(comments))
    assert "positive" in out and "negative" in out and "质量太差了" in out


def test_windows_line_endings_and_no_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"great stuff\r\n\r\nawful")
    rows = json.loads(invoke(str(path), "--format", "json"))
    assert [r["line"] for r in rows] == [1, 2, 3]
    assert rows[1]["label"] == "neutral"


def test_bad_utf8_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"fine\n" + "très bien".encode("latin-1") + b"\n")
    out = invoke(str(path), "--format", "csv", code=6)
    assert "latin1.txt" in out and "line 2" in out and "UTF-8" in out


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    assert "cannot read" in invoke(str(tmp_path / "nope.txt"), code=6)


def test_unknown_format_is_refused(comments: Path) -> None:
    invoke(str(comments), "--format", "xml", code=2)


def test_social_comments_emoji_and_chinese_praise(tmp_path: Path) -> None:
    path = tmp_path / "social.txt"
    path.write_text("🔥🔥\n太好看了吧 😍\n互关\n", encoding="utf-8")
    rows = json.loads(invoke(str(path), "--format", "json"))
    assert [r["label"] for r in rows] == ["positive", "positive", "neutral"]
    assert [r["language"] for r in rows] == [None, "zh", "zh"]
