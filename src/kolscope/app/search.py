"""Search use cases: KOLs for a free-text brief with filters, and lookalikes of an account.

Both run on a search index of the workspace, built from the database on first use and rebuilt
when the workspace's data version moves (every import, rescore, authority or classification run
bumps it), so results always reflect what is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from kolscope.app.models import AccountQuery, AccountSummary, Page, WorkspaceView
from kolscope.app.ports import SearchDocument, SearchIndexStore, UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.niche_classifier import NicheClassifier, account_text, tokens
from kolscope.core.discovery.search import (
    Brief,
    Filters,
    Hit,
    SearchIndex,
    lookalike_pool,
    make_facets,
    rank,
    rank_lookalikes,
)
from kolscope.core.discovery.text_index import build_text_index
from kolscope.errors import NotFound

CHUNK = 2_000
TEXTS_PER_ACCOUNT = 12
BRIEF_NICHE_MIN = 0.5  # below this the brief is not clearly about one niche
EXPORT_PAGE = 1_000
_NICHE_MODEL = NicheClassifier()


def search_accounts(uow: UnitOfWork, indexes: SearchIndexStore, *, workspace: str,
                    query: AccountQuery, now: datetime) -> Page[AccountSummary]:
    """Creators' accounts matching ``query``, best first, one page, each saying why it matched."""
    ws = require_workspace(uow, workspace)
    index = search_index(uow, indexes, ws)
    ranking = rank(index, read_brief(query.text), filters_of(query, now),
                   sort=query.sort.value, limit=query.limit, offset=query.offset)
    return Page[AccountSummary](items=_summaries(uow, ws.id, ranking.hits), total=ranking.total,
                                limit=query.limit, offset=query.offset)


def iter_search(uow: UnitOfWork, indexes: SearchIndexStore, *, workspace: str,
                query: AccountQuery, now: datetime) -> Iterator[AccountSummary]:
    """Every result of ``query`` (ignoring its page), a page at a time, for exports."""
    offset = 0
    while True:
        page = search_accounts(uow, indexes, workspace=workspace, now=now,
                               query=query.model_copy(update={"limit": EXPORT_PAGE,
                                                              "offset": offset}))
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def find_lookalikes(uow: UnitOfWork, indexes: SearchIndexStore, *, workspace: str,
                    account_id: int, query: AccountQuery, now: datetime) -> Page[AccountSummary]:
    """Accounts most like ``account_id`` (content, shared audience, niche, size) passing the
    query's filters; the account's creator's other accounts are left out."""
    ws = require_workspace(uow, workspace)
    index = search_index(uow, indexes, ws)
    seed = index.position(account_id)
    if seed is None:
        raise NotFound(f"creator account {account_id} not found", workspace=workspace,
                       account_id=account_id)
    same_creator = [p for a in uow.search.creator_accounts(account_id)
                    if (p := index.position(a)) is not None]
    pool = lookalike_pool(index, seed, filters_of(query, now), exclude=same_creator)
    ids = [int(index.facets.ids[p]) for p in pool.candidates]
    audience, shared = uow.search.shared_audience(account_id, ids)
    hits = rank_lookalikes(index, pool, shared=[shared.get(i, 0) for i in ids],
                           seed_audience=audience, limit=query.offset + query.limit)
    return Page[AccountSummary](items=_summaries(uow, ws.id, hits[query.offset:]),
                                total=len(pool.candidates), limit=query.limit,
                                offset=query.offset)


def read_brief(text: str | None) -> Brief:
    """The tokens of a brief and the niche it is about, when the niche model is sure enough."""
    if not text or not text.strip():
        return Brief()
    [(niche, probability)] = _NICHE_MODEL.predict_best([text])
    sure = probability >= BRIEF_NICHE_MIN
    return Brief(tokens=tokens(text), niche=niche if sure else None,
                 niche_confidence=probability if sure else 0.0)


def filters_of(query: AccountQuery, now: datetime) -> Filters:
    """The facet filters of an account query."""
    equals = {name: value for name, value in (
        ("platform", query.platform.value if query.platform else None),
        ("tier", query.tier.value if query.tier else None),
        ("niche", query.niche), ("kol_type", query.kol_type.value if query.kol_type else None),
        ("language", query.language),
        ("country", query.country.upper() if query.country else None),
        ("verdict", query.verdict)) if value is not None}
    ranges: dict[str, tuple[float | None, float | None]] = {}
    for name, low, high in (
            ("followers", query.min_followers, query.max_followers),
            ("engagement_rate", query.min_engagement_rate, query.max_engagement_rate),
            ("authority_percentile", query.min_authority_percentile, None)):
        if low is not None or high is not None:
            ranges[name] = (low, high)
    if query.active_days is not None:
        ranges["last_post_at"] = ((now - timedelta(days=query.active_days)).timestamp(), None)
    return Filters(equals=equals, ranges=ranges, exclude_flags=tuple(query.exclude_flags))


def search_index(uow: UnitOfWork, indexes: SearchIndexStore, ws: WorkspaceView) -> SearchIndex:
    """The workspace's index at its current data version, built and kept if there is none."""
    index = indexes.get(ws.slug, ws.data_version)
    if index is None:
        index = build_search_index(uow, ws.id, version=ws.data_version)
        indexes.put(ws.slug, ws.data_version, index)
    return index


def build_search_index(uow: UnitOfWork, workspace_id: int, *, version: int) -> SearchIndex:
    """Read every creator account of the workspace and index its facets and text."""
    docs: list[SearchDocument] = []
    while chunk := uow.search.documents(workspace_id, docs[-1].account_id if docs else 0, CHUNK,
                                        texts_per_account=TEXTS_PER_ACCOUNT):
        docs.extend(chunk)
    facets = make_facets(
        [d.account_id for d in docs],
        {"platform": [d.platform for d in docs], "tier": [d.tier for d in docs],
         "niche": [d.niche for d in docs], "kol_type": [d.kol_type for d in docs],
         "language": [d.language for d in docs], "country": [d.country for d in docs],
         "verdict": [d.verdict for d in docs]},
        {"followers": [d.followers for d in docs],
         "engagement_rate": [d.engagement_rate for d in docs],
         "views_per_post": [d.views_per_post for d in docs],
         "last_post_at": [d.last_post_at.timestamp() if d.last_post_at else None for d in docs],
         "authority_percentile": [d.authority_percentile for d in docs],
         "pagerank": [d.pagerank for d in docs]},
        [d.flag_categories for d in docs])
    text = build_text_index([tokens(_document_text(d)) for d in docs])
    return SearchIndex(facets=facets, text=text, version=version)


def _document_text(d: SearchDocument) -> str:
    head = " ".join(x for x in (d.handle, d.display_name, d.category) if x)
    return f"{head}\n" + account_text(bio=d.bio or "", captions=d.captions)


def _summaries(uow: UnitOfWork, workspace_id: int, hits: list[Hit]) -> list[AccountSummary]:
    rows = uow.accounts.summaries(workspace_id, [h.account_id for h in hits])
    return [rows[h.account_id].model_copy(update={
        "score": h.score, "relevance": h.relevance, "why": h.reasons})
        for h in hits if h.account_id in rows]

