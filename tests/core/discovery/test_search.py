"""Search ranking: filters, sorts, the blended score, reasons, and lookalikes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from kolscope.core.discovery.niche_classifier import tokens
from kolscope.core.discovery.search import (
    Brief,
    Filters,
    Hit,
    LookalikeWeights,
    RankWeights,
    SearchIndex,
    filter_mask,
    lookalike_pool,
    make_facets,
    rank,
    rank_lookalikes,
)
from kolscope.core.discovery.text_index import build_text_index
from kolscope.errors import InvalidInput

# id, platform, tier, niche, followers, engagement rate, authority pct, last post, text
ROWS = [
    (10, "instagram", "micro", "beauty", 20_000, 0.05, 90.0, 100.0,
     "dermatologist on sunscreen spf and skincare routine"),
    (20, "instagram", "micro", "beauty", 30_000, 0.02, 40.0, 200.0,
     "my spf fifty sunscreen review skincare"),
    (30, "tiktok", "mid", "beauty", 90_000, 0.08, None, 300.0,
     "skincare serum spf dermatologist tips"),
    (40, "instagram", "micro", "food", 25_000, 0.04, 70.0, 150.0, "ramen noodles food tokyo"),
    (50, "instagram", "micro", "food", 10_000, 0.03, 10.0, None, "best ramen tokyo food"),
    (60, "tiktok", "micro", "fitness", 5_000, 0.10, 50.0, 50.0, "marathon running fitness"),
    (70, "tiktok", "micro", "fitness", 8_000, None, 60.0, 60.0, "running shoes fitness"),
    (80, "youtube", "nano", "food", 500, 0.06, 20.0, 70.0, "street food tokyo noodles"),
    (90, "youtube", "nano", "fitness", 700, 0.01, 30.0, 80.0, "interval training running"),
]


def make_index(rows: list[tuple[Any, ...]] = ROWS) -> SearchIndex:
    facets = make_facets(
        [r[0] for r in rows],
        {"platform": [r[1] for r in rows], "tier": [r[2] for r in rows],
         "niche": [r[3] for r in rows]},
        {"followers": [r[4] for r in rows], "engagement_rate": [r[5] for r in rows],
         "authority_percentile": [r[6] for r in rows], "last_post_at": [r[7] for r in rows],
         "pagerank": [r[6] / 1000 if r[6] else None for r in rows]})
    return SearchIndex(facets=facets, text=build_text_index([tokens(r[8]) for r in rows]))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return make_index()


def ids(hits: list[Hit]) -> list[int]:
    return [h.account_id for h in hits]


def test_filters_narrow_by_category_and_range(index: SearchIndex) -> None:
    mask = filter_mask(index.facets, Filters(equals={"platform": "instagram"},
                                             ranges={"followers": (15_000, 30_000)}))
    assert index.facets.ids[mask].tolist() == [10, 20, 40]
    # an unknown value passes no filter on it; an unseen label matches nothing
    assert not filter_mask(index.facets, Filters(ranges={"last_post_at": (0, None)}))[4]
    assert not filter_mask(index.facets, Filters(equals={"niche": "pets"})).any()


def test_filtering_on_an_unknown_facet_is_refused(index: SearchIndex) -> None:
    with pytest.raises(InvalidInput, match="cannot filter"):
        filter_mask(index.facets, Filters(equals={"colour": "red"}))
    with pytest.raises(InvalidInput, match="cannot filter"):
        filter_mask(index.facets, Filters(ranges={"height": (1, 2)}))


def test_engagement_percentile_is_within_platform_and_tier(index: SearchIndex) -> None:
    pct = dict(zip(index.facets.ids.tolist(), index.facets.engagement_percentile, strict=True))
    # instagram micro: 0.05, 0.02, 0.04, 0.03 -> 100, 25, 75, 50
    assert [pct[i] for i in (10, 20, 40, 50)] == [100.0, 25.0, 75.0, 50.0]
    assert pct[30] == 100.0  # alone in tiktok mid
    assert math.isnan(pct[70])


def test_a_brief_ranks_relevant_accounts_first_and_drops_the_rest(index: SearchIndex) -> None:
    ranking = rank(index, Brief(tokens=tokens("sunscreen")), Filters())
    # 10 and 20 say sunscreen; 30 is close in meaning; food and fitness do not match at all
    assert set(ids(ranking.hits)) == {10, 20, 30}
    assert ranking.total == 3
    assert ids(ranking.hits)[0] == 10  # relevant, with the best authority and engagement


def test_score_is_the_documented_blend(index: SearchIndex) -> None:
    w = RankWeights()
    hit = next(h for h in rank(index, Brief(tokens=["sunscreen"]), Filters()).hits
               if h.account_id == 20)
    parts = {r.signal: r.contribution for r in hit.reasons}
    assert hit.score == pytest.approx(sum(parts.values()), abs=1e-6)
    assert parts["authority"] == pytest.approx(w.authority * 0.40, abs=1e-6)
    assert parts["engagement"] == pytest.approx(w.engagement * 0.25, abs=1e-6)
    assert hit.relevance is not None
    assert parts["keyword"] + parts["semantic"] == pytest.approx(w.relevance * hit.relevance,
                                                                 abs=1e-6)


def test_reasons_name_the_words_the_meaning_and_the_percentiles(index: SearchIndex) -> None:
    hits = rank(index, Brief(tokens=tokens("sunscreen")), Filters()).hits
    by_id = {h.account_id: {r.signal: r.detail for r in h.reasons} for h in hits}
    assert "sunscreen ×1" in by_id[10]["keyword"]
    assert "keyword" not in by_id[30]
    assert "close in meaning" in by_id[30]["semantic"] and "spf" in by_id[30]["semantic"]
    assert by_id[10]["authority"] == "authority at the 90th percentile on instagram"
    assert "no authority percentile" in by_id[30]["authority"]
    assert "100th percentile of instagram micro accounts" in by_id[10]["engagement"]


def test_a_brief_about_a_niche_matches_its_accounts_in_any_language() -> None:
    index = make_index()
    brief = Brief(tokens=tokens("护肤 推荐"), niche="beauty", niche_confidence=0.8)
    ranking = rank(index, brief, Filters())
    assert set(ids(ranking.hits)) == {10, 20, 30}
    niche = next(r for r in ranking.hits[0].reasons if r.signal == "niche")
    assert "niche beauty" in niche.detail and "80%" in niche.detail


def test_without_a_brief_every_filtered_account_ranks_by_quality(index: SearchIndex) -> None:
    ranking = rank(index, Brief(), Filters(equals={"platform": "instagram"}))
    assert ranking.total == 4
    assert ids(ranking.hits) == [10, 40, 20, 50]
    assert all(h.relevance is None for h in ranking.hits)


def test_sorts_order_by_their_key_with_unknowns_last(index: SearchIndex) -> None:
    by_followers = rank(index, Brief(), Filters(), sort="followers")
    assert ids(by_followers.hits) == [30, 20, 40, 10, 50, 70, 60, 90, 80]
    by_recent = rank(index, Brief(), Filters(), sort="recent")
    assert ids(by_recent.hits)[-1] == 50  # never posted: last
    by_engagement = rank(index, Brief(), Filters(), sort="engagement")
    assert ids(by_engagement.hits)[0] == 60 and ids(by_engagement.hits)[-1] == 70
    with pytest.raises(InvalidInput, match="sort"):
        rank(index, Brief(), Filters(), sort="colour")


def test_pages_are_slices_of_one_order(index: SearchIndex) -> None:
    whole = ids(rank(index, Brief(), Filters(), limit=9).hits)
    pages = [ids(rank(index, Brief(), Filters(), limit=4, offset=o).hits) for o in (0, 4, 8)]
    assert [i for page in pages for i in page] == whole


def test_ties_are_broken_by_the_later_keys_then_position() -> None:
    rows = [(i, "instagram", "micro", "food", 1_000, None, None, None, "x") for i in range(1, 9)]
    index = make_index(rows)
    assert ids(rank(index, Brief(), Filters(), limit=3).hits) == [1, 2, 3]
    assert ids(rank(index, Brief(), Filters(), limit=3, offset=6).hits) == [7, 8]


def test_a_signal_nobody_has_yet_does_not_cap_the_score() -> None:
    rows = [(r[0], *r[1:6], None, *r[7:]) for r in ROWS]
    index = make_index(rows)
    hit = rank(index, Brief(tokens=["sunscreen"]), Filters()).hits[0]
    authority = next(r for r in hit.reasons if r.signal == "authority")
    assert authority.contribution == 0.0
    assert hit.score > RankWeights().relevance  # the authority weight went to the others


def test_rank_weights_need_something_to_rank_by() -> None:
    with pytest.raises(ValueError, match="relevance"):
        RankWeights(keyword=0, semantic=0, niche=0)
    with pytest.raises(ValueError, match="score"):
        RankWeights(relevance=0, authority=0, engagement=0)


def test_lookalikes_rank_content_audience_niche_and_size(index: SearchIndex) -> None:
    seed = index.position(10)
    assert seed is not None
    pool = lookalike_pool(index, seed, Filters())
    assert 10 not in index.facets.ids[pool.candidates].tolist()
    candidates = index.facets.ids[pool.candidates].tolist()
    shared = [30 if c == 20 else 0 for c in candidates]
    hits = rank_lookalikes(index, pool, shared=shared, seed_audience=100, limit=3)
    assert ids(hits)[:2] == [20, 30]
    reasons = {r.signal: r.detail for r in hits[0].reasons}
    assert reasons["audience"].startswith("30 of the seed's 100 engaged accounts (30.0%)")
    assert reasons["niche"] == "same niche: beauty"
    w = LookalikeWeights()
    assert hits[0].score == pytest.approx(sum(r.contribution for r in hits[0].reasons))
    assert hits[0].score <= 1.0 and w.audience > 0


def test_lookalikes_without_an_audience_leave_its_weight_out(index: SearchIndex) -> None:
    seed = index.position(60)
    assert seed is not None
    pool = lookalike_pool(index, seed, Filters(equals={"platform": "tiktok"}),
                          exclude=[index.position(70) or 0])
    hits = rank_lookalikes(index, pool, shared=[0] * len(pool.candidates), seed_audience=0)
    assert ids(hits) == [30]
    assert all(r.signal != "audience" for r in hits[0].reasons)
    with pytest.raises(InvalidInput, match="one count per candidate"):
        rank_lookalikes(index, pool, shared=[], seed_audience=0)


def test_position_of_unknown_accounts_is_none(index: SearchIndex) -> None:
    assert index.position(10) == 0 and index.position(11) is None
    assert index.position(10**9) is None


def test_facets_need_one_value_per_account() -> None:
    with pytest.raises(InvalidInput, match="platform"):
        make_facets([1, 2], {"platform": ["instagram"]}, {})
    with pytest.raises(InvalidInput, match="followers"):
        make_facets([1, 2], {}, {"followers": [1.0]})
    empty = make_facets([], {}, {})
    assert len(empty) == 0 and np.isnan(empty.engagement_percentile).all()


def test_flag_categories_leave_out_flagged_accounts() -> None:
    facets = make_facets([1, 2, 3], {"verdict": ["pass", "fail", None]}, {},
                         flags=[["gambling"], ["alcohol", "gambling"], []])
    assert facets.flag_labels == ["alcohol", "gambling"]
    assert facets.flag_bits.tolist() == [2, 3, 0]

    def kept(**kw: Any) -> list[int]:
        return facets.ids[filter_mask(facets, Filters(**kw))].tolist()

    assert kept(exclude_flags=("alcohol",)) == [1, 3]
    assert kept(exclude_flags=("gambling",)) == [3]
    assert kept(exclude_flags=("any",)) == [3]
    assert kept(exclude_flags=("violence",)) == [1, 2, 3]  # nobody has it
    assert kept(equals={"verdict": "pass"}, exclude_flags=("alcohol",)) == [1]
