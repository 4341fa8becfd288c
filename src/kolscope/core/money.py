"""Money as an exact Decimal amount with an ISO 4217 currency; never a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, field_validator

from kolscope.errors import InvalidInput

_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Past any campaign's money, and it keeps sums of many amounts exact in the database's NUMERIC.
MAX_AMOUNT = Decimal("1e12")
MAX_PLACES = 4  # the smallest minor unit in ISO 4217 is a ten-thousandth (CLF, UYW)


def check_amount(amount: Decimal) -> Decimal:
    """``amount`` when it is a money amount a user may enter: finite, from 0 to 10^12, with
    at most four decimals; ValueError saying which rule it breaks otherwise.

    >>> check_amount(Decimal("49.90"))
    Decimal('49.90')
    >>> check_amount(Decimal("1e13"))
    Traceback (most recent call last):
    ValueError: an amount must be at most 1,000,000,000,000, got 1E+13
    """
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
    if amount < 0:
        raise ValueError(f"an amount must not be negative, got {amount}")
    if amount > MAX_AMOUNT:
        raise ValueError(f"an amount must be at most {MAX_AMOUNT:,.0f}, got {amount}")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES and amount != amount.quantize(
            Decimal(1).scaleb(-MAX_PLACES)):
        raise ValueError(f"an amount has at most {MAX_PLACES} decimals, got {amount}")
    return amount


def amount_from_text(text: str, field: str, *, positive: bool = False) -> Decimal:
    """A money amount typed into a form or an option, by :func:`check_amount`; InvalidInput
    naming ``field`` otherwise (``positive``: zero is refused too)."""
    try:
        value = check_amount(Decimal(text.strip()))
    except (ArithmeticError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else "not a decimal amount"
        raise InvalidInput(f"{field}: {reason} ({text!r})", field=field) from None
    if positive and value == 0:
        raise InvalidInput(f"{field}: must be more than zero", field=field)
    return value


def _not_float(value: object) -> object:
    if isinstance(value, float):
        raise ValueError("give amounts as text or integers, not floats")
    return value


# A money amount in a request or a file: exact text or an integer, checked by check_amount.
Amount = Annotated[Decimal, BeforeValidator(_not_float), AfterValidator(check_amount)]


class Money(BaseModel):
    """An amount in one currency. Arithmetic across currencies is refused, not converted."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str

    @field_validator("amount", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        if isinstance(value, float):
            raise ValueError("money amounts must be given as text or Decimal, not float")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a decimal amount: {value!r}") from None
        if not amount.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return amount

    @field_validator("currency", mode="before")
    @classmethod
    def _iso(cls, value: object) -> str:
        code = str(value).strip().upper()
        if not _CURRENCY.match(code):
            raise ValueError(f"currency must be a three-letter ISO 4217 code, got {value!r}")
        return code

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"
