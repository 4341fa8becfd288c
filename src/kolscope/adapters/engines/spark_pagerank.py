r"""PageRank and personalised PageRank for the spark engine, with core's fixed point.

Core iterates :math:`x' = \alpha P^\top x + (\alpha \sum_D x + 1 - \alpha) p` (:math:`P` the
graph with rows divided by their out-weight, zero rows at the dangling nodes D). The bracket is
one number, so the fixed point is a multiple of the solution of the linear system
:math:`y = \alpha P^\top y + (1 - \alpha) p`, and :math:`x = y / \sum y` exactly. Spark iterates
that system: dangling mass simply leaves, where summing it would be a global aggregate, and so a
Spark job, in every step. The error shrinks by at least :math:`\alpha` a step, as in core, and is
tested the same way: the L1 change of one step, on iterates scaled to sum 1, below ``n * tol``.

Each step is a Spark stage, whatever the graph's size, so on small graphs the time goes in
stages. There the engine also builds :math:`M^s` (:math:`M = \alpha P^\top`, s = 2, 4 … 16)
while it stays small, and takes s steps in one stage:
:math:`y_{k+s} = M^s y_k + \sum_{j<s} M^j (1 - \alpha) p`, the same iterate as s single steps.
The step before a check is always a single one.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from pyspark.sql import DataFrame
from pyspark.sql import functions as sf

from kolscope.adapters.engines.spark_runtime import (
    MAX_GAP,
    Iterates,
    SparkGraph,
    frame_of,
    gather,
    iterate,
    l1_change,
    predicted_gap,
)

FloatArray = npt.NDArray[np.float64]
#: Longest jump, in iterations.
MAX_JUMP = 16
#: Most entries a power of the graph may have (bounded before it is built by the paths of two
#: steps through the one before): jumps are for graphs where a stage costs more than its rows.
JUMP_BUDGET = 200_000
#: Advances longer than this build the powers (once per graph): a quickly converging PageRank
#: never needs them.
LONG_ADVANCE = 8


class Power(NamedTuple):
    """:math:`M^s` as (src, dst, p) rows, each to be multiplied by ``factor``."""

    steps: int
    matrix: DataFrame
    factor: float


def pagerank(g: SparkGraph, teleport: FloatArray | None, *, alpha: float, tol: float,
             max_iter: int) -> FloatArray:
    """PageRank of ``g`` teleporting by ``teleport`` (normalised; None for uniform)."""
    powers = [Power(1, g.view("transitions", _transitions), alpha)]
    if teleport is None:
        jumps = g.node_ids().select("id", sf.lit((1.0 - alpha) / g.n).alias("v"))
    else:
        at = np.flatnonzero(teleport)
        ids = at.astype(np.int32 if g.id_type == "int" else np.int64)
        jumps = frame_of(g.spark, {"id": ids, "v": (1.0 - alpha) * teleport[at]})
    with Iterates() as iterates, Iterates() as offsets:
        added = {1: offsets.keep(jumps)}

        def move(y: DataFrame, power: Power) -> DataFrame:
            flow = _apply(power, y, "y").unionByName(added[power.steps])
            return iterates.keep(flow.groupBy("id").agg(sf.sum("v").alias("y")))

        def advance(y: DataFrame, count: int) -> tuple[DataFrame, DataFrame]:
            if count > LONG_ADVANCE and len(powers) == 1:  # jumps pay off here, if any fit
                powers[:] = _powers(g, alpha)
                added.update(_offsets(powers, added[1], offsets))
            rest = count - 1
            for power in reversed(powers):
                while rest >= power.steps:
                    y, rest = move(y, power), rest - power.steps
            return move(y, powers[0]), y

        def check(new: DataFrame, old: DataFrame) -> tuple[float, DataFrame]:
            return l1_change(new, old, "y", normalise=True)[0], new

        start = g.node_ids().select("id", sf.lit(1.0 / g.n).alias("y"))
        gap = predicted_gap(2, 4, 4 * MAX_JUMP if g.m <= JUMP_BUDGET else MAX_GAP)
        final = iterate(start, advance, check, target=g.n * tol, max_iter=max_iter, gap=gap,
                        method="pagerank", iterates=iterates)
        y = gather(final, "y", g.n, np.float64)
    return np.asarray(y / float(y.sum()), dtype=np.float64)


def _apply(power: Power, vector: DataFrame, column: str) -> DataFrame:
    """(id, v) rows of :math:`M^s` times ``vector``, before they are summed per id."""
    flow = power.matrix.join(
        vector.select(sf.col("id").alias("src"), column).hint("shuffle_hash"), "src")
    return flow.select(sf.col("dst").alias("id"),
                       (sf.col("p") * sf.col(column) * power.factor).alias("v"))


def _offsets(powers: list[Power], jumps: DataFrame, offsets: Iterates) -> dict[int, DataFrame]:
    r"""What each jump adds besides :math:`M^s y`: :math:`c_s = \sum_{j<s} M^j b` with
    :math:`b` the teleport rows, by doubling, :math:`c_{2s} = c_s + M^s c_s`."""
    added = {1: jumps}
    for power in powers[:-1]:
        c = added[power.steps]
        doubled = _apply(power, c, "v").unionByName(c).groupBy("id").agg(sf.sum("v").alias("v"))
        added[2 * power.steps] = offsets.keep(doubled)
    return added


def _powers(g: SparkGraph, alpha: float) -> list[Power]:
    """[M, M², M⁴ …]: the powers within budget, built once per graph and kept with it."""
    key = ("pagerank powers", alpha)
    if key not in g.memo:
        powers = [Power(1, g.view("transitions", _transitions), alpha)]
        small = g.n * g.n <= JUMP_BUDGET  # then no power can outgrow the budget
        while (powers[-1].steps < MAX_JUMP and g.m <= JUMP_BUDGET
               and (small or _two_step_paths(powers[-1].matrix) <= JUMP_BUDGET)):
            last = powers[-1]
            name = f"pagerank power {2 * last.steps} at {alpha}"
            powers.append(Power(2 * last.steps, g.view(name, partial(_square, power=last)), 1.0))
        g.memo[key] = powers
    return list(g.memo[key])


def _transitions(g: SparkGraph) -> DataFrame:
    """(src, dst, p): edges with weights divided by their source's out-weight."""
    out = g.edges.groupBy("src").agg(sf.sum("w").alias("d"))
    return (g.edges.join(out, "src").select("src", "dst", (sf.col("w") / sf.col("d")).alias("p"))
            .repartition(g.partitions, "src"))


def _two_step_paths(matrix: DataFrame) -> int:
    """Paths of two entries through ``matrix``: an upper bound on the entries of its square."""
    ins = matrix.groupBy(sf.col("dst").alias("mid")).agg(sf.count("*").alias("i"))
    outs = matrix.groupBy(sf.col("src").alias("mid")).agg(sf.count("*").alias("o"))
    row = ins.join(outs, "mid").agg(sf.sum(sf.col("i") * sf.col("o"))).first()
    return int(row[0] or 0) if row is not None else 0


def _square(g: SparkGraph, power: Power) -> DataFrame:
    first = power.matrix.select("src", sf.col("dst").alias("mid"),
                                (sf.col("p") * power.factor).alias("p1"))
    second = power.matrix.select(sf.col("src").alias("mid"), "dst",
                                 (sf.col("p") * power.factor).alias("p2"))
    return (first.join(second, "mid").groupBy("src", "dst")
            .agg(sf.sum(sf.col("p1") * sf.col("p2")).alias("p"))
            .repartition(g.partitions, "src"))
