"""Where built search indexes are kept."""

from kolscope.adapters.search.index_store import FileIndexStore

__all__ = ["FileIndexStore"]
