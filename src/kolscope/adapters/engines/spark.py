"""The spark engine: core's graph algorithms as Spark DataFrame operations (PySpark, local mode by
default), for graphs that outgrow one process or live beside a Spark cluster.

It keeps the local engine's contract (the same tests run on both): PageRank reaches core's fixed
point (:mod:`~kolscope.adapters.engines.spark_pagerank` says how), HITS is core's normalised
power iteration with the local engine's tolerance, k-cores come from the h-index iteration of
Montresor et al., and degrees count and sum edges. Each iteration is a DataFrame step over edges
cached in Spark, kept as a lazy local checkpoint so that plans stay one step long; convergence
checks are Spark jobs, spaced by the rate the error falls at
(:func:`~kolscope.adapters.engines.spark_runtime.iterate`). Method:
``docs/methods/authority.md`` (Engines).
"""

from __future__ import annotations

import weakref

import numpy as np
import numpy.typing as npt
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as sf

from kolscope.adapters.engines import spark_pagerank
from kolscope.adapters.engines.local import HITS_MAX_ITER, HITS_TOL
from kolscope.adapters.engines.spark_runtime import (
    DEFAULT_DRIVER_MEMORY,
    DEFAULT_MASTER,
    Iterates,
    SparkGraph,
    gather,
    iterate,
    l1_change,
    load_graph,
    predicted_gap,
    spark_session,
    stepwise,
)
from kolscope.core.discovery.authority import (
    DEFAULT_ALPHA,
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    teleport_distribution,
)
from kolscope.core.discovery.graph import Degrees, Graph
from kolscope.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]


class SparkEngine:
    """Graph algorithms in Spark; the graph last given stays cached there for the next call."""

    name = "spark"

    def __init__(self, *, master: str = DEFAULT_MASTER,
                 driver_memory: str = DEFAULT_DRIVER_MEMORY, max_iter: int = DEFAULT_MAX_ITER,
                 hits_max_iter: int = HITS_MAX_ITER) -> None:
        if max_iter < 1 or hits_max_iter < 1:
            raise InvalidInput("iteration limits must be at least 1", field="max_iter")
        self.master = master
        self.driver_memory = driver_memory
        self.max_iter = max_iter
        self.hits_max_iter = hits_max_iter
        self._loaded: tuple[weakref.ref[Graph], SparkGraph] | None = None

    def pagerank(self, graph: Graph, *,
                 personalization: npt.NDArray[np.float64] | None = None) -> FloatArray:
        n = graph.adjacency.shape[0]
        # core's checks and normalisation of the teleport vector; None stays uniform
        teleport = None if personalization is None else teleport_distribution(personalization, n)
        if n == 0:
            return np.zeros(0)
        return spark_pagerank.pagerank(self._load(graph), teleport, alpha=DEFAULT_ALPHA,
                                       tol=DEFAULT_TOL, max_iter=self.max_iter)

    def hits(self, graph: Graph) -> tuple[FloatArray, FloatArray]:
        n = graph.adjacency.shape[0]
        g = self._load(graph) if n else None
        if g is None or g.m == 0:  # as core: uniform scores without edges
            uniform = np.full(n, 1.0 / n) if n else np.zeros(0)
            return uniform, uniform.copy()
        return _hits(g, tol=HITS_TOL, max_iter=self.hits_max_iter)

    def k_core(self, graph: Graph) -> npt.NDArray[np.int64]:
        n = graph.adjacency.shape[0]
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        return _k_core(self._load(graph))

    def degrees(self, graph: Graph) -> Degrees:
        n = graph.adjacency.shape[0]
        if n == 0:
            empty = np.zeros(0, dtype=np.int64)
            return Degrees(in_degree=empty, out_degree=empty.copy(),
                           in_strength=np.zeros(0), out_strength=np.zeros(0))
        return _degrees(self._load(graph))

    def close(self) -> None:
        """Uncache the loaded graph; the session stays for the next engine."""
        if self._loaded is not None:
            self._loaded[1].release()
            self._loaded = None

    def _load(self, graph: Graph) -> SparkGraph:
        """The graph in Spark: moved there on its first call, reused while it is the same object
        (the app asks for PageRank once per niche on one graph)."""
        if self._loaded is None or self._loaded[0]() is not graph:
            self.close()
            spark = spark_session(master=self.master, driver_memory=self.driver_memory)
            self._loaded = (weakref.ref(graph), load_graph(spark, graph.adjacency))
        self._loaded[1].use()
        return self._loaded[1]


# --- HITS ------------------------------------------------------------------------------------

