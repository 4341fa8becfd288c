"""BM25 and latent-semantic relevance, checked on corpora small enough to reason about."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kolscope.core.discovery.niche_classifier import tokens
from kolscope.core.discovery.text_index import (
    BM25_B,
    BM25_K1,
    TextIndex,
    build_text_index,
    keyword_scores,
    matched_terms,
    read_query,
    related_terms,
    semantic_scores,
)
from kolscope.errors import InvalidInput

CORPUS = [
    "dermatologist on sunscreen spf and skincare routine",
    "my spf fifty sunscreen review skincare",
    "skincare serum spf dermatologist tips",
    "ramen noodles food tour tokyo",
    "best ramen tokyo food",
    "street food tokyo noodles",
    "marathon training running fitness",
    "running shoes review fitness marathon",
    "fitness running interval training",
]


@pytest.fixture(scope="module")
def index() -> TextIndex:
    return build_text_index([tokens(d) for d in CORPUS])


def test_bm25_matches_the_formula_by_hand() -> None:
    # two documents: "a b" and "a a c"; query "c" matches the second only
    index = build_text_index([["aa", "bb"], ["aa", "aa", "cc"]])
    scores = keyword_scores(index, read_query(index, ["cc"]))
    n, df = 2, 1
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    avgdl = 2.5
    tf, dl = 1, 3
    expected = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * dl / avgdl))
    assert scores[0] == 0
    assert scores[1] == pytest.approx(expected, rel=1e-6)


def test_keyword_scores_prefer_more_occurrences_in_shorter_documents() -> None:
    index = build_text_index([["spf", "spf", "glow"], ["spf", "glow", "lip", "serum", "tone"]])
    scores = keyword_scores(index, read_query(index, ["spf"]))
    assert scores[0] > scores[1] > 0


def test_semantic_relevance_finds_documents_without_the_query_word(index: TextIndex) -> None:
    query = read_query(index, tokens("sunscreen"))
    keyword = keyword_scores(index, query)
    semantic = semantic_scores(index, query)
    # document 2 never says "sunscreen" but shares spf, skincare and dermatologist with those
    # that do, so it is close in meaning while food and fitness documents are not
    assert keyword[2] == 0
    assert semantic[2] > 0.5
    assert semantic[2] > semantic[3:].max() + 0.3
    assert "sunscreen" not in related_terms(index, 2, query)
    assert set(related_terms(index, 2, query)) <= {"spf", "skincare", "dermatologist"}


def test_matched_terms_counts_the_query_words_in_a_document(index: TextIndex) -> None:
    query = read_query(index, tokens("tokyo ramen ramen"))
    assert matched_terms(index, 4, query) == [("ramen", 1), ("tokyo", 1)]
    assert matched_terms(index, 0, query) == []


def test_unknown_words_are_kept_for_reporting_and_score_nothing(index: TextIndex) -> None:
    query = read_query(index, ["quantum", "ramen"])
    assert query.unknown == ["quantum"]
    assert read_query(index, ["quantum"]).is_empty
    assert not keyword_scores(index, read_query(index, ["quantum"])).any()
    assert not semantic_scores(index, read_query(index, ["quantum"])).any()


def test_doc_vectors_are_unit_length_or_zero(index: TextIndex) -> None:
    norms = np.linalg.norm(index.doc_vectors, axis=1)
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-5)


def test_the_same_corpus_gives_the_same_index() -> None:
    docs = [tokens(d) for d in CORPUS]
    a, b = build_text_index(docs, seed=3), build_text_index(docs, seed=3)
    assert np.array_equal(a.doc_vectors, b.doc_vectors)


def test_the_latent_space_is_at_most_the_square_root_of_the_corpus(index: TextIndex) -> None:
    assert index.term_vectors.shape[1] == 3  # floor(sqrt(9))


def test_empty_and_tiny_corpora_are_indexed() -> None:
    empty = build_text_index([])
    assert empty.documents == 0
    assert keyword_scores(empty, read_query(empty, ["x"])).shape == (0,)
    one = build_text_index([["solo"]])
    assert semantic_scores(one, read_query(one, ["solo"])).tolist() == [0.0]
    assert keyword_scores(one, read_query(one, ["solo"]))[0] > 0


def test_dimensions_must_be_positive() -> None:
    with pytest.raises(InvalidInput, match="dimension"):
        build_text_index([["a"]], dims=0)


def test_chinese_documents_are_matched_by_bigrams() -> None:
    index = build_text_index([tokens(t) for t in ["这款口红很好看", "今天吃火锅", "口红试色"]])
    scores = keyword_scores(index, read_query(index, tokens("口红")))
    assert scores[0] > 0 and scores[2] > 0 and scores[1] == 0
