"""Graph engines chosen by name; every engine passes the same contract tests."""

from __future__ import annotations

from collections.abc import Callable

from kolscope.adapters.engines.local import LocalEngine
from kolscope.app.ports import GraphEngine
from kolscope.errors import EngineError, InvalidInput
from kolscope.settings import Settings, load_settings


def _local(settings: Settings) -> GraphEngine:
    return LocalEngine()


def _spark(settings: Settings) -> GraphEngine:
    # Imported on demand: PySpark is an optional extra, and slow to import.
    try:
        from kolscope.adapters.engines.spark import SparkEngine
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in {"pyspark", "pyarrow", "py4j"}:
            raise
        raise EngineError(f"the spark engine needs PySpark and pyarrow ({error.name} is not "
                          "installed): pip install 'kolscope[spark]'", engine="spark") from error
    return SparkEngine(master=settings.spark_master, driver_memory=settings.spark_driver_memory)


ENGINES: dict[str, Callable[[Settings], GraphEngine]] = {"local": _local, "spark": _spark}


def get_engine(name: str, settings: Settings | None = None) -> GraphEngine:
    """The engine called ``name``, configured by ``settings`` (by default the environment's)."""
    factory = ENGINES.get(name)
    if factory is None:
        raise InvalidInput(f"unknown graph engine {name!r}; expected one of: "
                           f"{', '.join(ENGINES)}", field="engine")
    return factory(settings or load_settings())
