"""The payments ledger: fee entries, performance pay, balances and payment checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kolscope.core.campaigns.ledger import (
    Balance,
    Entry,
    balance,
    check_payment,
    fee_entry,
    performance_earned,
    spend,
)
from kolscope.core.campaigns.terms import PerformancePay, Terms
from kolscope.errors import InvalidInput

D = Decimal


def _terms(fee: str = "1000", due_days: int = 30, count: int = 1) -> Terms:
    data: dict[str, object] = {"fee": fee, "currency": "EUR", "payment_due_days": due_days,
                               "deliverables": [{"platform": "ig", "format": "reel",
                                                 "count": count}]}
    if fee in ("0", ""):
        data["fee"] = "0"
        data["seeding"] = {"product": "Serum kit", "value": "45"}
    return Terms.model_validate(data)


def test_fee_entry_is_due_after_completion() -> None:
    entry = fee_entry(_terms(fee="1500", due_days=45, count=3), completed_on=date(2025, 1, 20))
    assert entry == Entry("fee", D("1500.00"), "EUR", due_on=date(2025, 3, 6),
                          note="fee for 3 deliverable(s)")
    assert str(entry.amount) == "1500.00"


def test_fee_entry_due_same_day_with_zero_days() -> None:
    entry = fee_entry(_terms(due_days=0), completed_on=date(2024, 2, 29))
    assert entry is not None and entry.due_on == date(2024, 2, 29)


def test_fee_entry_rounds_half_up_to_the_cent() -> None:
    entry = fee_entry(_terms(fee="1000.005"), completed_on=date(2025, 1, 1))
    assert entry is not None
    assert entry.amount == D("1000.01")
    assert entry.due_on == date(2025, 1, 31)


def test_fee_entry_none_without_fee() -> None:
    assert fee_entry(_terms(fee="0"), completed_on=date(2025, 1, 1)) is None


def test_performance_earned_hand_computed() -> None:
    pay = PerformancePay(per_click="0.05", per_conversion="2.50", revenue_share="0.1")
    earned = performance_earned(pay, clicks=200, conversions=3, revenue=D("120"))
    # 200 × 0.05 = 10.00; 3 × 2.50 = 7.50; 120 × 0.1 = 12.00; total 29.50
    assert earned.clicks == D("10.00")
    assert earned.conversions == D("7.50")
    assert earned.revenue_share == D("12.00")
    assert earned.total == D("29.50")
    assert earned.capped is False
    assert earned.note() == "clicks 10.00; conversions 7.50; revenue share 12.00"


def test_performance_earned_is_capped() -> None:
    pay = PerformancePay(per_click="0.05", per_conversion="2.50", revenue_share="0.1", cap="25")
    earned = performance_earned(pay, clicks=200, conversions=3, revenue=D("120"))
    assert earned.total == D("25.00")
    assert earned.capped is True
    assert (earned.clicks, earned.conversions, earned.revenue_share) == (
        D("10.00"), D("7.50"), D("12.00"))
    assert earned.note() == "clicks 10.00; conversions 7.50; revenue share 12.00; capped"


def test_total_equal_to_cap_is_not_capped() -> None:
    pay = PerformancePay(per_click="0.05", per_conversion="2.50", revenue_share="0.1",
                         cap="29.50")
    earned = performance_earned(pay, clicks=200, conversions=3, revenue=D("120"))
    assert earned.total == D("29.50")
    assert earned.capped is False


def test_doctest_example() -> None:
    pay = PerformancePay(per_click="0.05", revenue_share="0.1", cap="50")
    # 200 × 0.05 = 10; 3 × 0 = 0; 120 × 0.1 = 12
    earned = performance_earned(pay, clicks=200, conversions=3, revenue=D("120"))
    assert earned.total == D("22.00")
    assert earned.conversions == D("0.00")


@pytest.mark.parametrize(("per_click", "clicks", "total"), [
    ("0.005", 1, "0.01"),     # half-up; half-even would give 0.00
    ("0.001", 25, "0.03"),    # 0.025 → 0.03; half-even would give 0.02
    ("0.001", 15, "0.02"),    # 0.015 → 0.02
    ("0.0049", 1, "0.00"),
    ("0.001", 4, "0.00"),
    ("0.333", 3, "1.00"),     # 0.999 → 1.00
    ("0.05", 0, "0.00"),
])
def test_performance_rounds_half_up(per_click: str, clicks: int, total: str) -> None:
    pay = PerformancePay(per_click=per_click)
    earned = performance_earned(pay, clicks=clicks, conversions=0, revenue=D(0))
    assert earned.total == D(total)
    assert earned.clicks == D(total)


def test_revenue_share_rounds_half_up() -> None:
    pay = PerformancePay(revenue_share="0.125")
    earned = performance_earned(pay, clicks=0, conversions=0, revenue=D("0.1"))
    assert earned.revenue_share == D("0.01")  # 0.0125 → 0.01
    earned = performance_earned(pay, clicks=0, conversions=0, revenue=D("0.2"))
    assert earned.total == D("0.03")  # 0.025 → 0.03


@pytest.mark.parametrize(("clicks", "conversions", "revenue"), [
    (-1, 0, "0"), (0, -1, "0"), (0, 0, "-0.01"),
])
def test_negative_inputs_refused(clicks: int, conversions: int, revenue: str) -> None:
    pay = PerformancePay(per_click="0.05")
    with pytest.raises(InvalidInput, match="cannot be negative") as info:
        performance_earned(pay, clicks=clicks, conversions=conversions, revenue=D(revenue))
    assert info.value.field == "clicks"


def _entries() -> list[Entry]:
    return [Entry("fee", D("1000.00"), "EUR", due_on=date(2025, 3, 1)),
            Entry("performance", D("29.50"), "EUR"),
            Entry("adjustment", D("-50.00"), "EUR", note="late delivery"),
            Entry("payment", D("500.00"), "EUR", method="bank_transfer", reference="T-1")]


def test_balance_sums_due_and_payments() -> None:
    result = balance(_entries(), currency="EUR")
    assert result == Balance("EUR", D("979.50"), D("500.00"))
    assert result.outstanding == D("479.50")
    assert result.settled is False


def test_balance_settled_after_final_payment() -> None:
    entries = [*_entries(), Entry("payment", D("479.50"), "EUR", method="paypal")]
    result = balance(entries, currency="EUR")
    assert result.paid == D("979.50")
    assert result.outstanding == D("0.00")
    assert result.settled is True


def test_empty_balance() -> None:
    result = balance([], currency="USD")
    assert result == Balance("USD", D(0), D(0))
    assert result.settled is False


def test_balance_refuses_mixed_currency() -> None:
    entries = [*_entries(), Entry("payment", D("10"), "USD", method="card")]
    with pytest.raises(InvalidInput, match=r"^ledger is in EUR; an entry is in USD$") as info:
        balance(entries, currency="EUR")
    assert info.value.field == "currency"


@pytest.mark.parametrize(("due", "paid", "settled"), [
    ("0", "0", False),
    ("100", "0", False),
    ("100", "99.99", False),
    ("100", "100", True),
    ("100", "120", True),
    ("-5", "0", False),
])
def test_settled(due: str, paid: str, settled: bool) -> None:
    assert Balance("EUR", D(due), D(paid)).settled is settled


def test_check_payment_accepts_up_to_outstanding() -> None:
    current = Balance("EUR", D("979.50"), D("500.00"))
    assert check_payment(D("479.50"), "bank_transfer", current) is None
    assert check_payment(D("0.01"), "wechat_pay", current) is None


@pytest.mark.parametrize("amount", ["0", "-10"])
def test_check_payment_refuses_non_positive(amount: str) -> None:
    with pytest.raises(InvalidInput, match="positive amount") as info:
        check_payment(D(amount), "paypal", Balance("EUR", D("100"), D(0)))
    assert info.value.field == "amount"


def test_check_payment_refuses_unknown_method() -> None:
    with pytest.raises(InvalidInput, match=r"^method must be one of bank_transfer, paypal") as info:
        check_payment(D("10"), "bitcoin", Balance("EUR", D("100"), D(0)))
    assert info.value.field == "method"


def test_check_payment_refuses_overpayment() -> None:
    current = Balance("EUR", D("979.50"), D("500.00"))
    with pytest.raises(InvalidInput) as info:
        check_payment(D("479.51"), "paypal", current)
    assert info.value.message == ("payment of 479.51 EUR exceeds the outstanding 479.50 EUR")
    assert info.value.field == "amount"


def test_check_payment_refuses_anything_once_settled() -> None:
    with pytest.raises(InvalidInput, match="exceeds the outstanding 0 EUR"):
        check_payment(D("0.01"), "cash", Balance("EUR", D("100"), D("100")))


def test_spend_is_what_is_due_plus_an_agreed_fee_not_booked_yet() -> None:
    d = Decimal
    assert spend([], d(300)) == d(300)
    assert spend([("performance", d(24)), ("payment", d(100))], d(300)) == d(324)
    assert spend([("fee", d(300)), ("performance", d(24)), ("adjustment", d(-4))],
                 d(300)) == d(320)
    assert spend([("performance", d(5))], None) == d(5)
