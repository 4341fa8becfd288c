"""Graph engines chosen by name; every engine passes the same contract tests."""

from __future__ import annotations

from kolscope.adapters.engines.local import LocalEngine
from kolscope.app.ports import GraphEngine
from kolscope.errors import InvalidInput

ENGINES: dict[str, type[LocalEngine]] = {"local": LocalEngine}


def get_engine(name: str) -> GraphEngine:
    """The engine called ``name``."""
    factory = ENGINES.get(name)
    if factory is None:
        raise InvalidInput(f"unknown graph engine {name!r}; expected one of: "
                           f"{', '.join(ENGINES)}", field="engine")
    return factory()
