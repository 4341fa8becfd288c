"""Rendering for the terminal: Rich tables for people, JSON for scripts."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def print_json(value: Any) -> None:
    """Write ``value`` (models, lists of models, dicts) to stdout as JSON."""
    sys.stdout.write(orjson.dumps(_plain(value), option=orjson.OPT_INDENT_2).decode() + "\n")


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def fmt(value: Any, kind: str = "") -> str:
    """A cell: percentages, thousands separators, dates; '—' for unknown."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value * 100:.2f}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    return str(value)


# Identifiers must stay whole and copyable; other cells may wrap in a narrow terminal.
WHOLE = frozenset({"id", "handle", "file", "KOL", "short link", "code", "campaign"})


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    t = Table(title=title, header_style="bold")
    for column in columns:
        t.add_column(column, overflow="fold", no_wrap=column in WHOLE)
    for row in rows:
        t.add_row(*row)
    console.print(t)