def _hits(g: SparkGraph, *, tol: float, max_iter: int) -> tuple[FloatArray, FloatArray]:
    r"""Core's :math:`a \leftarrow A^\top A a / \lVert A^\top A a \rVert_1` from the uniform
    vector, tested on the normalised iterates as core does. Normalising is a global sum, so steps
    between checks multiply by a constant instead (the growth per step seen at the last check),
    which keeps the iterates near sum 1 without a job per step; the direction is the same."""
    by_dst = g.view("by_dst", lambda g: g.edges.repartition(g.partitions, "dst"))
    scale = [1.0]

    def hubs(a: DataFrame) -> DataFrame:
        joined = by_dst.join(a.select(sf.col("id").alias("dst"), "a").hint("shuffle_hash"), "dst")
        return (joined.groupBy(sf.col("src").alias("id"))
                .agg(sf.sum(sf.col("w") * sf.col("a")).alias("h")))

    def step(a: DataFrame) -> DataFrame:
        h = hubs(a).select(sf.col("id").alias("src"), "h")
        return (g.edges.join(h.hint("shuffle_hash"), "src").groupBy(sf.col("dst").alias("id"))
                .agg((sf.sum(sf.col("w") * sf.col("h")) * scale[0]).alias("a")))

    def check(new: DataFrame, old: DataFrame) -> tuple[float, DataFrame]:
        error, total, before = l1_change(new, old, "a", normalise=True)
        scale[0] *= before / total
        return error, new.select("id", (sf.col("a") / total).alias("a"))

    with Iterates() as iterates:
        start = g.node_ids().select("id", sf.lit(1.0 / g.n).alias("a"))
        final = iterate(start, stepwise(step, iterates), check, target=tol, max_iter=max_iter,
                        gap=predicted_gap(1, 5), method="hits", iterates=iterates)
        authorities = gather(final, "a", g.n, np.float64)
        hub_scores = gather(hubs(final), "h", g.n, np.float64)
    return hub_scores / float(hub_scores.sum()), authorities / float(authorities.sum())


# --- k-core ----------------------------------------------------------------------------------

def _undirected(g: SparkGraph) -> DataFrame:
    """(u, v) for each pair linked either way, both ways round, without loops or repeats."""
    e = g.edges.where(sf.col("src") != sf.col("dst"))
    return (e.select(sf.col("src").alias("u"), sf.col("dst").alias("v"))
            .unionByName(e.select(sf.col("dst").alias("u"), sf.col("src").alias("v")))
            .distinct().repartition(g.partitions, "v"))


def _k_core(g: SparkGraph) -> npt.NDArray[np.int64]:
    """Montresor et al.'s iteration: start from degrees; each node takes the h-index of its
    neighbours' values (the largest h with h neighbours at h or more) when lower. The values
    only fall, never below the core numbers, and stop exactly on them."""
    links = g.view("undirected", _undirected)
    by_value = Window.partitionBy("u").orderBy(sf.desc("val"))

    def step(estimate: DataFrame) -> DataFrame:
        values = estimate.select(sf.col("id").alias("v"), sf.col("k").alias("val"))
        ranked = links.join(values.hint("shuffle_hash"), "v").withColumn(
            "r", sf.row_number().over(by_value))
        h_index = ranked.groupBy(sf.col("u").alias("id")).agg(
            sf.max(sf.least("r", "val")).alias("h"))
        return (estimate.select("id", "k").join(h_index, "id")
                .select("id", sf.least("k", "h").alias("k"), sf.col("k").alias("old")))

    def check(new: DataFrame, old: DataFrame) -> tuple[float, DataFrame]:
        return float(new.where(sf.col("k") != sf.col("old")).count()), new

    with Iterates() as iterates:
        start = links.groupBy(sf.col("u").alias("id")).agg(sf.count("*").cast("int").alias("k"))
        # each step but the last lowers a value, and the values start at degrees summing to 2m
        final = iterate(start, stepwise(step, iterates), check, target=1.0,
                        max_iter=2 * g.m + 2, gap=lambda history, target: 1, method="k_core",
                        iterates=iterates)
        return gather(final, "k", g.n, np.int64)


# --- degrees ---------------------------------------------------------------------------------

def _degrees(g: SparkGraph) -> Degrees:
    """Edges and weights summed at each end, in one job."""
    ends = (g.edges.select(sf.col("src").alias("id"), sf.lit(True).alias("out"), "w")
            .unionByName(g.edges.select(sf.col("dst").alias("id"), sf.lit(False).alias("out"),
                                        "w")))
    table = (ends.groupBy("id", "out")
             .agg(sf.count("*").alias("edges"), sf.sum("w").alias("weight")).toArrow())
    ids = table.column("id").to_numpy()
    side = table.column("out").to_numpy(zero_copy_only=False).astype(np.int64)  # 1 for out
    counts = np.zeros((2, g.n), dtype=np.int64)
    sums = np.zeros((2, g.n))
    counts[side, ids] = table.column("edges").to_numpy()
    sums[side, ids] = table.column("weight").to_numpy()
    return Degrees(in_degree=counts[0], out_degree=counts[1], in_strength=sums[0],
                   out_strength=sums[1])
