"""Money: exact Decimal amounts, ISO 4217 currencies, no arithmetic across currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from kolscope.core.money import Money


def test_amount_from_text_is_exact() -> None:
    assert Money(amount="0.1", currency="USD").amount == Decimal("0.1")


def test_amounts_add_exactly() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in binary floating point, exactly 0.3 here
    total = Money(amount="0.1", currency="EUR") + Money(amount="0.2", currency="EUR")
    assert total == Money(amount="0.3", currency="EUR")
    assert total.amount == Decimal("0.3")


def test_decimal_and_int_amounts_are_accepted() -> None:
    assert Money(amount=Decimal("1500.50"), currency="CNY").amount == Decimal("1500.50")
    assert Money(amount=1500, currency="CNY").amount == Decimal(1500)


def test_text_amount_is_stripped() -> None:
    assert Money(amount=" 12.5 ", currency="GBP").amount == Decimal("12.5")


def test_float_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="not float"):
        Money(amount=0.1, currency="USD")


@pytest.mark.parametrize("amount", ["abc", "", "1,5", "NaN", "Infinity", "-inf"])
def test_non_finite_or_non_decimal_amount_is_refused(amount: str) -> None:
    with pytest.raises(ValidationError):
        Money(amount=amount, currency="USD")


def test_currency_is_upper_cased() -> None:
    assert Money(amount="1", currency=" usd ").currency == "USD"


@pytest.mark.parametrize("currency", ["US", "USDT", "U5D", "", "€"])
def test_currency_must_be_three_letters(currency: str) -> None:
    with pytest.raises(ValidationError, match="ISO 4217"):
        Money(amount="1", currency=currency)


def test_adding_different_currencies_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot add CNY to USD"):
        Money(amount="1", currency="USD") + Money(amount="1", currency="CNY")


def test_money_is_immutable() -> None:
    money = Money(amount="1", currency="USD")
    with pytest.raises(ValidationError):
        money.amount = Decimal(2)  # type: ignore[misc]


def test_str_shows_two_decimals_and_the_currency() -> None:
    assert str(Money(amount="1234.5", currency="USD")) == "1,234.50 USD"
