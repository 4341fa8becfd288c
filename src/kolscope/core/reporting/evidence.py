"""The report's appendix: the stored rows its numbers were computed from, one table per source
table, so each number can be traced to rows with ids (anchors in the HTML, sheets in XLSX)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kolscope.core.metrics import engagements
from kolscope.core.reporting.facts import (
    CommentFacts,
    EntryFacts,
    KolFacts,
    LinkFacts,
    LiveFacts,
    OrderFacts,
    PostFacts,
)
from kolscope.core.reporting.models import EvidenceTable
from kolscope.core.reporting.totals import post_impressions

#: Longest comment text kept in the appendix.
TEXT_LIMIT = 280


def _when(value: object) -> str | None:
    return None if value is None else str(value)


def evidence_tables(*, kols: Sequence[KolFacts], posts: Sequence[PostFacts],
                    links: Sequence[LinkFacts], orders: Sequence[OrderFacts],
                    live_sessions: Sequence[LiveFacts], entries: Sequence[EntryFacts],
                    comments: Sequence[CommentFacts],
                    handles: Mapping[int, str]) -> list[EvidenceTable]:
    """One appendix table per source table, rows in the order given."""
    def who(collab: int | None) -> str | None:
        return None if collab is None else "@" + handles.get(collab, str(collab))

    tables = [
        EvidenceTable(table="collaborations", title="Collaborations",
                      columns=["id", "KOL", "platform", "followers", "stage", "agreed fee"],
                      rows=[[k.collaboration_id, "@" + k.handle, k.platform, k.followers,
                             k.stage, None if k.agreed_fee is None else str(k.agreed_fee)]
                            for k in kols]),
        EvidenceTable(table="deliverables", title="Published deliverables and their posts",
                      columns=["id", "KOL", "platform", "format", "post", "posted at", "likes",
                               "comments", "views", "shares", "saves", "engagements",
                               "impressions", "impressions estimated", "url"],
                      rows=[[p.deliverable_id, who(p.collaboration_id), p.platform, p.format,
                             p.post_id, _when(p.posted_at), p.likes, p.comments, p.views,
                             p.shares, p.saves, engagements(p.likes, p.comments),
                             *_impressions(p), p.url] for p in posts]),
        EvidenceTable(table="tracking_links", title="Tracked links and their clicks",
                      columns=["id", "code", "KOL", "deliverable", "clicks", "unique clicks"],
                      rows=[[ln.link_id, ln.code, who(ln.collaboration_id), ln.deliverable_id,
                             ln.clicks, ln.unique_clicks] for ln in links]),
        EvidenceTable(table="conversions", title="Orders credited to the campaign",
                      columns=["id", "KOL", "net revenue", "rule"],
                      rows=[[o.order_id, who(o.collaboration_id), str(o.net_revenue), o.rule]
                            for o in orders]),
        EvidenceTable(table="live_sessions", title="Live sessions",
                      columns=["id", "KOL", "orders", "net GMV"],
                      rows=[[s.session_id, who(s.collaboration_id), s.orders, str(s.net_gmv)]
                            for s in live_sessions]),
        EvidenceTable(table="ledger_entries", title="Ledger lines",
                      columns=["id", "KOL", "kind", "amount", "currency"],
                      rows=[[e.entry_id, who(e.collaboration_id), e.kind, str(e.amount),
                             e.currency] for e in entries]),
        EvidenceTable(table="comments", title="Scored comments on the campaign's posts",
                      columns=["id", "post", "at", "author", "label", "score", "text"],
                      rows=[[c.comment_id, c.post_id, _when(c.at), c.author, c.label, c.score,
                             c.text[:TEXT_LIMIT]] for c in comments if c.label is not None]),
    ]
    return tables


def _impressions(post: PostFacts) -> list[str | int | float | None]:
    shown, estimated = post_impressions(post)
    return [shown, "yes" if estimated else "no"]
