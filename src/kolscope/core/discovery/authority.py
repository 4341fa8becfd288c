"""Authority of accounts from the interaction graph: PageRank, HITS, k-core and percentiles.

Graphs are square scipy CSR matrices where ``A[i, j] > 0`` is an edge **i → j**, "i endorses j"
(i commented on, mentioned, tagged or reposted j), weighted. One versioned method
(``docs/methods/authority.md``): the app builds the graph, calls these functions and stores the
results with :data:`AUTHORITY_METHOD_VERSION`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.stats import rankdata

from kolscope.errors import ConvergenceError, InvalidInput

AUTHORITY_METHOD_VERSION = "authority-1"
DEFAULT_ALPHA = 0.85
DEFAULT_TOL = 1e-10
DEFAULT_MAX_ITER = 200

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: A ``scipy.sparse.csr_matrix`` or ``csr_array`` (scipy ships no type stubs).
Adjacency = Any


def checked_adjacency(adjacency: Adjacency) -> Any:
    """The graph in CSR form and its own dtype, checked as every engine checks it: a sparse,
    square matrix of finite, non-negative weights.

    Raises
    ------
    InvalidInput
        Anything else.
    """
    if not sp.issparse(adjacency) or adjacency.ndim != 2:
        raise InvalidInput("adjacency must be a 2-D scipy sparse matrix", field="adjacency")
    rows, cols = adjacency.shape
    if rows != cols:
        raise InvalidInput(f"adjacency must be square, got {rows}×{cols}", field="adjacency",
                           shape=(rows, cols))
    a = adjacency if adjacency.format == "csr" else adjacency.tocsr()
    if a.data.size and not np.isfinite(a.data).all():
        raise InvalidInput("edge weights must be finite", field="adjacency")
    if a.data.size and a.data.min() < 0:
        raise InvalidInput("edge weights must be non-negative", field="adjacency")
    return a


def _csr(adjacency: Adjacency) -> Any:
    """The graph as a float64 CSR array, checked."""
    return sp.csr_array(checked_adjacency(adjacency), dtype=np.float64)


def teleport_distribution(personalization: npt.ArrayLike | None, n: int) -> FloatArray:
    """The teleport distribution: ``personalization`` normalised to sum 1, or uniform.

    Every engine reads a personalisation vector through this, so all refuse the same inputs.

    Raises
    ------
    InvalidInput
        A vector of another length, with a negative or non-finite entry, or all zero.
    """
    if personalization is None:
        return np.full(n, 1.0 / n)
    p = np.asarray(personalization, dtype=np.float64)
    if p.shape != (n,):
        raise InvalidInput(f"personalization must have length {n}, got shape {p.shape}",
                           field="personalization")
    if not np.isfinite(p).all() or (p < 0).any():
        raise InvalidInput("personalization must be finite and non-negative",
                           field="personalization")
    total = float(p.sum())
    if total == 0:
        raise InvalidInput("personalization must not be all zero", field="personalization")
    return p / total


def pagerank(adjacency: Adjacency, *, alpha: float = DEFAULT_ALPHA,
             personalization: npt.ArrayLike | None = None, tol: float = DEFAULT_TOL,
             max_iter: int = DEFAULT_MAX_ITER) -> FloatArray:
    r"""Weighted (optionally topic-sensitive) PageRank by power iteration.

    Parameters
    ----------
    adjacency
        Square CSR matrix (``csr_matrix`` or ``csr_array``); ``A[i, j] > 0`` is an edge i → j
        of that weight. Weights must be finite and non-negative.
    alpha
        Damping factor in (0, 1): the chance of following an edge rather than teleporting.
    personalization
        Non-negative teleport weights of length n, normalised inside; ``None`` is uniform.
        Giving a niche's creators makes the topic-sensitive PageRank of that niche.
    tol
        Convergence when the L1 change of one iteration is below ``n * tol``.
    max_iter
        Most iterations before :class:`~kolscope.errors.ConvergenceError`.

    Returns
    -------
    numpy.ndarray
        One float64 score per node, summing to 1 (empty for an empty graph).

    Raises
    ------
    InvalidInput
        A non-square or negative matrix, ``alpha`` outside (0, 1), a bad personalization.
    ConvergenceError
        Not converged in ``max_iter`` iterations; ``iterations`` and ``error`` say how far.

    Examples
    --------
    A cycle 0 → 1 → 2 → 0 is uniform; in a star where 1 and 2 point to 0, node 0 leads:

    >>> import scipy.sparse as sp
    >>> cycle = sp.csr_array(([1.0, 1.0, 1.0], ([0, 1, 2], [1, 2, 0])), shape=(3, 3))
    >>> pagerank(cycle).round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    >>> star = sp.csr_array(([1.0, 1.0], ([1, 2], [0, 0])), shape=(3, 3))
    >>> pagerank(star).round(4).tolist()
    [0.5745, 0.2128, 0.2128]

    Notes
    -----
    With out-weights :math:`d_i = \sum_j A_{ij}`, teleport vector :math:`p` and dangling set
    :math:`D = \{i : d_i = 0\}`, each iteration is

    .. math:: x' = \alpha A^\top (x / d) + \Big(\alpha \sum_{i \in D} x_i + 1 - \alpha\Big) p

    starting from the uniform vector: dangling nodes hand their mass out like a teleport. The
    rows are normalised by scaling ``x`` before the product, so no second matrix is built.
    In the star above, 1 and 2 get only teleport and dangling mass,
    :math:`c = (\alpha x_0 + 1 - \alpha)/3`, and :math:`x_0 = 2\alpha c + c`; as
    :math:`x_0 + 2c = 1`, :math:`c = 1/(3 + 2\alpha)` and :math:`x_0 = (1 + 2\alpha)/(3 + 2\alpha)`
    = 2.7 / 4.7 ≈ 0.5745 at :math:`\alpha = 0.85`.

    References
    ----------
    .. [1] L. Page, S. Brin, R. Motwani and T. Winograd, "The PageRank Citation Ranking:
       Bringing Order to the Web", Stanford InfoLab, 1999.
    .. [2] T. H. Haveliwala, "Topic-sensitive PageRank", WWW 2002.
    .. [3] J. Weng, E.-P. Lim, J. Jiang and Q. He, "TwitterRank: Finding Topic-sensitive
       Influential Twitterers", WSDM 2010.
    """
    if not 0 < alpha < 1:
        raise InvalidInput(f"alpha must lie in (0, 1), got {alpha}", field="alpha")
    _check_iteration(tol, max_iter)
    a = _csr(adjacency)
    n = a.shape[0]
    if n == 0:
        return np.zeros(0)
    p = teleport_distribution(personalization, n)
    out = np.asarray(a.sum(axis=1), dtype=np.float64).ravel()
    dangling = out == 0
    inv_out = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    a_t = a.T  # a CSC view of the same arrays: no copy
    x = np.full(n, 1.0 / n)
    err = float("inf")
    for _ in range(max_iter):
        new: FloatArray = alpha * (a_t @ (x * inv_out))
        new += (alpha * float(x[dangling].sum()) + 1.0 - alpha) * p
        err = float(np.abs(new - x).sum())
        x = new
        if err < n * tol:
            return x / float(x.sum())
    raise ConvergenceError(f"PageRank did not converge in {max_iter} iterations",
                           method="pagerank", iterations=max_iter, error=err)


def _check_iteration(tol: float, max_iter: int) -> None:
    if not tol > 0:
        raise InvalidInput(f"tol must be positive, got {tol}", field="tol")
    if max_iter < 1:
        raise InvalidInput(f"max_iter must be at least 1, got {max_iter}", field="max_iter")


def hits(adjacency: Adjacency, *, tol: float = DEFAULT_TOL,
         max_iter: int = DEFAULT_MAX_ITER) -> tuple[FloatArray, FloatArray]:
    r"""Hub and authority scores (Kleinberg's HITS) by power iteration.

    Parameters
    ----------
    adjacency
        Square CSR matrix; ``A[i, j] > 0`` is a weighted edge i → j.
    tol
        Convergence when the L1 change of the authority vector (summing to 1) is below ``tol``.
    max_iter
        Most iterations before :class:`~kolscope.errors.ConvergenceError`.

    Returns
    -------
    tuple of numpy.ndarray
        ``(hubs, authorities)``, each summing to 1; uniform for a graph without edges.

    Raises
    ------
    InvalidInput
        A non-square or negative matrix.
    ConvergenceError
        Not converged in ``max_iter`` iterations.

    Examples
    --------
    1 and 2 both point to 0: they are the hubs, 0 is the authority.

    >>> import scipy.sparse as sp
    >>> star = sp.csr_array(([1.0, 1.0], ([1, 2], [0, 0])), shape=(3, 3))
    >>> hubs, authorities = hits(star)
    >>> hubs.tolist(), authorities.tolist()
    ([0.0, 0.5, 0.5], [1.0, 0.0, 0.0])

    Notes
    -----
    Authorities are endorsed by good hubs and hubs endorse good authorities:
    :math:`a \propto A^\top h`, :math:`h \propto A a`. Iterating
    :math:`a \leftarrow A^\top A a / \lVert A^\top A a \rVert_1` from the uniform vector gives
    the principal right singular vector of :math:`A`; then :math:`h = A a`, normalised. When
    the top singular value is repeated (e.g. identical disconnected parts), the result is the
    one reached from the uniform start.

    References
    ----------
    .. [1] J. M. Kleinberg, "Authoritative sources in a hyperlinked environment",
       Journal of the ACM 46(5), 1999, 604–632.
    """
    _check_iteration(tol, max_iter)
    a = _csr(adjacency)
    n = a.shape[0]
    if a.count_nonzero() == 0:
        uniform = np.full(n, 1.0 / n) if n else np.zeros(0)
        return uniform, uniform.copy()
    a_t = a.T
    auth = np.full(n, 1.0 / n)
    err = float("inf")
    for _ in range(max_iter):
        new: FloatArray = a_t @ (a @ auth)
        new /= new.sum()
        err = float(np.abs(new - auth).sum())
        auth = new
        if err < tol:
            hubs: FloatArray = a @ auth
            return hubs / float(hubs.sum()), auth
    raise ConvergenceError(f"HITS did not converge in {max_iter} iterations",
                           method="hits", iterations=max_iter, error=err)


def _undirected_neighbours(adjacency: Adjacency) -> tuple[IntArray, IntArray]:
    """CSR ``(indptr, indices)`` of the simple undirected graph: no weights, loops or repeats."""
    a = _csr(adjacency).tocoo()
    n = a.shape[0]
    keep = (a.data > 0) & (a.row != a.col)
    row = a.row[keep].astype(np.int64)
    col = a.col[keep].astype(np.int64)
    keys = np.sort(np.concatenate([row * n + col, col * n + row]))  # by row, then column
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    keys = keys[first]
    src, dst = np.divmod(keys, n) if n else (keys, keys)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst


def k_core(adjacency: Adjacency) -> IntArray:
    """Core number of each node on the undirected, unweighted view of the graph.

    The core number of a node is the largest k such that the node belongs to a subgraph in which
    every node has at least k neighbours. Directions and weights are ignored, as are self-loops.

    Parameters
    ----------
    adjacency
        Square CSR matrix; any entry > 0 in ``A[i, j]`` or ``A[j, i]`` links i and j.

    Returns
    -------
    numpy.ndarray
        One int64 core number per node (0 for isolated nodes).

    Raises
    ------
    InvalidInput
        A non-square or negative matrix.

    Examples
    --------
    A triangle 0–1–2 with a tail 2–3: the triangle is the 2-core, the tail node only 1.

    >>> import scipy.sparse as sp
    >>> g = sp.csr_array(([1.0] * 4, ([0, 1, 2, 2], [1, 2, 0, 3])), shape=(4, 4))
    >>> k_core(g).tolist()
    [2, 2, 2, 1]

    Notes
    -----
    Batagelj and Zaversnik's bucket algorithm: nodes sorted by degree in bins, the node of least
    degree is removed and each neighbour of higher degree moves one bin down; O(n + m). Building
    the neighbour lists and the initial bin sort is vectorised; the peeling is one pass over them.

    References
    ----------
    .. [1] V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores decomposition of
       networks", arXiv:cs/0310049, 2003.
    """
    indptr, indices = _undirected_neighbours(adjacency)
    degree = np.diff(indptr)
    if degree.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(degree, kind="stable")
    counts = np.bincount(degree)
    bin_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    core = _peel(indptr.tolist(), indices.tolist(), degree.tolist(), order.tolist(),
                 position.tolist(), bin_start.tolist())
    return np.asarray(core, dtype=np.int64)


def _peel(indptr: list[int], indices: list[int], deg: list[int], vert: list[int],
          pos: list[int], bin_start: list[int]) -> list[int]:
    """The peeling loop of Batagelj–Zaversnik on plain lists; ``deg`` ends as core numbers."""
    for i in range(len(vert)):
        v = vert[i]
        dv = deg[v]
        for u in indices[indptr[v]:indptr[v + 1]]:
            du = deg[u]
            if du > dv:
                pu, pw = pos[u], bin_start[du]
                w = vert[pw]
                if u != w:  # swap u to the front of its bin, then move the bin's start past it
                    pos[u], pos[w] = pw, pu
                    vert[pu], vert[pw] = w, u
                bin_start[du] = pw + 1
                deg[u] = du - 1
    return deg


def percentile_ranks(values: npt.ArrayLike, groups: npt.ArrayLike | None = None) -> FloatArray:
    """Percentile (0–100] of each value within its group: the share of values ≤ it, ties averaged.

    Parameters
    ----------
    values
        One number per element (e.g. a PageRank score per account); NaN means unknown.
    groups
        Optional group label per element (integers or strings, e.g. a platform+niche code);
        ``None`` ranks all elements together.

    Returns
    -------
    numpy.ndarray
        ``rank / count * 100`` with average ranks for ties, counted within the element's group
        over the non-NaN values only; NaN where the value is NaN.

    Raises
    ------
    InvalidInput
        ``values`` not one-dimensional, or ``groups`` of another length.

    Examples
    --------
    >>> percentile_ranks([10.0, 20.0, 20.0, 40.0]).tolist()
    [25.0, 62.5, 62.5, 100.0]
    >>> percentile_ranks([1.0, 2.0, 5.0, float("nan")], groups=["ig", "ig", "tt", "tt"]).tolist()
    [50.0, 100.0, 100.0, nan]

    Notes
    -----
    Elements are sorted by group once and each group is ranked with
    ``scipy.stats.rankdata(method="average")``, so the cost is O(n log n) for any number of
    groups. The highest value of a group always gets 100; a lone value too.
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 1:
        raise InvalidInput("values must be one-dimensional", field="values")
    result = np.full(v.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(v))
    if groups is None:
        codes = np.zeros(valid.size, dtype=np.int64)
    else:
        g = np.asarray(groups)
        if g.shape != v.shape:
            raise InvalidInput(f"groups must have the length of values ({v.size})",
                               field="groups")
        codes = np.unique(g[valid], return_inverse=True)[1].ravel()
    order = np.argsort(codes, kind="stable")
    members = valid[order]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for part in np.split(members, bounds):
        if part.size:
            result[part] = rankdata(v[part], method="average") / part.size * 100.0
    return result
