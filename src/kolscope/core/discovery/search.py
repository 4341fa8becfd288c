"""Search ranking: a brief's relevance blended with authority and engagement, with reasons.

An account's relevance to a free-text brief is a weighted sum of keyword relevance (BM25, scaled
to the best match), semantic relevance (latent-space cosine) and a niche match (the brief's niche,
as the niche classifier reads it, against the account's). Its score blends that relevance with
its authority percentile and its engagement percentile among accounts of its platform and tier.
Lookalikes of an account are ranked by content similarity, shared audience, niche and size.
Every hit carries the reasons it scored what it did. Method: ``docs/methods/search.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from kolscope.core.discovery.authority import percentile_ranks
from kolscope.core.discovery.text_index import (
    Query,
    TextIndex,
    keyword_scores,
    matched_terms,
    read_query,
    related_terms,
    semantic_scores,
)
from kolscope.errors import InvalidInput

SEARCH_METHOD_VERSION = "search-1"

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

CATEGORIES = ("platform", "tier", "niche", "kol_type", "language", "country", "verdict")
ANY_FLAG = "any"
NUMBERS = ("followers", "engagement_rate", "views_per_post", "last_post_at",
           "authority_percentile", "pagerank")
# What each sort orders by, largest first; "relevance" orders by the blended score.
SORT_KEYS = {"engagement": "engagement_rate", "reach": "views_per_post",
             "followers": "followers", "recent": "last_post_at", "authority": "pagerank"}
SEMANTIC_MIN = 0.35  # below this cosine a document is not "close in meaning"
LOOKALIKE_POOL = 200  # candidates re-ranked with shared audience
AUDIENCE_SATURATION = 0.2  # sharing this share of the seed's audience counts as fully shared


@dataclass(frozen=True)
class Facets:
    """What accounts can be filtered and sorted by, one entry per account in index order.

    Categorical fields are integer codes into ``labels`` (-1 when unknown); numeric fields are
    floats (NaN when unknown). ``engagement_percentile`` places each account's engagement rate
    among accounts of its platform and tier, where engagement norms are comparable.
    """

    ids: I64
    codes: dict[str, I32]
    labels: dict[str, list[str]]
    numbers: dict[str, F64]
    engagement_percentile: F64
    # Stored post-flag categories per account as bits (bit i: ``flag_labels[i]``).
    flag_labels: list[str] = field(default_factory=list)
    flag_bits: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.ids)

    def label(self, name: str, position: int) -> str | None:
        code = int(self.codes[name][position])
        return self.labels[name][code] if code >= 0 else None


def _flag_bits(flags: Sequence[Sequence[str]], n: int) -> tuple[list[str], I64]:
    if len(flags) != n:
        raise InvalidInput("flags need one list per account", field="flags")
    labels = sorted({c for row in flags for c in row})[:63]
    bit = {c: 1 << i for i, c in enumerate(labels)}
    bits = np.array([sum(bit.get(c, 0) for c in set(row)) for row in flags], dtype=np.int64)
    return labels, bits


def make_facets(ids: Sequence[int], categories: Mapping[str, Sequence[str | None]],
                numbers: Mapping[str, Sequence[float | None]],
                flags: Sequence[Sequence[str]] | None = None) -> Facets:
    """Facets of accounts ``ids`` from their categorical and numeric values and flag categories."""
    n = len(ids)
    codes: dict[str, I32] = {}
    labels: dict[str, list[str]] = {}
    for name in CATEGORIES:
        values = categories.get(name, [None] * n)
        if len(values) != n:
            raise InvalidInput(f"{name} needs one value per account", field=name)
        names = sorted({v for v in values if v is not None})
        lookup = {v: i for i, v in enumerate(names)}
        codes[name] = np.array([lookup[v] if v is not None else -1 for v in values],
                               dtype=np.int32)
        labels[name] = names
    floats: dict[str, F64] = {}
    for name in NUMBERS:
        values_ = numbers.get(name, [None] * n)
        if len(values_) != n:
            raise InvalidInput(f"{name} needs one value per account", field=name)
        floats[name] = np.array([np.nan if v is None else v for v in values_], dtype=np.float64)
    groups = codes["platform"].astype(np.int64) * 16 + codes["tier"]
    flag_labels, flag_bits = _flag_bits(flags if flags is not None else [()] * n, n)
    return Facets(ids=np.asarray(ids, dtype=np.int64), codes=codes, labels=labels,
                  numbers=floats,
                  engagement_percentile=percentile_ranks(floats["engagement_rate"], groups),
                  flag_labels=flag_labels, flag_bits=flag_bits)


@dataclass(frozen=True)
class SearchIndex:
    """The accounts of a workspace as searchable facets and text."""

    facets: Facets
    text: TextIndex
    version: int = 0  # the workspace data version it was built from

    @cached_property
    def quality(self) -> tuple[F32, F32]:
        """Authority and engagement percentiles as 0-1 scores (0 when unknown), made once."""
        authority = np.nan_to_num(self.facets.numbers["authority_percentile"], nan=0.0) / 100
        engagement = np.nan_to_num(self.facets.engagement_percentile, nan=0.0) / 100
        return authority.astype(np.float32), engagement.astype(np.float32)

    @cached_property
    def missing(self) -> dict[str, bool]:
        """Signals no account has yet (authority before a graph run, say)."""
        return {"authority": bool(np.isnan(self.facets.numbers["authority_percentile"]).all()),
                "engagement": bool(np.isnan(self.facets.engagement_percentile).all())}

    def position(self, account_id: int) -> int | None:
        pos = int(np.searchsorted(self.facets.ids, account_id))
        ok = pos < len(self.facets) and self.facets.ids[pos] == account_id
        return pos if ok else None


@dataclass(frozen=True)
class Filters:
    """Exact values of categorical facets, inclusive ranges of numeric ones, and flag
    categories to leave out (:data:`ANY_FLAG` leaves out every flagged account)."""

    equals: Mapping[str, str] = field(default_factory=dict)
    ranges: Mapping[str, tuple[float | None, float | None]] = field(default_factory=dict)
    exclude_flags: tuple[str, ...] = ()


def filter_mask(facets: Facets, filters: Filters) -> npt.NDArray[np.bool_]:
    """Which accounts pass every filter (an unknown value passes no filter on it)."""
    mask = np.ones(len(facets), dtype=bool)
    for name, value in filters.equals.items():
        if name not in facets.codes:
            raise InvalidInput(f"cannot filter on {name!r}", field=name)
        labels = facets.labels[name]
        code = labels.index(value) if value in labels else -2
        mask &= facets.codes[name] == code
    for name, (low, high) in filters.ranges.items():
        if name not in facets.numbers:
            raise InvalidInput(f"cannot filter on {name!r}", field=name)
        column = facets.numbers[name]
        if low is not None:
            mask &= column >= low
        if high is not None:
            mask &= column <= high
    for category in filters.exclude_flags:
        if category == ANY_FLAG:
            mask &= facets.flag_bits == 0
        elif category in facets.flag_labels:
            mask &= (facets.flag_bits & (1 << facets.flag_labels.index(category))) == 0
    return mask


class RankWeights(BaseModel):
    """How relevance is made of its parts, and how the score blends relevance with quality."""

    model_config = ConfigDict(frozen=True)

    keyword: float = Field(0.5, ge=0)
    semantic: float = Field(0.3, ge=0)
    niche: float = Field(0.2, ge=0)
    relevance: float = Field(0.6, ge=0)
    authority: float = Field(0.25, ge=0)
    engagement: float = Field(0.15, ge=0)

    @model_validator(mode="after")
    def _positive(self) -> RankWeights:
        if self.keyword + self.semantic + self.niche <= 0:
            raise ValueError("relevance needs a positive weight on one of its parts")
        if self.relevance + self.authority + self.engagement <= 0:
            raise ValueError("the score needs a positive weight on one of its parts")
        return self


@dataclass(frozen=True)
class Brief:
    """A free-text brief as search reads it: its tokens and the niche it is about, if any."""

    tokens: Sequence[str] = ()
    niche: str | None = None
    niche_confidence: float = 0.0


class Reason(BaseModel):
    """One signal behind a hit: what it is, what was seen, and its share of the score."""

    model_config = ConfigDict(frozen=True)

    signal: str
    detail: str
    contribution: float


class Hit(BaseModel):
    """One ranked account: its position in the index, score, parts and reasons."""

    position: int
    account_id: int
    score: float
    relevance: float | None
    reasons: list[Reason]


@dataclass(frozen=True)
class Ranking:
    total: int
    hits: list[Hit]


@dataclass(frozen=True)
class _Parts:
    keyword: F32
    semantic: F32
    niche: F32
    relevance: F32 | None


def _relevance(index: SearchIndex, brief: Brief, query: Query, weights: RankWeights,
               mask: npt.NDArray[np.bool_]) -> tuple[_Parts, npt.NDArray[np.bool_]]:
    """The parts of relevance, and ``mask`` narrowed to accounts that match the brief at all."""
    n = len(index.facets)
    keyword = keyword_scores(index.text, query)
    semantic = np.clip(semantic_scores(index.text, query), 0.0, 1.0)
    niche = np.zeros(n, dtype=np.float32)
    labels = index.facets.labels["niche"]
    if brief.niche is not None and brief.niche in labels:
        niche[index.facets.codes["niche"] == labels.index(brief.niche)] = brief.niche_confidence
    if not brief.tokens:
        return _Parts(keyword, semantic, niche, None), mask
    mask = mask & ((keyword > 0) | (semantic >= SEMANTIC_MIN) | (niche > 0))
    best = float(keyword[mask].max(initial=0.0))
    keyword = keyword / best if best > 0 else keyword
    parts = weights.keyword + weights.semantic + weights.niche
    relevance = (weights.keyword * keyword + weights.semantic * semantic
                 + weights.niche * niche) / parts
    return _Parts(keyword, semantic, niche, relevance.astype(np.float32)), mask


def _top(keys: Sequence[npt.NDArray[np.floating]], candidates: I64, count: int) -> I64:
    """The ``count`` best of ``candidates`` by ``keys`` (first key first, larger first).

    Ties on every key go to the earlier position. Only the candidates tied at the cut-off are
    compared on the later keys, so a page costs one partition of the candidates, not a sort.
    """
    if count < len(candidates):
        primary = keys[0][candidates]
        cut = -np.partition(-primary, count - 1)[count - 1]
        above = candidates[primary > cut]
        ties = candidates[primary == cut]
        rest = count - len(above)
        ties = _top(keys[1:], ties, rest) if len(keys) > 1 else ties[:rest]
        candidates = np.concatenate([above, ties])
    order = np.lexsort((candidates, *(-k[candidates] for k in reversed(keys))))
    return candidates[order][:count]


def _available(w: RankWeights, missing: dict[str, bool]) -> RankWeights:
    """``w`` without the weight of a signal no account has yet (authority before a graph run),
    so that scores keep their 0-1 range instead of being capped by a missing signal."""
    if not any(missing.values()) or (all(missing.values()) and w.relevance == 0):
        return w
    return w.model_copy(update={k: 0.0 for k, gone in missing.items() if gone})


def rank(index: SearchIndex, brief: Brief, filters: Filters, *, sort: str = "relevance",
         limit: int = 20, offset: int = 0, weights: RankWeights | None = None) -> Ranking:
    """Accounts that pass ``filters`` and match ``brief``, best first, one page, with reasons.

    Parameters
    ----------
    index
        The workspace's search index.
    brief
        The brief's tokens and niche; with no tokens every filtered account matches.
    filters
        Facet filters applied before ranking.
    sort
        ``"relevance"`` (the blended score) or one of :data:`SORT_KEYS`.
    limit, offset
        The page.
    weights
        How relevance and the score are blended; :class:`RankWeights` by default.

    Returns
    -------
    Ranking
        How many accounts matched, and the page's hits.
    """
    if sort != "relevance" and sort not in SORT_KEYS:
        raise InvalidInput(f"unknown sort {sort!r}", field="sort")
    w = _available(weights or RankWeights(), index.missing)
    mask = filter_mask(index.facets, filters)
    query = read_query(index.text, brief.tokens)
    parts, mask = _relevance(index, brief, query, w, mask)
    authority, engagement = index.quality
    blend = w.relevance + w.authority + w.engagement
    relevance = parts.relevance if parts.relevance is not None else 0.0
    score = (w.relevance * relevance + w.authority * authority + w.engagement * engagement) / blend
    candidates = np.flatnonzero(mask)
    keys: list[npt.NDArray[np.floating]] = [score]
    if sort != "relevance":
        keys = [np.nan_to_num(index.facets.numbers[SORT_KEYS[sort]], nan=-np.inf), score]
    page = _top(keys, candidates, offset + limit)[offset:]
    hits = [_hit(index, int(p), brief, query, parts, authority, engagement, w, float(score[p]))
            for p in page]
    return Ranking(total=len(candidates), hits=hits)


def _hit(index: SearchIndex, p: int, brief: Brief, query: Query, parts: _Parts,
         authority: F32, engagement: F32, w: RankWeights, score: float) -> Hit:
    facets = index.facets
    blend = w.relevance + w.authority + w.engagement
    share = w.relevance / blend / (w.keyword + w.semantic + w.niche)
    reasons: list[Reason] = []
    if parts.relevance is not None:
        if parts.keyword[p] > 0:
            words = ", ".join(f"{t} ×{c}" for t, c in matched_terms(index.text, p, query)[:5])
            reasons.append(Reason(signal="keyword", detail=f"uses the brief's words: {words}",
                                  contribution=share * w.keyword * float(parts.keyword[p])))
        if parts.semantic[p] >= SEMANTIC_MIN:
            related = related_terms(index.text, p, query)
            via = f" through {', '.join(related)}" if related else ""
            reasons.append(Reason(
                signal="semantic", contribution=share * w.semantic * float(parts.semantic[p]),
                detail=f"close in meaning to the brief (similarity {parts.semantic[p]:.2f}){via}"))
        if parts.niche[p] > 0:
            reasons.append(Reason(
                signal="niche", contribution=share * w.niche * float(parts.niche[p]),
                detail=f"niche {brief.niche}, the brief's niche "
                       f"({brief.niche_confidence:.0%} sure of the brief's)"))
    platform = facets.label("platform", p) or "its platform"
    pct = facets.numbers["authority_percentile"][p]
    reasons.append(Reason(
        signal="authority", contribution=w.authority / blend * float(authority[p]),
        detail=f"authority at the {_ordinal(pct)} percentile on {platform}" if not np.isnan(pct)
        else "no authority percentile yet (run discover authority)"))
    rate, eng_pct = facets.numbers["engagement_rate"][p], facets.engagement_percentile[p]
    tier = facets.label("tier", p) or "unknown-tier"
    reasons.append(Reason(
        signal="engagement", contribution=w.engagement / blend * float(engagement[p]),
        detail=f"engagement rate {rate:.2%}, {_ordinal(eng_pct)} percentile of {platform} "
               f"{tier} accounts" if not np.isnan(eng_pct) else "no engagement rate yet"))
    relevance = float(parts.relevance[p]) if parts.relevance is not None else None
    return Hit(position=p, account_id=int(facets.ids[p]), score=score, relevance=relevance,
               reasons=reasons)


def _ordinal(value: float) -> str:
    n = round(value)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class LookalikeWeights(BaseModel):
    """How much each similarity counts in a lookalike's score."""

    model_config = ConfigDict(frozen=True)

    content: float = Field(0.4, ge=0)
    audience: float = Field(0.25, ge=0)
    niche: float = Field(0.2, ge=0)
    size: float = Field(0.15, ge=0)


