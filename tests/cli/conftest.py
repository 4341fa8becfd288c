"""The command line on a new SQLite database; modules that need more (the sample world, a mail
server) define their own ``cli``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kolscope.cli.main import app


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A new database in ``tmp_path`` with the workspace ``acme``."""
    monkeypatch.setenv("KOLSCOPE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KOLSCOPE_DATABASE_URL", raising=False)
    monkeypatch.setenv("KOLSCOPE_WORKSPACE", "acme")
    runner = CliRunner()
    result = runner.invoke(app, ["db", "upgrade"])  # it creates the workspace named above
    assert result.exit_code == 0, result.output
    return runner
