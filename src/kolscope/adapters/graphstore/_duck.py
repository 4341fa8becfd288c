"""DuckDB connections held to a memory limit, spilling to a folder, and SQL quoting of paths."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from kolscope.errors import EngineError


@contextmanager
def connect(spill: Path, *, memory_limit: str, threads: int | None = None
            ) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that spills sorts, joins and aggregates to ``spill`` past
    ``memory_limit``, with its errors turned into :class:`EngineError`; ``spill`` is removed."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit, "temp_directory": str(spill),
        # Results without ORDER BY may come in any order: DuckDB then needs no buffers to
        # restore it, which matters most under a small memory limit.
        "preserve_insertion_order": False}
    if threads is not None:
        config["threads"] = threads
    try:
        con = duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:
        raise EngineError(f"cannot start DuckDB: {exc}", memory_limit=memory_limit) from exc
    try:
        yield con
    except duckdb.OutOfMemoryException as exc:
        raise EngineError("building the interaction graph ran out of memory even spilling to "
                          f"disk; raise KOLSCOPE_GRAPH_MEMORY_LIMIT ({memory_limit})",
                          memory_limit=memory_limit) from exc
    except duckdb.Error as exc:
        raise EngineError(f"building the interaction graph failed: {exc}") from exc
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def path_literal(path: Path) -> str:
    """``path`` as a SQL string literal (COPY takes no parameters for its file)."""
    return "'" + str(path).replace("'", "''") + "'"
