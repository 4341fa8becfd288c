"""Folding interactions into a sorted Parquet file of aggregated typed edges.

One row per (source, target, kind): ``decayed``, the sum of the decays of its dated interactions
at the reference time (the newest dated interaction), and ``undated``, the count of its undated
ones. A later reference T' multiplies every ``decayed`` by ``decay(T, T')``, which is exact
because decay is exponential; undated interactions only need their count, since the time they
count as (the oldest dated interaction) is applied when the graph is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np

from kolscope.adapters.graphstore._duck import path_literal
from kolscope.app.ports import InteractionBatch, SourceTally
from kolscope.core.discovery.graph import decay

COLUMNS = "source, target, kind, decayed, undated"
EMPTY = ("SELECT NULL::BIGINT AS source, NULL::BIGINT AS target, NULL::TINYINT AS kind, "
         "NULL::DOUBLE AS decayed, NULL::BIGINT AS undated WHERE false")


@dataclass
class Folded:
    """What a fold read: the time bounds of its dated interactions, rows per table and marks."""

    reference: float | None
    oldest: float | None
    marks: SourceTally
    rows: SourceTally = field(default_factory=SourceTally)
    anchors: list[float | None] = field(default_factory=list)  # reference of each staged part

    def add(self, batch: InteractionBatch) -> None:
        times = batch.interactions.times
        if not np.isnan(times).all():
            newest, oldest = float(np.nanmax(times)), float(np.nanmin(times))
            self.reference = newest if self.reference is None else max(self.reference, newest)
            self.oldest = oldest if self.oldest is None else min(self.oldest, oldest)
        self.marks = batch.marks
        self.rows = SourceTally.model_validate(
            {k: v + getattr(batch.rows, k) for k, v in self.rows.model_dump().items()})
        self.anchors.append(self.reference)


def stage(con: duckdb.DuckDBPyConnection, batches: Iterable[InteractionBatch], folder: Path, *,
          folded: Folded, half_life_days: float) -> None:
    """Write each batch's edges to a Parquet part, decayed to the reference time known so far.

    Self-loops are dropped here, after their times moved the reference, as ``edge_weights``
    and ``build_graph`` do. Each part's reference is kept in ``folded.anchors``, so the merge
    moves it to the final reference; every decay stays at most 1 (no overflow).
    """
    for part, batch in enumerate(batches):
        folded.add(batch)
        it = batch.interactions
        dated = ~np.isnan(it.times)
        decayed = np.zeros(len(it.times))
        if folded.reference is not None and dated.any():
            decayed[dated] = decay(it.times[dated], folded.reference,
                                   half_life_days=half_life_days)
        keep = it.sources != it.targets
        con.register("batch", {
            "source": it.sources[keep], "target": it.targets[keep], "kind": it.kinds[keep],
            "decayed": decayed[keep], "undated": (~dated[keep]).astype(np.int64),
            "part": np.full(int(keep.sum()), part, dtype=np.int32)})
        con.execute(f"COPY (SELECT * FROM batch) TO "
                    f"{path_literal(folder / f'part-{part:06d}.parquet')} (FORMAT parquet)")
        con.unregister("batch")


def merge(con: duckdb.DuckDBPyConnection, *, base: Path | None, base_reference: float | None,
          stage_folder: Path, folded: Folded, out: Path, half_life_days: float) -> int:
    """Sum the stored edges and the staged parts, all moved to ``folded.reference``, into
    ``out`` sorted by (source, target, kind); returns its rows.

    Aggregating and sorting are separate statements: each spills on its own, which keeps the
    peak memory of a build under a small limit.
    """
    parts, factors = [], []
    if base is not None:
        parts.append(f"SELECT {COLUMNS}, -1 AS part FROM read_parquet({path_literal(base)})")
        factors.append(_factor(base_reference, folded.reference, half_life_days))
    if folded.anchors:
        parts.append(f"SELECT {COLUMNS}, part FROM "
                     f"read_parquet({path_literal(stage_folder / 'part-*.parquet')})")
        factors += [_factor(a, folded.reference, half_life_days) for a in folded.anchors]
    if not parts:
        con.execute(f"COPY ({EMPTY}) TO {path_literal(out)} (FORMAT parquet)")
        return 0
    con.register("factors", {
        "part": np.arange(-1 if base is not None else 0, len(folded.anchors), dtype=np.int32),
        "factor": np.array(factors, dtype=np.float64)})
    unsorted = stage_folder / "aggregated.parquet"
    con.execute(f"""COPY (
        SELECT e.source, e.target, e.kind, sum(e.decayed * f.factor) AS decayed,
               sum(e.undated)::BIGINT AS undated
        FROM ({' UNION ALL '.join(parts)}) e JOIN factors f USING (part)
        GROUP BY e.source, e.target, e.kind) TO {path_literal(unsorted)} (FORMAT parquet)""")
    con.unregister("factors")
    con.execute(f"COPY (SELECT {COLUMNS} FROM read_parquet({path_literal(unsorted)}) "
                f"ORDER BY source, target, kind) TO {path_literal(out)} (FORMAT parquet)")
    unsorted.unlink()
    row = con.execute(f"SELECT count(*) FROM read_parquet({path_literal(out)})").fetchone()
    return int(row[0]) if row else 0


def _factor(anchor: float | None, reference: float | None, half_life_days: float) -> float:
    """What moves decays taken at ``anchor`` to ``reference`` (1 where nothing was dated, as
    then every decayed sum is 0)."""
    if anchor is None or reference is None:
        return 1.0
    return float(decay(anchor, reference, half_life_days=half_life_days))
