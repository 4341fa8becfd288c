"""Search indexes kept in memory and in ``.npz`` files, by workspace and data version.

A process keeps the newest index of each workspace it searched in memory; the file lets the next
process (a CLI command, a restarted server) start from it instead of rebuilding. Files are written
to a temporary name and renamed, so a reader never sees half an index.
"""

from __future__ import annotations

import json
import os
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from kolscope.core.discovery.search import (
    CATEGORIES,
    NUMBERS,
    SEARCH_METHOD_VERSION,
    Facets,
    SearchIndex,
)
from kolscope.core.discovery.text_index import TextIndex


class FileIndexStore:
    """Indexes under ``directory/<workspace>/``, one file per workspace (the newest)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._memory: dict[str, SearchIndex] = {}
        self._lock = threading.Lock()

    def _path(self, workspace: str) -> Path:
        return self.directory / workspace / "index.npz"

    def get(self, workspace: str, version: int) -> SearchIndex | None:
        with self._lock:
            cached = self._memory.get(workspace)
        if cached is not None and cached.version == version:
            return cached
        index = _load(self._path(workspace))
        if index is None or index.version != version:
            return None
        with self._lock:
            self._memory[workspace] = index
        return index

    def put(self, workspace: str, version: int, index: SearchIndex) -> None:
        if index.version != version:
            raise ValueError("the index was built from another data version")
        with self._lock:
            self._memory[workspace] = index
        path = self._path(workspace)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".index-{os.getpid()}-{threading.get_ident()}.npz")
        arrays: dict[str, Any] = _arrays(index)
        with temporary.open("wb") as out:
            np.savez(out, **arrays)
        temporary.replace(path)


def _csr_parts(prefix: str, matrix: Any) -> dict[str, np.ndarray[Any, Any]]:
    return {f"{prefix}_data": matrix.data, f"{prefix}_indices": matrix.indices,
            f"{prefix}_indptr": matrix.indptr, f"{prefix}_shape": np.array(matrix.shape)}


def _arrays(index: SearchIndex) -> dict[str, np.ndarray[Any, Any]]:
    f, t = index.facets, index.text
    meta = {"method": SEARCH_METHOD_VERSION, "version": index.version,
            "labels": f.labels, "terms": t.terms, "flag_labels": f.flag_labels}
    return {
        "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8),
        "ids": f.ids, "engagement_percentile": f.engagement_percentile,
        "flag_bits": f.flag_bits,
        **{f"code_{k}": v for k, v in f.codes.items()},
        **{f"number_{k}": v for k, v in f.numbers.items()},
        "idf": t.idf, "term_vectors": t.term_vectors, "doc_vectors": t.doc_vectors,
        **_csr_parts("postings", t.postings), **_csr_parts("counts", t.counts),
    }


def _load(path: Path) -> SearchIndex | None:
    """The index in ``path``; ``None`` when missing, of another method version or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode())
            if meta.get("method") != SEARCH_METHOD_VERSION:
                return None

            def matrix(prefix: str, kind: Any) -> Any:
                return kind((z[f"{prefix}_data"], z[f"{prefix}_indices"], z[f"{prefix}_indptr"]),
                            shape=tuple(z[f"{prefix}_shape"]))

            terms: list[str] = meta["terms"]
            facets = Facets(ids=z["ids"], codes={k: z[f"code_{k}"] for k in CATEGORIES},
                            labels=meta["labels"],
                            numbers={k: z[f"number_{k}"] for k in NUMBERS},
                            engagement_percentile=z["engagement_percentile"],
                            flag_labels=meta["flag_labels"], flag_bits=z["flag_bits"])
            text = TextIndex(terms=terms, vocabulary={t: i for i, t in enumerate(terms)},
                             idf=z["idf"], postings=matrix("postings", sparse.csc_matrix),
                             counts=matrix("counts", sparse.csr_matrix),
                             term_vectors=z["term_vectors"], doc_vectors=z["doc_vectors"])
            return SearchIndex(facets=facets, text=text, version=int(meta["version"]))
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile):
        return None
