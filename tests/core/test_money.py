"""Money: exact Decimal amounts, ISO 4217 currencies, no arithmetic across currencies."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from kolscope.core.money import MAX_AMOUNT, Amount, Money, check_amount


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


class _Priced(BaseModel):
    amount: Amount


@pytest.mark.parametrize("text", ["0", "49.90", "1e12", "12.3400", "0.0001", "1.50000"])
def test_an_entered_amount_in_range_is_taken_as_written(text: str) -> None:
    assert _Priced(amount=text).amount == Decimal(text)


@pytest.mark.parametrize(("text", "reason"), [
    ("-0.01", "negative"), ("1000000000000.01", "at most"), ("1e1000000", "at most"),
    ("NaN", "finite"), ("Infinity", "finite"), ("0.00001", "4 decimals"),
    ("1e-30", "4 decimals"),
])
def test_an_entered_amount_out_of_range_is_refused_with_its_reason(text: str,
                                                                   reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        _Priced(amount=text)
    with pytest.raises(ValueError, match=reason):
        check_amount(Decimal(text))


def test_an_entered_amount_is_never_a_float() -> None:
    with pytest.raises(ValidationError, match="not floats"):
        _Priced(amount=1.5)
    assert Decimal("1e12") == MAX_AMOUNT
