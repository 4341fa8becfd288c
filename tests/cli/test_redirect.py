"""`kolscope redirect serve`: refuses a bad server name, a bad setting and an old schema
before serving."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    return CliRunner()


def test_an_unknown_server_is_a_usage_error(cli: CliRunner) -> None:
    result = cli.invoke(app, ["redirect", "serve", "--server", "nginx"])
    assert result.exit_code == 2
    assert "granian or uvicorn" in result.output


def test_an_old_schema_is_refused_with_advice(cli: CliRunner) -> None:
    result = cli.invoke(app, ["redirect", "serve", "--port", "1"])
    assert result.exit_code == 8
    assert "kolscope db upgrade" in result.output


def test_a_bad_setting_is_one_line_naming_it(cli: CliRunner,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLSCOPE_REDIRECT_TASK_IMPL", "threads")
    result = cli.invoke(app, ["redirect", "serve"])
    assert result.exit_code == 5
    assert "KOLSCOPE_REDIRECT_TASK_IMPL: Input should be 'auto', 'asyncio' or 'rust'" \
        in result.output
    assert "Traceback" not in result.output
