"""Interaction graphs kept on disk between authority runs, built incrementally and out of core."""

from __future__ import annotations

from kolscope.adapters.graphstore.store import DuckDbGraphStore

__all__ = ["DuckDbGraphStore"]
