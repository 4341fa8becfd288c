"""Settings from KOLSCOPE_* variables: a bad value names its variable, secrets stay unsaid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kolscope.errors import InvalidInput
from kolscope.settings import load_settings


def test_a_bad_value_names_its_variable_and_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLSCOPE_REDIRECT_PORT", "99999")
    monkeypatch.setenv("KOLSCOPE_REDIRECT_TASK_IMPL", "threads")
    with pytest.raises(InvalidInput) as caught:
        load_settings()
    message = caught.value.message
    assert "KOLSCOPE_REDIRECT_PORT: Input should be less than or equal to 65535 (got '99999')" \
        in message
    assert "KOLSCOPE_REDIRECT_TASK_IMPL" in message and "'threads'" in message
    assert caught.value.field == "KOLSCOPE_REDIRECT_PORT"


def test_a_bad_secret_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_settings(redirect_salt=["hunter2"])
    assert "KOLSCOPE_REDIRECT_SALT" in caught.value.message
    assert "hunter2" not in caught.value.message


def test_overrides_win_and_good_values_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOLSCOPE_REDIRECT_PORT", "8099")
    assert load_settings().redirect_port == 8099
    assert load_settings(redirect_port=8100).redirect_port == 8100


def test_the_redirect_entry_point_says_what_is_wrong(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "KOLSCOPE_DATA_DIR": str(tmp_path),
           "KOLSCOPE_REDIRECT_FLUSH_INTERVAL": "5"}
    done = subprocess.run([sys.executable, "-m", "kolscope.redirect"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == ("error: bad setting: KOLSCOPE_REDIRECT_FLUSH_INTERVAL: Input "
                                   "should be less than or equal to 1 (got '5')")
