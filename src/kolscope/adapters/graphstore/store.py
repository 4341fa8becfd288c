"""Each workspace's interaction graph on disk, folded forward run by run.

``<root>/<workspace>/`` holds ``manifest.json`` (what the graph was built from: high-water marks,
rows, reference time, half-life, method version), ``edges-<id>.parquet`` (aggregated typed edges
sorted by source, target and kind) and ``csr-<digest>/`` (the last loaded CSR as .npy files).
A file lock serialises runs on one workspace; the manifest is replaced atomically, last, so a
crash leaves the previous graph in force. Method: ``docs/methods/authority.md``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Literal

import duckdb
import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ValidationError

from kolscope.adapters.graphstore import csr, edges
from kolscope.adapters.graphstore._duck import connect
from kolscope.app.ports import GraphManifest, InteractionBatch, SourceTally
from kolscope.core.discovery.graph import GRAPH_METHOD_VERSION, Graph, decay
from kolscope.errors import Conflict, InvalidInput, NotFound

MANIFEST = "manifest.json"
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


class _StoredManifest(BaseModel):
    """The manifest file: the port's manifest and the edges file it describes."""

    format: Literal[1] = 1
    manifest: GraphManifest
    edges_file: str


class DuckDbGraphStore:
    """Graphs kept under ``root``; DuckDB aggregates and sorts them within ``memory_limit``,
    spilling the rest to disk, and the CSR is written ``chunk_edges`` edges at a time."""

    def __init__(self, root: Path, *, memory_limit: str = "2GB", chunk_edges: int = 2_000_000,
                 threads: int | None = None) -> None:
        self.root = root
        self.memory_limit = memory_limit
        self.chunk_edges = chunk_edges
        self.threads = threads

    def manifest(self, key: str) -> GraphManifest | None:
        stored = self._read(self._folder(key))
        return stored.manifest if stored else None

    def update(self, key: str, batches: Iterable[InteractionBatch], *,
               base: GraphManifest | None, half_life_days: float,
               source: str) -> GraphManifest:
        folder = self._folder(key)
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            stored = self._read(folder)
            if base is not None:
                _check_base(base, stored.manifest if stored else None,
                            half_life_days=half_life_days, key=key)
            previous = stored if base is not None else None
            folded = edges.Folded(
                reference=base.reference_time if base else None,
                oldest=base.oldest_time if base else None,
                marks=base.marks if base else SourceTally(),
                rows=base.rows if base else SourceTally())
            out = f"edges-{uuid.uuid4().hex[:12]}.parquet"
            with self._duckdb(folder) as con, _scratch(folder, "stage") as stage:
                edges.stage(con, batches, stage, folded=folded, half_life_days=half_life_days)
                if previous is not None and not folded.anchors:
                    return previous.manifest  # nothing new: the stored graph stands
                typed = edges.merge(
                    con, base=folder / previous.edges_file if previous else None,
                    base_reference=base.reference_time if base else None, stage_folder=stage,
                    folded=folded, out=folder / out, half_life_days=half_life_days)
            manifest = GraphManifest(
                method_version=GRAPH_METHOD_VERSION, half_life_days=half_life_days,
                source=source, marks=folded.marks, rows=folded.rows,
                reference_time=folded.reference, oldest_time=folded.oldest, typed_edges=typed)
            _write_json(folder / MANIFEST,
                        _StoredManifest(manifest=manifest, edges_file=out).model_dump_json())
            _prune(folder, keep={out, MANIFEST})
        return manifest

    def load(self, key: str, *, extra_nodes: npt.NDArray[np.int64]) -> Graph:
        folder = self._folder(key)
        with _locked(folder):
            stored = self._read(folder)
            if stored is None:
                raise NotFound(f"no stored interaction graph for {key!r}: update it first",
                               workspace=key)
            extra = np.unique(np.asarray(extra_nodes, dtype=np.int64))
            digest = hashlib.sha256(stored.model_dump_json().encode() + extra.tobytes())
            target = folder / f"csr-{digest.hexdigest()[:16]}"
            graph = _open(target)
            if graph is None:
                shutil.rmtree(target, ignore_errors=True)
                self._write_csr(folder, stored, extra, target)
                graph = csr.open_csr(target)
            _prune(folder, keep={stored.edges_file, MANIFEST, target.name})
            return graph

    def _write_csr(self, folder: Path, stored: _StoredManifest,
                   extra: npt.NDArray[np.int64], target: Path) -> None:
        m = stored.manifest
        undated = 1.0 if m.reference_time is None or m.oldest_time is None else float(
            decay(m.oldest_time, m.reference_time, half_life_days=m.half_life_days))
        with self._duckdb(folder) as con, _scratch(folder, "csr") as partial:
            csr.write_csr(con, folder / stored.edges_file, partial, extra_nodes=extra,
                          undated_decay=undated, chunk_edges=self.chunk_edges)
            partial.rename(target)

    def _folder(self, key: str) -> Path:
        if not _KEY.match(key):
            raise InvalidInput("a graph key is letters, digits, '-' and '_'", field="workspace",
                               value=key)
        return self.root / key

    def _read(self, folder: Path) -> _StoredManifest | None:
        """The manifest, or None when missing, unreadable or naming a missing edges file: the
        graph is then rebuilt from scratch, which is always correct."""
        try:
            stored = _StoredManifest.model_validate_json((folder / MANIFEST).read_bytes())
        except (OSError, ValidationError):
            return None
        return stored if (folder / stored.edges_file).is_file() else None

    def _duckdb(self, folder: Path) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return connect(folder / f"spill-{uuid.uuid4().hex[:8]}", memory_limit=self.memory_limit,
                       threads=self.threads)


def _check_base(base: GraphManifest, stored: GraphManifest | None, *, half_life_days: float,
                key: str) -> None:
    """Refuse to fold into a graph other than the one the caller read its marks from (another
    run got there first) or one whose decays were taken with another half-life."""
    if stored != base:
        raise Conflict(f"the interaction graph of {key!r} changed during this run; run again",
                       workspace=key)
    if base.half_life_days != half_life_days or base.method_version != GRAPH_METHOD_VERSION:
        raise InvalidInput("a graph built with another half-life or method cannot be updated; "
                           "rebuild it", field="half_life_days", workspace=key)


def _open(folder: Path) -> Graph | None:
    """The CSR cached in ``folder``; None when it is not there or cannot be read."""
    try:
        return csr.open_csr(folder)
    except (OSError, ValueError):
        return None


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _scratch(folder: Path, name: str) -> Iterator[Path]:
    path = folder / f"{name}-{uuid.uuid4().hex[:8]}.tmp"
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _write_json(path: Path, text: str) -> None:
    partial = path.with_suffix(".tmp")
    with open(partial, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _prune(folder: Path, *, keep: set[str]) -> None:
    """Remove what earlier runs left: superseded edges and CSR files, scratch of crashed runs.
    Maps of removed files stay valid for whoever still holds them."""
    for path in folder.iterdir():
        if path.name in keep or path.name == ".lock":
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
