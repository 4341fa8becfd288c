"""How the redirect is served: granian's task implementation per interface and Python."""

from __future__ import annotations

import logging

import pytest

from kolscope.redirect.serve import task_impl


@pytest.mark.parametrize(("setting", "interface", "version", "expected"), [
    ("auto", "rsgi", (3, 11), "rust"),
    ("rust", "rsgi", (3, 11), "rust"),
    ("asyncio", "rsgi", (3, 11), "asyncio"),
    ("auto", "rsgi", (3, 12), "asyncio"),
    ("auto", "asgi", (3, 11), "asyncio"),
])
def test_rust_tasks_where_granian_has_them(setting: str, interface: str,
                                           version: tuple[int, int], expected: str) -> None:
    assert task_impl(setting, interface, version) == expected  # type: ignore[arg-type]


def test_asking_for_rust_tasks_where_there_are_none_says_so(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kolscope.redirect.serve"):
        assert task_impl("rust", "asgi", (3, 11)) == "asyncio"
        assert task_impl("rust", "rsgi", (3, 13)) == "asyncio"
    assert len(caplog.records) == 2 and "Python < 3.12" in caplog.records[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kolscope.redirect.serve"):
        task_impl("auto", "asgi", (3, 11))
    assert not caplog.records  # auto falls back quietly
