"""The payments ledger of a collaboration: fees and performance pay due, payments recorded.

No money moves; the ledger is the record, append-only, in the terms' currency.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from kolscope.app.campaign_views import LedgerView
from kolscope.app.campaigns import require_campaign, require_collaboration
from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import limit_text
from kolscope.core.campaigns.ledger import (
    Entry,
    balance,
    check_payment,
    performance_earned,
)
from kolscope.core.campaigns.terms import Terms
from kolscope.errors import InvalidInput

LEDGER_COLUMNS = ("id", "campaign", "handle", "kind", "amount", "currency", "due_on", "method",
                  "reference", "note", "recorded_by", "recorded_at")


def _terms(uow: UnitOfWork, workspace: str, collab_id: int) -> Terms:
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    if collab.terms is None:
        raise InvalidInput(f"collaboration {collab_id} has no terms, so nothing is due",
                           field="terms")
    return Terms.model_validate(collab.terms)


def ledger(uow: UnitOfWork, *, workspace: str, collab_id: int) -> LedgerView:
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    rows = uow.campaigns.entry_views(collab_id)
    if collab.terms is None:  # no terms: nothing can be due or paid yet
        zero = Decimal(0)
        return LedgerView(collaboration_id=collab_id, currency=None, due=zero, paid=zero,
                          outstanding=zero, entries=rows)
    currency = Terms.model_validate(collab.terms).currency
    state = balance(uow.campaigns.entries(collab_id), currency=currency)
    return LedgerView(collaboration_id=collab_id, currency=currency, due=state.due,
                      paid=state.paid, outstanding=state.outstanding, entries=rows)


def record_payment(uow: UnitOfWork, *, workspace: str, collab_id: int, amount: Decimal,
                   method: str, reference: str | None, actor: str, now: datetime,
                   note: str = "") -> LedgerView:
    """Record a payment made outside kolscope; refuses overpaying the outstanding balance."""
    limit_text(method, "method", 60)
    limit_text(reference or "", "reference", 200)
    limit_text(note, "note", 2_000)
    terms = _terms(uow, workspace, collab_id)
    current = balance(uow.campaigns.entries(collab_id), currency=terms.currency)
    check_payment(amount, method, current)
    uow.campaigns.add_entry(collab_id, Entry("payment", amount, terms.currency, method=method,
                                             reference=reference, note=note), actor, now)
    uow.campaigns.add_event(collab_id, "payment", None, None, actor,
                            f"paid {amount} {terms.currency} by {method}", now)
    return ledger(uow, workspace=workspace, collab_id=collab_id)


def accrue_performance(uow: UnitOfWork, *, workspace: str, collab_id: int, clicks: int,
                       conversions: int, revenue: Decimal, actor: str, now: datetime
                       ) -> LedgerView:
    """Bring performance pay up to what the totals so far earn (adds the difference)."""
    terms = _terms(uow, workspace, collab_id)
    if terms.performance is None:
        raise InvalidInput("these terms have no performance-linked pay", field="performance")
    earned = performance_earned(terms.performance, clicks=clicks, conversions=conversions,
                                revenue=revenue)
    booked = sum((e.amount for e in uow.campaigns.entries(collab_id)
                  if e.kind == "performance"), Decimal(0))
    delta = earned.total - booked
    if delta:
        uow.campaigns.add_entry(collab_id, Entry("performance", delta, terms.currency,
                                                 note=earned.note()), actor, now)
    return ledger(uow, workspace=workspace, collab_id=collab_id)


def ledger_rows(uow: UnitOfWork, *, workspace: str, slug: str) -> list[dict[str, object]]:
    """Every ledger line of a campaign, for the CSV export (columns: :data:`LEDGER_COLUMNS`)."""
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    rows: list[dict[str, object]] = []
    for collab in uow.campaigns.collaborations(campaign.id, None):
        for e in uow.campaigns.entry_views(collab.id):
            rows.append({"id": e.id, "campaign": campaign.slug, "handle": collab.handle,
                         "kind": e.kind, "amount": e.amount, "currency": e.currency,
                         "due_on": e.due_on, "method": e.method, "reference": e.reference,
                         "note": e.note, "recorded_by": e.recorded_by,
                         "recorded_at": e.recorded_at})
    return rows



def ledger_csv(uow: UnitOfWork, *, workspace: str, slug: str) -> str:
    """A campaign's ledger as CSV text, one line per entry (the export of every shell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()}
                     for row in ledger_rows(uow, workspace=workspace, slug=slug))
    return out.getvalue()