@dataclass(frozen=True)
class LookalikePool:
    """The accounts most like a seed on what the index holds, before audience is looked at."""

    seed: int
    candidates: I64
    content: F32
    niche: F32
    size: F32


def lookalike_pool(index: SearchIndex, seed: int, filters: Filters, *,
                   exclude: Sequence[int] = (), pool: int = LOOKALIKE_POOL,
                   weights: LookalikeWeights | None = None) -> LookalikePool:
    """Candidates like the account at position ``seed``: similar content, niche and size."""
    w = weights or LookalikeWeights()
    facets = index.facets
    mask = filter_mask(facets, filters)
    mask[seed] = False
    mask[list(exclude)] = False
    content = np.clip(index.text.doc_vectors @ index.text.doc_vectors[seed], 0.0, 1.0)
    niche_code = facets.codes["niche"]
    niche = ((niche_code == niche_code[seed]) & (niche_code[seed] >= 0)).astype(np.float32)
    followers = np.log10(np.nan_to_num(facets.numbers["followers"], nan=0.0) + 1.0)
    size = np.clip(1.0 - np.abs(followers - followers[seed]) / 2.0, 0.0, 1.0)
    if np.isnan(facets.numbers["followers"][seed]):
        size = np.zeros_like(size)
    base = w.content * content + w.niche * niche + w.size * size
    candidates = _top([base], np.flatnonzero(mask), pool)
    return LookalikePool(seed=seed, candidates=candidates,
                         content=content[candidates].astype(np.float32),
                         niche=niche[candidates], size=size[candidates].astype(np.float32))


