"""Keyword (BM25) and semantic (latent semantic analysis) relevance of documents to a query.

Each account is one document: its bio, name and recent captions, tokenised as the niche
classifier reads them (words, hashtag parts, Chinese bigrams). Keyword relevance is Okapi BM25;
semantic relevance is the cosine between the query and the document in a latent space learned
from the workspace's own documents by a truncated SVD of their TF-IDF matrix, so "sunscreen"
finds the accounts that write "spf" next to it. Method: ``docs/methods/search.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from kolscope.errors import InvalidInput

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

BM25_K1 = 1.2
BM25_B = 0.75
DIMENSIONS = 64
SVD_SAMPLE = 20_000  # documents the latent space is learned from; the rest are projected into it
SVD_OVERSAMPLE = 10
SVD_POWER_ITERATIONS = 4
RELATED_SHARE = 0.1  # a related term pulls at least this share of the strongest one's pull


@dataclass(frozen=True)
class TextIndex:
    """The documents of a corpus as BM25 postings and unit vectors in a latent space.

    ``terms`` lists the terms in column order and ``vocabulary`` maps each back to its column;
    ``postings`` (documents x terms, CSC) holds each term's BM25 weight in each document;
    ``counts`` (CSR) the raw term counts, read to explain a match; ``term_vectors`` maps a TF-IDF
    vector into the latent space; ``doc_vectors`` are the documents there, unit length (zero for a
    document with no known term).
    """

    terms: list[str]
    vocabulary: dict[str, int]
    idf: F32
    postings: sparse.csc_matrix
    counts: sparse.csr_matrix
    term_vectors: F32
    doc_vectors: F32

    @property
    def documents(self) -> int:
        return int(self.counts.shape[0])


def _count_matrix(docs: Sequence[Sequence[str]]) -> tuple[dict[str, int], sparse.csr_matrix]:
    vocabulary: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[int] = []
    for doc in docs:
        for term, count in Counter(doc).items():
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            data.append(count)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32),
         np.array(indptr, dtype=np.int64)), shape=(len(docs), len(vocabulary)))
    matrix.sort_indices()
    return vocabulary, matrix


def _tfidf(counts: sparse.csr_matrix, idf: F32) -> sparse.csr_matrix:
    """Sublinear TF-IDF rows of unit length: the input of the latent space."""
    weighted = counts.copy()
    weighted.data = (1.0 + np.log(weighted.data)) * idf[weighted.indices]
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled: sparse.csr_matrix = sparse.diags((1.0 / norms).astype(np.float32)) @ weighted
    return scaled.tocsr().astype(np.float32)


def _latent_basis(tfidf: sparse.csr_matrix, dims: int, seed: int) -> F32:
    """The top right singular vectors of a sample of ``tfidf`` (randomised SVD, Halko 2011)."""
    rng = np.random.default_rng(seed)
    n, v = tfidf.shape
    sample = tfidf[np.sort(rng.choice(n, size=SVD_SAMPLE, replace=False))] if n > SVD_SAMPLE \
        else tfidf
    # LSA generalises only when the space is much smaller than the corpus: at most sqrt(n) axes.
    k = min(dims, int(np.sqrt(sample.shape[0])), v - 1)
    if k < 1:
        return np.zeros((v, 0), dtype=np.float32)
    a = sample.astype(np.float64)
    width = min(k + SVD_OVERSAMPLE, min(a.shape))
    q, _ = np.linalg.qr(a @ rng.standard_normal((v, width)))
    for _ in range(SVD_POWER_ITERATIONS):
        z, _ = np.linalg.qr(a.T @ q)
        q, _ = np.linalg.qr(a @ z)
    _, _, vt = np.linalg.svd(np.asarray((a.T @ q).T), full_matrices=False)
    return np.ascontiguousarray(vt[:k].T, dtype=np.float32)


def _unit_rows(matrix: F32) -> F32:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    out: F32 = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return out


def build_text_index(docs: Sequence[Sequence[str]], *, dims: int = DIMENSIONS,
                     seed: int = 0) -> TextIndex:
    """Index tokenised documents for keyword and semantic relevance.

    Parameters
    ----------
    docs
        One list of tokens per document, in the order results will refer to.
    dims
        Dimensions of the latent space; at most the square root of the number of documents.
    seed
        Seed of the randomised SVD, so the same corpus always gives the same index.

    Returns
    -------
    TextIndex

    Examples
    --------
    >>> index = build_text_index([["serum", "skincare"], ["ramen", "food"], ["spf", "skincare"]])
    >>> index.documents, len(index.vocabulary)
    (3, 5)

    References
    ----------
    Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009.
    Deerwester et al., "Indexing by Latent Semantic Analysis", JASIS 41(6), 1990.
    Halko, Martinsson and Tropp, "Finding Structure with Randomness", SIAM Review 53(2), 2011.
    """
    if dims < 1:
        raise InvalidInput("the latent space needs at least one dimension", field="dims")
    vocabulary, counts = _count_matrix(docs)
    n, v = counts.shape
    df = np.bincount(counts.indices, minlength=v).astype(np.float64)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    average = lengths.mean() if n and lengths.mean() > 0 else 1.0
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * lengths / average)
    tf = counts.data.astype(np.float64)
    rows = np.repeat(np.arange(n), np.diff(counts.indptr))
    bm25 = counts.copy()
    bm25.data = (idf[counts.indices] * tf * (BM25_K1 + 1.0) / (tf + norm[rows])).astype(
        np.float32)
    tfidf = _tfidf(counts, idf)
    # A term in one document says nothing about meaning; leave it out of the latent space.
    shared = (df >= 2).astype(np.float32)
    basis = _latent_basis(tfidf @ sparse.diags(shared), dims, seed) * shared[:, None]
    doc_vectors = _unit_rows(np.asarray(tfidf @ basis, dtype=np.float32))
    terms = [""] * len(vocabulary)
    for term, column in vocabulary.items():
        terms[column] = term
    return TextIndex(terms=terms, vocabulary=vocabulary, idf=idf, postings=bm25.tocsc(),
                     counts=counts, term_vectors=np.ascontiguousarray(basis),
                     doc_vectors=doc_vectors)


@dataclass(frozen=True)
class Query:
    """A query read against an index: its known terms and its unit vector in the latent space."""

    terms: I64
    unknown: list[str]
    vector: F32

    @property
    def is_empty(self) -> bool:
        return len(self.terms) == 0


def read_query(index: TextIndex, tokens: Sequence[str]) -> Query:
    """The query of ``tokens`` as ``index`` knows it (unknown tokens are kept to be reported)."""
    known = Counter(t for t in tokens if t in index.vocabulary)
    unknown = sorted({t for t in tokens if t not in index.vocabulary})
    terms = np.array([index.vocabulary[t] for t in known], dtype=np.int64)
    weights = np.array([(1.0 + np.log(c)) for c in known.values()], dtype=np.float32)
    weights = weights * index.idf[terms] if len(terms) else weights
    vector = weights @ index.term_vectors[terms] if len(terms) else np.zeros(
        index.term_vectors.shape[1], dtype=np.float32)
    length = float(np.linalg.norm(vector))
    return Query(terms=terms, unknown=unknown,
                 vector=(vector / length if length > 0 else vector).astype(np.float32))


def keyword_scores(index: TextIndex, query: Query) -> F32:
    """BM25 score of every document for the query's terms (0 where none occurs)."""
    p = index.postings
    if query.is_empty:
        return np.zeros(index.documents, dtype=np.float32)
    spans = [(p.indptr[t], p.indptr[t + 1]) for t in query.terms]
    rows = np.concatenate([p.indices[a:b] for a, b in spans])
    weights = np.concatenate([p.data[a:b] for a, b in spans])
    return np.bincount(rows, weights=weights, minlength=index.documents).astype(np.float32)


