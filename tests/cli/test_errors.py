"""Every command answers a bad value with one line and an exit code, never a traceback: the
models' refusals, NaN and out-of-range amounts, offsets past a day, paths that are folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app


@pytest.mark.parametrize(("args", "code", "says"), [
    (["tracking", "set", "--promo-length", "0"], 5, "length: Input should be greater"),
    (["tracking", "set", "--promo-separator", "ab"], 5, "separator: "),
    (["collab", "pay", "1", "NaN", "--method", "cash"], 5, "amount: not a finite amount"),
    (["collab", "pay", "1", "1e400", "--method", "cash"], 5, "at most 1,000,000,000,000"),
    (["collab", "performance", "1", "--revenue", "0.000001"], 5, "at most 4 decimals"),
    (["collab", "snapshot", "1", "--likes", "9" * 20], 5, "likes: "),
])
def test_a_bad_value_is_one_line_and_exit_5(cli: CliRunner, args: list[str], code: int,
                                            says: str) -> None:
    result = cli.invoke(app, args)
    assert result.exit_code == code, result.output
    assert says in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_offset_past_a_day_is_refused(cli: CliRunner, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,code,total,created_at\n1,MIA10,10.00,2026-01-01 10:00\n")
    result = cli.invoke(app, ["promo", "import", str(orders), "--currency", "EUR",
                              "--tz", "+25:00"])
    assert result.exit_code == 5, result.output
    assert "out of range" in result.output and "Traceback" not in result.output


def test_writing_to_a_folder_is_one_line_naming_it(cli: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli.invoke(app, ["kols", "export", "--format", "csv", "--output", str(folder)])
    assert result.exit_code == 1, result.output
    assert f"{folder}: Is a directory" in result.output.replace("\n", "")


def test_a_bad_currency_for_a_whole_file_is_refused_before_any_row(cli: CliRunner,
                                                                   tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,code,total,created_at\n1,MIA10,10.00,2026-01-01 10:00\n")
    result = cli.invoke(app, ["promo", "import", str(orders), "--currency", "EURO"])
    assert result.exit_code == 5, result.output
    assert "three-letter ISO 4217" in result.output and "rejected" not in result.output


@pytest.mark.parametrize("content", ["[]", "", "\n\n"])
def test_an_orders_file_without_events_is_refused(cli: CliRunner, tmp_path: Path,
                                                  content: str) -> None:
    events = tmp_path / "events.json"
    events.write_text(content)
    result = cli.invoke(app, ["orders", "add", str(events)])
    assert result.exit_code == 5 and "no events in the file" in result.output
