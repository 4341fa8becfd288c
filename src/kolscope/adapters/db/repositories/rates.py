"""A workspace's rate card and what prices one account: its quote, tier and past deals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kolscope.adapters.db.tables import Account, CollaborationRow, ProfileMetricsRow, RateCardRow
from kolscope.app.ports import CostSubject
from kolscope.core.matching.rates import PastDeal, Rate

R = RateCardRow
DROPPED = ("declined", "cancelled")


class SqlRateRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def card(self, workspace_id: int) -> list[Rate]:
        rows = self.s.scalars(select(R).where(R.workspace_id == workspace_id).order_by(
            R.currency, R.platform, R.tier, R.format))
        return [Rate(platform=r.platform, tier=r.tier, format=r.format, currency=r.currency,
                     low=r.low, typical=r.typical, high=r.high) for r in rows]

    def put(self, workspace_id: int, rates: Sequence[Rate], now: datetime) -> int:
        for rate in rates:
            row = self.s.scalars(select(R).where(
                R.workspace_id == workspace_id, R.platform == rate.platform.value,
                R.tier == rate.tier.value, R.format == rate.format.value,
                R.currency == rate.currency)).first()
            if row is None:
                row = R(workspace_id=workspace_id, platform=rate.platform.value,
                        tier=rate.tier.value, format=rate.format.value, currency=rate.currency)
                self.s.add(row)
            row.low, row.typical, row.high, row.updated_at = (rate.low, rate.typical, rate.high,
                                                              now)
        self.s.flush()
        return len(rates)

    def subject(self, workspace_id: int, account_id: int) -> CostSubject | None:
        row = self.s.execute(
            select(Account.platform, Account.handle, ProfileMetricsRow.tier,
                   Account.rate_amount, Account.rate_currency)
            .outerjoin(ProfileMetricsRow, ProfileMetricsRow.account_id == Account.id)
            .where(Account.id == account_id, Account.workspace_id == workspace_id)).first()
        if row is None:
            return None
        quote = (row[3], row[4]) if row[3] is not None and row[4] else None
        return CostSubject(platform=row[0], handle=row[1], tier=row[2], quote=quote)

    def deals(self, workspace_id: int, account_id: int) -> list[PastDeal]:
        out = []
        for (terms,) in self.s.execute(select(CollaborationRow.terms).where(
                CollaborationRow.workspace_id == workspace_id,
                CollaborationRow.account_id == account_id,
                CollaborationRow.stage.not_in(DROPPED))):
            if not terms:  # JSON null: no terms yet
                continue
            fee = Decimal(str(terms.get("fee", "0")))
            count = sum(int(d.get("count", 1)) for d in terms.get("deliverables", []))
            if fee > 0 and count:
                out.append(PastDeal(fee, str(terms["currency"]), count))
        return out
