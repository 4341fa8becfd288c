"""The payments ledger: what is owed from terms and from performance, and what was paid.

No money moves; the ledger is the record. Amounts are exact decimals in the terms' currency and a
ledger never mixes currencies. Performance pay is clicks × per-click + conversions × per-conversion
+ revenue × share, capped at the terms' cap, rounded half-up to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from kolscope.core.campaigns.terms import PerformancePay, Terms
from kolscope.errors import InvalidInput

CENT = Decimal("0.01")
ENTRY_KINDS = ("fee", "performance", "adjustment", "payment")
PAYMENT_METHODS = ("bank_transfer", "paypal", "card", "alipay", "wechat_pay", "cash", "other")


@dataclass(frozen=True)
class Entry:
    """One line of a ledger: an amount due (fee, performance, adjustment) or a payment."""

    kind: str
    amount: Decimal
    currency: str
    due_on: date | None = None
    method: str | None = None
    reference: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Balance:
    currency: str
    due: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid

    @property
    def settled(self) -> bool:
        return self.due > 0 and self.outstanding <= 0


def spend(booked: Sequence[tuple[str, Decimal]], agreed_fee: Decimal | None) -> Decimal:
    """What a collaboration costs, the one definition reports and attribution share: the fees,
    performance pay and adjustments its ledger holds as due, plus the agreed fee while no fee is
    booked yet, to the cent. ``booked`` holds (kind, amount) pairs; payments settle spend, they
    add none. Performance pay counts once booked (``attribution book``), so spend traces to
    ledger rows."""
    due = sum((amount for kind, amount in booked if kind in ("fee", "performance", "adjustment")),
              Decimal(0))
    if agreed_fee is not None and not any(kind == "fee" for kind, _ in booked):
        due += agreed_fee
    return due.quantize(CENT, ROUND_HALF_UP)


def fee_entry(terms: Terms, *, completed_on: date) -> Entry | None:
    """The fee, due ``payment_due_days`` after the work is completed; None without a fee."""
    if not terms.fee:
        return None
    return Entry("fee", terms.fee.quantize(CENT, ROUND_HALF_UP), terms.currency,
                 due_on=completed_on + timedelta(days=terms.payment_due_days),
                 note=f"fee for {terms.deliverable_count} deliverable(s)")


@dataclass(frozen=True)
class PerformanceEarned:
    clicks: Decimal
    conversions: Decimal
    revenue_share: Decimal
    capped: bool
    total: Decimal

    def note(self) -> str:
        parts = [f"clicks {self.clicks}", f"conversions {self.conversions}",
                 f"revenue share {self.revenue_share}"]
        return "; ".join(parts) + ("; capped" if self.capped else "")


def performance_earned(pay: PerformancePay, *, clicks: int, conversions: int,
                       revenue: Decimal) -> PerformanceEarned:
    """Performance pay earned by attributed clicks, conversions and revenue.

    >>> from kolscope.core.campaigns.terms import PerformancePay
    >>> pay = PerformancePay(per_click="0.05", revenue_share="0.1", cap="50")
    >>> performance_earned(pay, clicks=200, conversions=3, revenue=Decimal("120")).total
    Decimal('22.00')
    """
    if clicks < 0 or conversions < 0 or revenue < 0:
        raise InvalidInput("clicks, conversions and revenue cannot be negative", field="clicks")
    by_click = pay.per_click * clicks
    by_conversion = pay.per_conversion * conversions
    by_revenue = pay.revenue_share * revenue
    total = by_click + by_conversion + by_revenue
    capped = pay.cap is not None and total > pay.cap
    if capped and pay.cap is not None:
        total = pay.cap
    return PerformanceEarned(_q(by_click), _q(by_conversion), _q(by_revenue), capped, _q(total))


def _q(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def balance(entries: Sequence[Entry], *, currency: str) -> Balance:
    """What is due and what was paid; refuses entries in another currency."""
    due = paid = Decimal(0)
    for entry in entries:
        if entry.currency != currency:
            raise InvalidInput(f"ledger is in {currency}; an entry is in {entry.currency}",
                               field="currency")
        if entry.kind == "payment":
            paid += entry.amount
        else:
            due += entry.amount
    return Balance(currency, due, paid)


def check_payment(amount: Decimal, method: str, current: Balance) -> None:
    """Refuse a payment that is not positive, has an unknown method or overpays the balance."""
    if amount <= 0:
        raise InvalidInput("a payment must be a positive amount", field="amount")
    if method not in PAYMENT_METHODS:
        raise InvalidInput(f"method must be one of {', '.join(PAYMENT_METHODS)}", field="method")
    if amount > current.outstanding:
        raise InvalidInput(f"payment of {amount} {current.currency} exceeds the outstanding "
                           f"{current.outstanding} {current.currency}", field="amount")
