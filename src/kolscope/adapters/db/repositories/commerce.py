"""What tracking sells: promo codes, orders with their refunds, live-commerce sessions, and the
workspace's tracking settings.

Orders are kept one row per order id: a shop re-sends an order on every change, and the
latest word replaces the row, so the same order twice counts once. Refunds reported on their
own are kept by refund id beside it, for the same reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks, insert_for, table
from kolscope.adapters.db.tables import (
    ConversionRow,
    LiveSessionRow,
    PromoCodeRow,
    RefundRow,
    TrackingSettingsRow,
)
from kolscope.app.tracking_views import (
    ConversionIn,
    ConversionView,
    LiveSessionIn,
    LiveSessionView,
    PromoCodeIn,
    PromoCodeView,
    RefundIn,
    TrackingSettingsView,
)
from kolscope.errors import Conflict

_CONVERSION_FIELDS = tuple(f.name for f in fields(ConversionIn))
_LIVE_FIELDS = tuple(f.name for f in fields(LiveSessionIn))
ZERO = Decimal(0)


def _settings_view(row: TrackingSettingsRow) -> TrackingSettingsView:
    return TrackingSettingsView(utm=dict(row.utm), promo=dict(row.promo),
                                has_webhook_secret=bool(row.webhook_secret),
                                site_key=row.site_key)


class SqlCommerceRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # --- settings ---------------------------------------------------------------------------

    def settings(self, workspace_id: int) -> TrackingSettingsView | None:
        row = self.s.get(TrackingSettingsRow, workspace_id)
        return None if row is None else _settings_view(row)

    def save_settings(self, workspace_id: int, *, utm: dict[str, str], promo: dict[str, object],
                      site_key: str, now: datetime,
                      webhook_secret: str | None = None, clear_secret: bool = False
                      ) -> TrackingSettingsView:
        """Create or change the settings; the secret is kept unless given or cleared."""
        row = self.s.get(TrackingSettingsRow, workspace_id)
        if row is None:
            row = TrackingSettingsRow(workspace_id=workspace_id, webhook_secret=None)
            self.s.add(row)
        row.utm, row.promo, row.site_key, row.updated_at = utm, promo, site_key, now
        if webhook_secret is not None or clear_secret:
            row.webhook_secret = webhook_secret
        self.s.flush()
        return _settings_view(row)

    def webhook_secret(self, workspace_id: int) -> str | None:
        return self.s.scalar(select(TrackingSettingsRow.webhook_secret)
                             .where(TrackingSettingsRow.workspace_id == workspace_id))

    def workspace_of_site_key(self, site_key: str) -> int | None:
        return self.s.scalar(select(TrackingSettingsRow.workspace_id)
                             .where(TrackingSettingsRow.site_key == site_key))

    # --- promo codes ------------------------------------------------------------------------

    def add_promo_codes(self, workspace_id: int, codes: Sequence[PromoCodeIn],
                        now: datetime) -> None:
        """Add codes; a key the workspace holds already is a Conflict and adds nothing."""
        keys = sorted({c.key for c in codes})
        for part in chunks(keys):
            taken = self.s.scalar(select(PromoCodeRow.code).where(
                PromoCodeRow.workspace_id == workspace_id, PromoCodeRow.key.in_(part)).limit(1))
            if taken is not None:
                raise Conflict(f"promo code {taken} is taken in this workspace", code=taken)
        if codes:
            self.s.execute(table(PromoCodeRow).insert(), [
                {"workspace_id": workspace_id, "created_at": now, **asdict(c)} for c in codes])
        self.s.flush()

    def promo_codes(self, workspace_id: int, *,
                    campaign_id: int | None = None) -> list[PromoCodeView]:
        q = select(PromoCodeRow).where(PromoCodeRow.workspace_id == workspace_id)
        if campaign_id is not None:
            q = q.where(PromoCodeRow.campaign_id == campaign_id)
        return [PromoCodeView(r.id, r.code, r.key, r.campaign_id, r.collaboration_id,
                              r.created_at)
                for r in self.s.scalars(q.order_by(PromoCodeRow.id))]

    # --- orders and refunds -----------------------------------------------------------------

    def upsert_conversion(self, workspace_id: int, order: ConversionIn,
                          now: datetime) -> Literal["created", "updated", "unchanged"]:
        """Store an order by its id: new, changed (the latest word wins) or the same again."""
        values = asdict(order)
        row = self.s.scalar(select(ConversionRow).where(
            ConversionRow.workspace_id == workspace_id, ConversionRow.order_id == order.order_id))
        if row is None:
            # A concurrent delivery of the same order loses the race quietly: DO NOTHING.
            stmt = insert_for(self.s, table(ConversionRow)).values(
                workspace_id=workspace_id, created_at=now, updated_at=now, **values
            ).on_conflict_do_nothing(index_elements=["workspace_id", "order_id"])
            # RETURNING, not rowcount: drivers may report -1 for "unknown".
            added = self.s.execute(stmt.returning(table(ConversionRow).c.id)).first()
            return "created" if added is not None else "unchanged"
        if all(getattr(row, name) == values[name] for name in _CONVERSION_FIELDS
               if name != "source"):
            return "unchanged"
        self.s.execute(update(ConversionRow).where(ConversionRow.id == row.id)
                       .values(updated_at=now, **values))
        return "updated"

    def add_refund(self, workspace_id: int, refund: RefundIn) -> bool:
        """Keep a refund once; False when its id is stored already."""
        stmt = insert_for(self.s, table(RefundRow)).values(
            workspace_id=workspace_id, **asdict(refund)
        ).on_conflict_do_nothing(index_elements=["workspace_id", "refund_id"])
        return self.s.execute(stmt.returning(table(RefundRow).c.id)).first() is not None

    def conversions(self, workspace_id: int, *, since: datetime | None = None,
                    until: datetime | None = None) -> list[ConversionView]:
        """Orders with ``since <= at < until``, oldest first, with their separate refunds."""
        q = select(ConversionRow).where(ConversionRow.workspace_id == workspace_id)
        if since is not None:
            q = q.where(ConversionRow.at >= since)
        if until is not None:
            q = q.where(ConversionRow.at < until)
        rows = list(self.s.scalars(q.order_by(ConversionRow.at, ConversionRow.id)))
        # Summed here, not in SQL: amounts are exact text on SQLite, and SUM would make floats.
        refunds: dict[str, Decimal] = {}
        for part in chunks(sorted({r.order_id for r in rows})):
            for order_id, amount in self.s.execute(
                    select(RefundRow.order_id, RefundRow.amount).where(
                        RefundRow.workspace_id == workspace_id, RefundRow.order_id.in_(part))):
                refunds[order_id] = refunds.get(order_id, ZERO) + amount
        return [ConversionView(r.id, r.order_id, r.name, r.source, r.at, r.revenue, r.refunded,
                               refunds.get(r.order_id, ZERO), r.currency, r.promo_code,
                               r.click_id, r.visitor, r.updated_at)
                for r in rows]

    def refunds(self, workspace_id: int, order_id: str) -> list[RefundIn]:
        return [RefundIn(r.order_id, r.refund_id, r.amount, r.at) for r in self.s.scalars(
            select(RefundRow).where(RefundRow.workspace_id == workspace_id,
                                    RefundRow.order_id == order_id).order_by(RefundRow.at))]

    # --- live sessions ----------------------------------------------------------------------

    def upsert_live_sessions(self, workspace_id: int, sessions: Sequence[LiveSessionIn],
                             now: datetime) -> tuple[int, int]:
        """Add sessions or replace them by (platform, session id): (added, replaced)."""
        added = replaced = 0
        for session in sessions:
            values = asdict(session)
            existing = self.s.scalar(select(LiveSessionRow.id).where(
                LiveSessionRow.workspace_id == workspace_id,
                LiveSessionRow.platform == session.platform,
                LiveSessionRow.session_id == session.session_id))
            if existing is None:
                self.s.execute(table(LiveSessionRow).insert().values(
                    workspace_id=workspace_id, imported_at=now, **values))
                added += 1
            else:
                self.s.execute(update(LiveSessionRow).where(LiveSessionRow.id == existing)
                               .values(imported_at=now, **values))
                replaced += 1
        self.s.flush()
        return added, replaced

    def live_sessions(self, workspace_id: int, *,
                      campaign_id: int | None = None) -> list[LiveSessionView]:
        q = select(LiveSessionRow).where(LiveSessionRow.workspace_id == workspace_id)
        if campaign_id is not None:
            q = q.where(LiveSessionRow.campaign_id == campaign_id)
        return [LiveSessionView(id=r.id, **{name: getattr(r, name) for name in _LIVE_FIELDS})
                for r in self.s.scalars(q.order_by(LiveSessionRow.started_at, LiveSessionRow.id))]