def rank_lookalikes(index: SearchIndex, pool: LookalikePool, *, shared: Sequence[int],
                    seed_audience: int, limit: int = 20,
                    weights: LookalikeWeights | None = None) -> list[Hit]:
    """The pool's best lookalikes once shared audience is known, with reasons.

    ``shared`` counts, per candidate, the seed's audience members (e.g. commenters) who also
    engaged with the candidate; ``seed_audience`` is the seed's audience size. Without an
    audience the weight of shared audience is left out rather than counted as zero.
    """
    w = weights or LookalikeWeights()
    counts = np.asarray(shared, dtype=np.float64)
    if counts.shape != pool.candidates.shape:
        raise InvalidInput("shared needs one count per candidate", field="shared")
    audience = np.clip(counts / max(seed_audience, 1) / AUDIENCE_SATURATION, 0.0, 1.0)
    total = w.content + w.niche + w.size + (w.audience if seed_audience > 0 else 0.0)
    score = (w.content * pool.content + w.niche * pool.niche + w.size * pool.size
             + (w.audience * audience if seed_audience > 0 else 0.0)) / total
    order = np.lexsort((pool.candidates, -score))[:limit]
    facets = index.facets
    seed_niche = facets.label("niche", pool.seed)
    hits = []
    for k in order:
        p = int(pool.candidates[k])
        reasons = [Reason(signal="content", contribution=w.content * float(pool.content[k]) / total,
                          detail=f"writes about the same things (similarity "
                                 f"{pool.content[k]:.2f})")]
        if counts[k] > 0:
            reasons.append(Reason(
                signal="audience", contribution=w.audience * float(audience[k]) / total,
                detail=f"{int(counts[k])} of the seed's {seed_audience} engaged accounts "
                       f"({counts[k] / seed_audience:.1%}) engage with it too"))
        if pool.niche[k] > 0:
            reasons.append(Reason(signal="niche", contribution=w.niche / total,
                                  detail=f"same niche: {seed_niche}"))
        followers = facets.numbers["followers"][p]
        if pool.size[k] > 0:
            reasons.append(Reason(signal="size", contribution=w.size * float(pool.size[k]) / total,
                                  detail=f"similar audience size ({followers:,.0f} followers)"))
        hits.append(Hit(position=p, account_id=int(facets.ids[p]), score=float(score[k]),
                        relevance=None, reasons=reasons))
    return hits