def semantic_scores(index: TextIndex, query: Query) -> F32:
    """Cosine of every document with the query in the latent space."""
    if not query.vector.any():
        return np.zeros(index.documents, dtype=np.float32)
    return np.asarray(index.doc_vectors @ query.vector, dtype=np.float32)


def matched_terms(index: TextIndex, doc: int, query: Query) -> list[tuple[str, int]]:
    """The query's terms that occur in document ``doc``, with their counts, most frequent first."""
    a, b = index.counts.indptr[doc], index.counts.indptr[doc + 1]
    columns = index.counts.indices[a:b]
    hits = _members(columns, query.terms)
    found = [(index.terms[c], int(n)) for c, n in zip(columns[hits], index.counts.data[a:b][hits],
                                                  strict=True)]
    return sorted(found, key=lambda x: (-x[1], x[0]))


def related_terms(index: TextIndex, doc: int, query: Query, top: int = 3) -> list[str]:
    """Terms of document ``doc`` that pull it towards the query in the latent space.

    A term's pull is its TF-IDF weight in the document times the cosine-like product of its
    latent vector with the query's; the query's own terms are left out (they are keyword
    matches, reported as such).
    """
    if not query.vector.any():
        return []
    a, b = index.counts.indptr[doc], index.counts.indptr[doc + 1]
    columns = index.counts.indices[a:b]
    weights = (1.0 + np.log(index.counts.data[a:b])) * index.idf[columns]
    pull = weights * (index.term_vectors[columns] @ query.vector)
    pull[_members(columns, query.terms)] = 0.0
    floor = RELATED_SHARE * float(pull.max(initial=0.0))
    order = np.argsort(-pull, kind="stable")
    return [index.terms[columns[i]] for i in order if pull[i] > floor][:top]



def _members(sorted_columns: npt.NDArray[np.int32], terms: I64) -> npt.NDArray[np.bool_]:
    """Which of a document's (sorted) columns are among ``terms``; binary search, as a row holds
    tens of terms and a query a few."""
    found = np.zeros(len(sorted_columns), dtype=bool)
    if len(terms) and len(sorted_columns):
        at = np.searchsorted(sorted_columns, terms)
        ok = at < len(sorted_columns)
        ok[ok] = sorted_columns[at[ok]] == terms[ok]
        found[at[ok]] = True
    return found
