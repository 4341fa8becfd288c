"""What the spark engine's algorithms share: the process's one SparkSession, graphs moved into it
as cached DataFrames, the iterates of an iteration, and per-node results brought back.

A graph goes into Spark as a Parquet file written by pyarrow straight from the CSR arrays (no
Python tuples, whatever the size) and read back by Spark in parallel; it comes out as Arrow.
The file lives in a temporary folder as long as the graph is loaded, so Spark can reread it.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import scipy.sparse as sp
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as sf

from kolscope.errors import ConvergenceError, EngineError, InvalidInput

LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
DEFAULT_MASTER = "local[*]"
DEFAULT_DRIVER_MEMORY = "2g"
#: A graph gets a shuffle partition per this many edges, up to twice the cores: each partition is
#: a task in every step, and a task costs milliseconds however few rows it has.
EDGES_PER_PARTITION = 250_000
_INT32_MAX = np.iinfo(np.int32).max

_lock = threading.Lock()
_session: SparkSession | None = None


def spark_session(*, master: str = DEFAULT_MASTER,
                  driver_memory: str = DEFAULT_DRIVER_MEMORY) -> SparkSession:
    """The process's SparkSession, started on first use (seconds) and shared from then on.

    The first caller's ``master`` and ``driver_memory`` win: a JVM takes its memory at start.
    """
    global _session
    with _lock:
        if _session is None or _session.sparkContext._jsc is None:  # never started, or stopped
            _session = _start(master, driver_memory)
        return _session


def _start(master: str, driver_memory: str) -> SparkSession:
    # Adaptive execution stays off: it re-plans each of the many small stages of an iteration
    # and would undo the co-partitioning of edges and node states (SparkGraph.partitions).
    builder = (SparkSession.builder.master(master).appName("kolscope")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", driver_memory)
               .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG}")
               .config("spark.sql.adaptive.enabled", "false")
               # a broadcast join runs a job when it is planned, so a step using one would be
               # computed at once rather than with the steps after it
               .config("spark.sql.autoBroadcastJoinThreshold", "-1")
               # shuffle files of past iterations go when their JVM objects are collected
               .config("spark.cleaner.periodicGC.interval", "1min"))
    if master.startswith("local"):
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    try:
        return builder.getOrCreate()
    except Exception as error:  # no Java, a bad master URL, a port refused ...
        raise EngineError(f"Spark could not start ({master}): {error}", engine="spark",
                          master=master) from error


@dataclass
class SparkGraph:
    """A graph's edges in Spark (``src``, ``dst``, ``w`` > 0, partitioned by ``src``), with the
    views algorithms derive from them, each built and cached on first use."""

    n: int
    m: int
    id_type: str
    partitions: int
    edges: DataFrame
    folder: tempfile.TemporaryDirectory[str]
    views: dict[str, DataFrame] = field(default_factory=dict)
    #: other things derived once per graph (which powers of the graph PageRank may jump with)
    memo: dict[object, Any] = field(default_factory=dict)

    @property
    def spark(self) -> SparkSession:
        return self.edges.sparkSession

    def use(self) -> None:
        """Make aggregations shuffle into this graph's partitions, as its views and iterates
        are partitioned: joins of edges and node states then need no shuffle of their own."""
        self.spark.conf.set("spark.sql.shuffle.partitions", str(self.partitions))

    def view(self, name: str, build: Callable[[SparkGraph], DataFrame]) -> DataFrame:
        if name not in self.views:
            self.views[name] = build(self).persist(StorageLevel.MEMORY_AND_DISK)
        return self.views[name]

    def node_ids(self) -> DataFrame:
        """Every node, 0 … n-1, in the type of the edge ids."""
        return self.spark.range(self.n).select(sf.col("id").cast(self.id_type).alias("id"))

    def release(self) -> None:
        """Uncache everything and delete the Parquet file."""
        for frame in [self.edges, *self.views.values()]:
            frame.unpersist()
        self.views.clear()
        self.memo.clear()
        self.folder.cleanup()


def load_graph(spark: SparkSession, adjacency: Any) -> SparkGraph:
    """``adjacency`` (square scipy sparse, ``A[i, j]`` the weight of i → j) as a SparkGraph."""
    src, dst, w = _edge_arrays(adjacency)
    n = int(adjacency.shape[0])
    folder = tempfile.TemporaryDirectory(prefix="kolscope-spark-")
    path = Path(folder.name) / "edges.parquet"
    pq.write_table(pa.table({"src": src, "dst": dst, "w": w}), path, row_group_size=1 << 20)
    most = 2 * spark.sparkContext.defaultParallelism
    partitions = max(1, min(most, -(-w.size // EDGES_PER_PARTITION)))
    edges = (spark.read.parquet(str(path)).repartition(partitions, "src")
             .persist(StorageLevel.MEMORY_AND_DISK))
    return SparkGraph(n=n, m=int(w.size), id_type="int" if src.dtype == np.int32 else "bigint",
                      partitions=partitions, edges=edges, folder=folder)


def _edge_arrays(adjacency: Any) -> tuple[npt.NDArray[np.integer], npt.NDArray[np.integer],
                                          npt.NDArray[np.float64]]:
    """The positive-weight edges as (sources, targets, weights), parallel edges summed; checked
    as core checks them."""
    if not sp.issparse(adjacency) or adjacency.ndim != 2 or (
            adjacency.shape[0] != adjacency.shape[1]):
        raise InvalidInput("adjacency must be a square 2-D scipy sparse matrix", field="adjacency")
    a = sp.csr_array(adjacency, dtype=np.float64)
    if not a.has_canonical_format:
        a = a.copy()
        a.sum_duplicates()
    if a.data.size and not np.isfinite(a.data).all():
        raise InvalidInput("edge weights must be finite", field="adjacency")
    if a.data.size and a.data.min() < 0:
        raise InvalidInput("edge weights must be non-negative", field="adjacency")
    n = a.shape[0]
    dtype = np.int32 if n <= _INT32_MAX else np.int64
    keep = a.data > 0
    src = np.repeat(np.arange(n, dtype=dtype), np.diff(a.indptr))[keep]
    return src, a.indices.astype(dtype, copy=False)[keep], a.data[keep]


def frame_of(spark: SparkSession, columns: dict[str, npt.NDArray[Any]]) -> DataFrame:
    """A DataFrame of numpy columns, moved as Arrow."""
    return spark.createDataFrame(pa.table(columns))


def gather(frame: DataFrame, column: str, n: int, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """``column`` of ``frame`` (which has one row per node ``id`` at most) as a dense array in
    graph order, 0 for nodes without a row; moved as Arrow."""
    table = frame.select("id", column).toArrow()
    out = np.zeros(n, dtype=dtype)
    out[table.column("id").to_numpy()] = table.column(column).to_numpy()
    return out


class Iterates:
    """The states of an iteration, each a lazy local checkpoint.

    A checkpoint cuts the plan, so each iteration plans one step rather than all before it, and
    keeps its rows, so the next step reads them instead of recomputing the lineage. Once a Spark
    job has computed the newest state, the older ones are freed: ``DataFrame.unpersist`` does
    not free a local checkpoint's blocks, so this frees the RDD under it.
    """

    def __init__(self) -> None:
        self._held: list[DataFrame] = []

    def keep(self, frame: DataFrame) -> DataFrame:
        state = frame.localCheckpoint(eager=False)
        self._held.append(state)
        return state

    def settle(self) -> None:
        """Free every state but the newest; call it only after a job that computed that one."""
        for state in self._held[:-1]:
            _free(state)
        del self._held[:-1]

    def __enter__(self) -> Iterates:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for state in self._held:
            _free(state)
        self._held.clear()


def _free(state: DataFrame) -> None:
    state._jdf.queryExecution().analyzed().rdd().unpersist(False)


# --- iterating to convergence ----------------------------------------------------------------

#: Most iterations between two convergence checks, whatever the rate predicts.
MAX_GAP = 25
Step = Callable[[DataFrame], DataFrame]
#: Take that many iterations from a state: (the state reached, the state an iteration before).
Advance = Callable[[DataFrame, int], tuple[DataFrame, DataFrame]]
#: (error, state to go on from) of the newest state and the one an iteration before it.
Check = Callable[[DataFrame, DataFrame], tuple[float, DataFrame]]
#: Iterations before the next check, from the (iteration, error) checks so far and the target.
Gap = Callable[[list[tuple[int, float]], float], int]


def stepwise(step: Step, iterates: Iterates) -> Advance:
    """Advance by applying ``step`` once per iteration, keeping each state."""
    def advance(state: DataFrame, count: int) -> tuple[DataFrame, DataFrame]:
        previous = state
        for _ in range(count):
            previous, state = state, iterates.keep(step(state))
        return state, previous
    return advance


def iterate(state: DataFrame, advance: Advance, check: Check, *, target: float, max_iter: int,
            gap: Gap, method: str, iterates: Iterates) -> DataFrame:
    """Iterate until ``check`` gives an error below ``target``: the state reached.

    A check is a Spark job of its own (the steps between are planned, not run), so ``gap``
    spaces the checks out; the last falls on ``max_iter`` exactly, after which the method has
    not converged.
    """
    history: list[tuple[int, float]] = []
    done = 0
    error = math.inf
    while done < max_iter:
        count = min(gap(history, target), max_iter - done)
        state, previous = advance(state, count)
        done += count
        error, state = check(state, previous)
        iterates.settle()
        history.append((done, error))
        if error < target:
            return state
    raise ConvergenceError(f"{method} did not converge in {max_iter} iterations", method=method,
                           iterations=max_iter, error=error, engine="spark")


def predicted_gap(first: int, second: int, most: int = MAX_GAP) -> Gap:
    """Check after ``first`` iterations, ``second`` more, then after as many as the error's rate
    of decrease over the last two checks needs to reach the target (at most ``most``)."""
    def gap(history: list[tuple[int, float]], target: float) -> int:
        if len(history) < 2:
            return second if history else first
        (k0, e0), (k1, e1) = history[-2:]
        if not 0 < e1 < e0:
            return second
        rate = (e1 / e0) ** (1.0 / (k1 - k0))
        return max(1, min(most, math.ceil(math.log(target / e1) / math.log(rate))))
    return gap


def l1_change(new: DataFrame, old: DataFrame, column: str, *,
              normalise: bool) -> tuple[float, float, float]:
    """(Σ |new − old|, Σ new, Σ old) over nodes, a missing row counting 0; with ``normalise``
    both vectors are scaled to sum 1 before the difference. One Spark job."""
    both = new.select("id", sf.col(column).alias("a")).join(
        old.select("id", sf.col(column).alias("b")).hint("shuffle_hash"), "id", "full"
    ).select(sf.coalesce("a", sf.lit(0.0)).alias("a"), sf.coalesce("b", sf.lit(0.0)).alias("b"))
    sums = both.agg(sf.sum("a").alias("sa"), sf.sum("b").alias("sb"))
    a, b = sf.col("a"), sf.col("b")
    if normalise:
        a, b = a / sf.col("sa"), b / sf.col("sb")
    row = both.crossJoin(sums).agg(sf.sum(sf.abs(a - b)), sf.first("sa"), sf.first("sb")).first()
    assert row is not None  # a global aggregate has one row
    return float(row[0] or 0.0), float(row[1] or 0.0), float(row[2] or 0.0)
