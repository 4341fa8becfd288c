"""The in-process engine: numpy and scipy sparse matrices, for graphs that fit in memory."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kolscope.adapters.engines import kernels
from kolscope.core.discovery.authority import hits, k_core
from kolscope.core.discovery.graph import Degrees, Graph, degrees

# HITS converges at the ratio of the top two singular values, which sparse social graphs keep
# close to 1: it needs hundreds of iterations where PageRank needs twenty. A tolerance of 1e-8
# (in L1, on scores that sum to 1) is far below any difference a percentile can show.
HITS_TOL = 1e-8
HITS_MAX_ITER = 5_000


class LocalEngine:
    name = "local"

    def pagerank(self, graph: Graph, *,
                 personalization: npt.NDArray[np.float64] | None = None
                 ) -> npt.NDArray[np.float64]:
        # Core's pagerank (the reference), compiled, its layout built once per graph:
        # docs/methods/authority.md has the kernel and its measurements.
        return kernels.pagerank(kernels.prepared(graph.adjacency),
                                personalization=personalization)

    def hits(self, graph: Graph) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        return hits(graph.adjacency, tol=HITS_TOL, max_iter=HITS_MAX_ITER)

    def k_core(self, graph: Graph) -> npt.NDArray[np.int64]:
        return k_core(graph.adjacency)

    def degrees(self, graph: Graph) -> Degrees:
        return degrees(graph.adjacency)
