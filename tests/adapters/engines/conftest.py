"""One Spark session for the whole test run: it takes seconds to start, and every spark engine of
the process shares it."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from kolscope.app.ports import GraphEngine

HAS_SPARK = all(importlib.util.find_spec(name) is not None for name in ("pyspark", "pyarrow"))


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[GraphEngine]:
    if not HAS_SPARK:
        pytest.skip("pyspark is not installed: `pip install 'kolscope[spark]'` (or `make test`, "
                    "whose dev extra has it) to run the spark engine's contract")
    from kolscope.adapters.engines import get_engine
    from kolscope.adapters.engines.spark import SparkEngine
    from kolscope.adapters.engines.spark_runtime import spark_session

    with pytest.MonkeyPatch.context() as env:
        # Test graphs are tiny, so the run is all JVM warm-up: the quick JIT alone halves it
        # (the full one pays off only on large graphs). SPARK_SUBMIT_OPTS reaches the JVM that
        # PySpark starts; results do not depend on it.
        env.setenv("SPARK_SUBMIT_OPTS", "-XX:TieredStopAtLevel=1")
        spark = spark_session()
    engine = get_engine("spark")
    assert isinstance(engine, SparkEngine)
    yield engine
    engine.close()
    spark.stop()
